#!/usr/bin/env python3
"""Grade leadclean's output against the ground truth written by gen_leads.

usage: evaluate.py --truth TRUTH.csv --cleaned CLEANED.csv --rejects REJECTS.csv
                   [--input LEADS.csv] [--json OUT.json] [--examples N]

Rows are matched on lc_row (1-based data row). Every section reports its
denominator; a section whose lc_* columns are missing prints "n/a". The exit
code is 0 whatever the scores (this is a report); 2 when an input cannot be
read or lacks lc_row. bench/README.md describes the truth columns.
"""
import argparse
import collections
import csv
import json
import math
import re
import signal
import sys
import unicodedata

JUNK_REASONS = ("bot", "fake", "no_contact")
PROVIDERS = {
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "hotmail.com",
    "outlook.com", "icloud.com",
}
PHONE_ORDER = [
    "none", "format", "lost_zero", "dot_zero", "sci_lossless", "sci_lossy",
    "excel_text", "fb_prefix", "label", "multi", "legacy", "legacy_landline",
    "invalid", "empty",
]
EMAIL_ORDER = ["none", "case_space", "typo", "invalid", "empty"]


class InputError(Exception):
    pass


def read_csv(path, what):
    """Returns (header, rows as dicts). Raises InputError when unreadable."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            break
        except OverflowError:
            limit //= 2
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            return reader.fieldnames or [], rows
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"{what} {path}: {e}") from e


def index_by_row(rows, what):
    """Maps lc_row -> list of rows (a list, so double outputs show up)."""
    out = collections.defaultdict(list)
    for r in rows:
        try:
            out[int(r["lc_row"])].append(r)
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"{what}: bad or missing lc_row ({e})") from e
    return out


def pct(num, den):
    return None if den == 0 else 100.0 * num / den


def fmt_pct(value):
    return "n/a" if value is None else f"{value:6.2f}%"


def email_key(address):
    """Lower-cased address; Gmail without dots and +tag (same mailbox)."""
    a = address.strip().lower()
    local, at, domain = a.partition("@")
    if at and domain in ("gmail.com", "googlemail.com"):
        local = local.split("+", 1)[0].replace(".", "")
        return local + "@gmail.com"
    return a


def same_email(got, want):
    return bool(got.strip()) and email_key(got) == email_key(want)


def domain_of(address):
    return address.strip().lower().rpartition("@")[2]


def split_list(value):
    return [v for v in re.split(r"[;|,\s]+", value or "") if v]


class Grader:
    def __init__(self, truth, cleaned_header, cleaned, rejects_header, rejects,
                 examples, source=None):
        self.truth = {int(t["row"]): t for t in truth}
        self.cleaned_cols = set(cleaned_header)
        self.rejects_cols = set(rejects_header)
        self.cleaned = index_by_row(cleaned, "cleaned")
        self.rejects = index_by_row(rejects, "rejects")
        self.examples = examples
        self.source = source  # (header, rows) of the generated input, or None
        self.report = {}
        self.lines = []

    # Helpers.

    def say(self, text=""):
        self.lines.append(text)

    def kept(self, row):
        rows = self.cleaned.get(row)
        return rows[0] if rows else None

    def rejected(self, row):
        rows = self.rejects.get(row)
        return rows[0] if rows else None

    def person_of(self, row):
        t = self.truth.get(row)
        return t["person_id"] if t else None

    def table(self, header, rows):
        widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
        for line in [header] + rows:
            self.say("  " + "  ".join(str(x).rjust(w) if i else str(x).ljust(w)
                                      for i, (x, w) in enumerate(zip(line, widths))))

    # Sections.

    def conservation(self):
        self.say("== conservation")
        seen = collections.Counter()
        for row, rows in self.cleaned.items():
            seen[row] += len(rows)
        for row, rows in self.rejects.items():
            seen[row] += len(rows)
        missing = [r for r in self.truth if seen[r] == 0]
        doubled = [r for r in self.truth if seen[r] > 1]
        unknown = [r for r in seen if r not in self.truth]
        ok = not missing and not doubled and not unknown
        res = {
            "truth_rows": len(self.truth),
            "cleaned_rows": sum(len(v) for v in self.cleaned.values()),
            "rejected_rows": sum(len(v) for v in self.rejects.values()),
            "missing": len(missing), "doubled": len(doubled),
            "unknown": len(unknown), "ok": ok,
        }
        self.report["conservation"] = res
        self.say(f"  truth {res['truth_rows']}  cleaned {res['cleaned_rows']}  "
                 f"rejected {res['rejected_rows']}  missing {len(missing)}  "
                 f"doubled {len(doubled)}  unknown {len(unknown)}  "
                 f"-> {'OK' if ok else 'FAIL'}")
        for name, rows in (("missing", missing), ("doubled", doubled),
                           ("unknown", unknown)):
            if rows:
                self.say(f"  {name} rows, first: {sorted(rows)[:self.examples]}")
        if self.source is not None:
            self.fidelity()

    def fidelity(self):
        """Original columns of every output row equal the input row of the
        same lc_row (also catches outputs that belong to another input)."""
        header, rows = self.source
        changed = []
        checked = 0
        for table in (self.cleaned, self.rejects):
            for row, outs in table.items():
                if not 1 <= row <= len(rows):
                    continue
                for out in outs:
                    checked += 1
                    diff = [h for h in header if out.get(h) != rows[row - 1].get(h)]
                    if diff:
                        changed.append((row, diff))
        self.report["conservation"]["fidelity_checked"] = checked
        self.report["conservation"]["fidelity_changed"] = len(changed)
        self.say(f"  fidelity: {checked - len(changed)} of {checked} output rows keep "
                 f"the input's original values"
                 + ("" if not changed else " -> FAIL"))
        for row, diff in changed[:self.examples]:
            self.say(f"    row {row}: differs in {', '.join(diff[:4])}")

    def phones(self):
        self.say("")
        self.say("== phone (rows present in cleaned; junk included)")
        if "lc_phone" not in self.cleaned_cols:
            self.say("  n/a (cleaned has no lc_phone)")
            self.report["phone"] = None
            return
        has_alt = "lc_phone_alt" in self.cleaned_cols
        stats = collections.defaultdict(collections.Counter)
        wrong = collections.defaultdict(list)
        for row, t in self.truth.items():
            s = stats[t["phone_damage"]]
            s["rows"] += 1
            c = self.kept(row)
            if c is None:
                s["rejected"] += 1
                continue
            s["kept"] += 1
            got = c.get("lc_phone", "").strip()
            if t["phone_recoverable"] == "1":
                s["recoverable"] += 1
                if got == t["true_phone"]:
                    s["correct"] += 1
                else:
                    s["wrong_or_missing"] += 1
                    wrong[t["phone_damage"]].append((row, got, t["true_phone"]))
                if t["true_phone_alt"] and has_alt:
                    s["alt_rows"] += 1
                    if t["true_phone_alt"] in split_list(c.get("lc_phone_alt")):
                        s["alt_correct"] += 1
            else:
                s["unrecoverable"] += 1
                if got:
                    s["guessed"] += 1
                    wrong[t["phone_damage"]].append((row, got, ""))
        header = ["damage", "rows", "kept", "recov", "correct", "acc%",
                  "unrecov", "no_guess%", "alt_ok"]
        lines = []
        res = {}
        for cat in PHONE_ORDER + sorted(set(stats) - set(PHONE_ORDER)):
            if cat not in stats:
                continue
            s = stats[cat]
            acc = pct(s["correct"], s["recoverable"])
            no_guess = pct(s["unrecoverable"] - s["guessed"], s["unrecoverable"])
            alt = f"{s['alt_correct']}/{s['alt_rows']}" if s["alt_rows"] else ""
            lines.append([cat, s["rows"], s["kept"], s["recoverable"],
                          s["correct"], fmt_pct(acc), s["unrecoverable"],
                          fmt_pct(no_guess), alt])
            res[cat] = dict(s, accuracy=acc, no_guess=no_guess)
        self.table(header, lines)
        tot = sum((stats[c] for c in stats), collections.Counter())
        overall = pct(tot["correct"], tot["recoverable"])
        never = pct(tot["unrecoverable"] - tot["guessed"], tot["unrecoverable"])
        self.say(f"  overall: {fmt_pct(overall)} of {tot['recoverable']} kept "
                 f"recoverable rows correct; {fmt_pct(never)} of "
                 f"{tot['unrecoverable']} kept unrecoverable rows not guessed")
        self.show_examples("phone misses", wrong)
        self.report["phone"] = {"per_damage": res, "accuracy": overall,
                                "no_guess": never}

    def emails(self):
        self.say("")
        self.say("== email (rows present in cleaned; junk included)")
        if "lc_email" not in self.cleaned_cols:
            self.say("  n/a (cleaned has no lc_email)")
            self.report["email"] = None
            return
        has_alt = "lc_email_alt" in self.cleaned_cols
        stats = collections.defaultdict(collections.Counter)
        wrong = collections.defaultdict(list)
        changed_domains = []
        for row, t in self.truth.items():
            s = stats[t["email_damage"]]
            s["rows"] += 1
            c = self.kept(row)
            if c is None:
                s["rejected"] += 1
                continue
            s["kept"] += 1
            got = c.get("lc_email", "").strip()
            want = t["true_email"]
            if want:
                s["recoverable"] += 1
                if same_email(got, want):
                    s["correct"] += 1
                else:
                    wrong[t["email_damage"]].append((row, got, want))
                if (t["email_damage"] == "typo" and has_alt and
                        any(same_email(a, want)
                            for a in split_list(c.get("lc_email_alt")))):
                    s["suggested"] += 1
                if (t["email_damage"] in ("none", "case_space") and got and
                        domain_of(got) != domain_of(want)):
                    changed_domains.append((row, got, want))
            else:
                s["unrecoverable"] += 1
                if got:
                    s["guessed"] += 1
                    wrong[t["email_damage"]].append((row, got, ""))
        header = ["damage", "rows", "kept", "recov", "correct", "acc%",
                  "unrecov", "no_guess%", "suggested"]
        lines = []
        res = {}
        for cat in EMAIL_ORDER + sorted(set(stats) - set(EMAIL_ORDER)):
            if cat not in stats:
                continue
            s = stats[cat]
            acc = pct(s["correct"], s["recoverable"])
            no_guess = pct(s["unrecoverable"] - s["guessed"], s["unrecoverable"])
            sugg = str(s["suggested"]) if cat == "typo" and has_alt else ""
            lines.append([cat, s["rows"], s["kept"], s["recoverable"],
                          s["correct"], fmt_pct(acc), s["unrecoverable"],
                          fmt_pct(no_guess), sugg])
            res[cat] = dict(s, accuracy=acc, no_guess=no_guess)
        self.table(header, lines)
        typo = stats["typo"]
        typo_rate = pct(typo["correct"], typo["recoverable"])
        non_provider = [x for x in changed_domains
                        if domain_of(x[2]) not in PROVIDERS]
        self.say(f"  typo correction rate: {fmt_pct(typo_rate)} of "
                 f"{typo['recoverable']} kept typo rows in lc_email"
                 + (f", {typo['suggested']} suggested in lc_email_alt"
                    if has_alt else ""))
        self.say(f"  domain changed on a correct address: {len(changed_domains)}"
                 f" (non-provider domains: {len(non_provider)}, should be 0)")
        for row, got, want in changed_domains[:self.examples]:
            self.say(f"    row {row}: {want!r} -> {got!r}")
        self.show_examples("email misses", wrong)
        self.report["email"] = {
            "per_damage": res, "typo_correction_rate": typo_rate,
            "domain_changed": len(changed_domains),
            "non_provider_domain_changed": len(non_provider),
        }

    def dedup(self):
        self.say("")
        self.say("== dedup (non-junk rows)")
        if not self.rejects_cols & {"lc_reason"}:
            self.say("  n/a (rejects has no lc_reason)")
            self.report["dedup"] = None
            return
        has_pointer = "lc_duplicate_of" in self.rejects_cols
        real = {r: t for r, t in self.truth.items() if t["is_junk"] == "0"}
        truth_dup = {r for r, t in real.items() if t["dup_of_row"] != "0"}
        predicted = {r for r in real
                     if (self.rejected(r) or {}).get("lc_reason") == "duplicate"}
        tp = predicted & truth_dup
        precision = pct(len(tp), len(predicted))
        recall = pct(len(tp), len(truth_dup))
        # Survivor-agnostic view: a duplicate reject is right when it points
        # at a row of the same person, whichever row the cleaner kept.
        same_person = set()
        false_merge = []
        for r in predicted:
            target = self.pointer(r) if has_pointer else None
            if target is not None and self.person_of(target) == real[r]["person_id"]:
                same_person.add(r)
            else:
                false_merge.append((r, target))
        rows_per_person = collections.Counter(t["person_id"] for t in real.values())
        expected = sum(k - 1 for k in rows_per_person.values() if k > 1)
        found = collections.Counter(real[r]["person_id"] for r in same_person)
        cluster_hits = sum(min(n, rows_per_person[p] - 1) for p, n in found.items())
        res = {
            "truth_duplicates": len(truth_dup), "rejected_as_duplicate": len(predicted),
            "true_positives": len(tp), "precision": precision, "recall": recall,
            "pointer_same_person": pct(len(same_person), len(predicted)) if has_pointer else None,
            "cluster_recall": pct(cluster_hits, expected),
            "false_merges": len(false_merge),
            "per_dup_kind": self.dup_kind_recall(truth_dup, predicted, same_person),
            "junk_rejected_as_duplicate": sum(
                1 for r, t in self.truth.items() if t["is_junk"] == "1"
                and (self.rejected(r) or {}).get("lc_reason") == "duplicate"),
        }
        self.report["dedup"] = res
        self.say(f"  strict (vs dup_of_row>0): precision {fmt_pct(precision)} "
                 f"({len(tp)}/{len(predicted)}), recall {fmt_pct(recall)} "
                 f"({len(tp)}/{len(truth_dup)})")
        if has_pointer:
            self.say(f"  lc_duplicate_of is the same person: "
                     f"{fmt_pct(res['pointer_same_person'])} of {len(predicted)}")
        else:
            self.say("  lc_duplicate_of: n/a (column missing)")
        self.say(f"  cluster recall (any survivor): {fmt_pct(res['cluster_recall'])} "
                 f"({cluster_hits}/{expected}); false merges {len(false_merge)}; "
                 f"junk rows rejected as duplicate {res['junk_rejected_as_duplicate']}")
        lines = [[k, v["rows"], v["rejected_dup"], fmt_pct(v["recall"]),
                  fmt_pct(v["linked"])]
                 for k, v in res["per_dup_kind"].items()]
        self.table(["dup_kind", "rows", "rej_dup", "recall%", "linked%"], lines)
        for r, target in false_merge[:self.examples]:
            t = real[r]
            other = self.truth.get(target, {}) if target else {}
            self.say(f"    false merge: row {r} (person {t['person_id']}, "
                     f"{t['true_phone'] or '-'} {t['true_email'] or '-'}) -> row "
                     f"{target} (person {other.get('person_id')}, "
                     f"{other.get('true_phone') or '-'} {other.get('true_email') or '-'})")

    def pointer(self, row):
        value = (self.rejected(row) or {}).get("lc_duplicate_of", "").strip()
        try:
            return int(value)
        except ValueError:
            return None

    def dup_kind_recall(self, truth_dup, predicted, same_person):
        """Per dup_kind: strict recall, and the share of repeats linked to
        their person: rejected with a same-person pointer, or kept as the
        survivor that such a pointer names."""
        survivors = {self.pointer(r) for r in same_person}
        out = {}
        by_kind = collections.defaultdict(list)
        for r in truth_dup:
            by_kind[self.truth[r]["dup_kind"] or "?"].append(r)
        for kind in sorted(by_kind):
            rows = by_kind[kind]
            hit = sum(1 for r in rows if r in predicted)
            linked = sum(1 for r in rows if r in same_person or r in survivors)
            out[kind] = {"rows": len(rows), "rejected_dup": hit,
                         "recall": pct(hit, len(rows)),
                         "linked": pct(linked, len(rows))}
        return out

    def junk(self):
        self.say("")
        self.say("== junk")
        if "lc_reason" not in self.rejects_cols:
            self.say("  n/a (rejects has no lc_reason)")
            self.report["junk"] = None
            return
        kinds = collections.defaultdict(collections.Counter)
        for r, t in self.truth.items():
            if t["is_junk"] != "1":
                continue
            k = kinds[t["junk_kind"]]
            k["rows"] += 1
            reason = (self.rejected(r) or {}).get("lc_reason")
            if reason in JUNK_REASONS:
                k["rejected_junk"] += 1
            elif reason:
                k["rejected_other"] += 1
        lines = []
        res = {}
        for kind in sorted(kinds):
            k = kinds[kind]
            rate = pct(k["rejected_junk"], k["rows"])
            lines.append([kind, k["rows"], k["rejected_junk"], fmt_pct(rate),
                          k["rejected_other"]])
            res[kind] = dict(k, rate=rate)
        self.table(["junk_kind", "rows", "rej_junk", "rate%", "rej_other"], lines)
        total = sum((kinds[k] for k in kinds), collections.Counter())
        overall = pct(total["rejected_junk"], total["rows"])
        any_reason = pct(total["rejected_junk"] + total["rejected_other"], total["rows"])
        self.say(f"  junk rejected as bot/fake/no_contact: {fmt_pct(overall)} "
                 f"of {total['rows']}; for any reason: {fmt_pct(any_reason)}")
        self.report["junk"] = {"per_kind": res, "rejected": overall,
                               "rejected_any_reason": any_reason}
        self.false_rejects()

    def false_rejects(self):
        """Real first appearances rejected for a reason other than a correct
        duplicate link (a cleaner may keep a later row of the same person)."""
        bad = collections.Counter()
        by_damage = collections.Counter()
        examples = []
        first = 0
        for r, t in self.truth.items():
            if t["is_junk"] != "0" or t["dup_of_row"] != "0":
                continue
            first += 1
            rej = self.rejected(r)
            if rej is None:
                continue
            if rej.get("lc_reason") == "duplicate":
                target = self.pointer(r)
                if target is not None and self.person_of(target) == t["person_id"]:
                    continue
            bad[(rej.get("lc_reason", ""), rej.get("lc_rule", ""))] += 1
            by_damage[(t["phone_damage"], t["email_damage"])] += 1
            examples.append((r, rej.get("lc_reason"), rej.get("lc_rule"),
                             rej.get("lc_detail", "")))
        n = sum(bad.values())
        rate = pct(n, first)
        self.say(f"  real-lead false rejects: {fmt_pct(rate)} ({n} of {first} "
                 f"non-junk first appearances)")
        for (reason, rule), count in bad.most_common(10):
            self.say(f"    {count:7d}  {reason} / {rule or '-'}")
        if by_damage:
            top = ", ".join(f"{p}+{e}: {c}" for (p, e), c in by_damage.most_common(6))
            self.say(f"    by phone+email damage: {top}")
        for r, reason, rule, detail in examples[:self.examples]:
            self.say(f"    row {r}: {reason}/{rule}: {detail[:100]}")
        self.report["junk"]["false_reject_rate"] = rate
        self.report["junk"]["false_rejects_by_rule"] = {
            f"{reason}/{rule}": c for (reason, rule), c in bad.most_common()}

    def scoring(self):
        self.say("")
        self.say("== scoring (kept rows)")
        if "lc_score" not in self.cleaned_cols:
            self.say("  n/a (cleaned has no lc_score)")
            self.report["scoring"] = None
            return
        scores, oracle, labels = [], [], []
        temps = collections.defaultdict(collections.Counter)
        for r, t in self.truth.items():
            c = self.kept(r)
            if c is None:
                continue
            try:
                score = float(c["lc_score"])
            except (TypeError, ValueError):
                continue
            scores.append(score)
            oracle.append(float(t["p_convert"]))
            labels.append(int(t["converted"]))
            temp = c.get("lc_temperature", "")
            temps[temp]["rows"] += 1
            temps[temp]["converted"] += int(t["converted"])
        auc = roc_auc(scores, labels)
        oracle_auc = roc_auc(oracle, labels)
        all_real = [t for t in self.truth.values() if t["is_junk"] == "0"]
        oracle_all = roc_auc([float(t["p_convert"]) for t in all_real],
                             [int(t["converted"]) for t in all_real])
        self.say(f"  AUC lc_score vs converted: {fmt_num(auc)} on {len(scores)} rows "
                 f"({sum(labels)} converted); oracle p_convert on the same rows: "
                 f"{fmt_num(oracle_auc)}; oracle on all real rows: {fmt_num(oracle_all)}")
        res = {"auc": auc, "oracle_auc": oracle_auc, "oracle_auc_all_real": oracle_all,
               "rows": len(scores), "converted": sum(labels), "temperature": {}}
        if "lc_temperature" in self.cleaned_cols:
            for temp in sorted(temps):
                k = temps[temp]
                rate = pct(k["converted"], k["rows"])
                res["temperature"][temp or "(empty)"] = {"rows": k["rows"], "conversion": rate}
                self.say(f"    {temp or '(empty)':<8} rows {k['rows']:7d}  "
                         f"converted {fmt_pct(rate)}")
        self.report["scoring"] = res

    def sources(self):
        self.say("")
        self.say("== per source (truth vs. what was rejected)")
        stats = collections.defaultdict(collections.Counter)
        for r, t in self.truth.items():
            s = stats[t["source"]]
            s["rows"] += 1
            s["junk"] += t["is_junk"] == "1"
            s["dups"] += t["dup_of_row"] != "0"
            s["converted"] += int(t["converted"])
            s["rejected"] += self.rejected(r) is not None
        lines = [[name, s["rows"], fmt_pct(pct(s["junk"], s["rows"])),
                  fmt_pct(pct(s["dups"], s["rows"])),
                  fmt_pct(pct(s["rejected"], s["rows"])),
                  fmt_pct(pct(s["converted"], s["rows"]))]
                 for name, s in sorted(stats.items(), key=lambda kv: -kv[1]["rows"])]
        self.table(["source", "rows", "junk%", "dup%", "rejected%", "converted%"], lines)
        self.report["sources"] = {name: dict(s) for name, s in stats.items()}

    def names(self):
        self.say("")
        self.say("== names (kept non-junk rows, lc_name vs true_name after NFC)")
        if "lc_name" not in self.cleaned_cols:
            self.say("  n/a (cleaned has no lc_name)")
            self.report["names"] = None
            return
        stats = collections.defaultdict(collections.Counter)
        for r, t in self.truth.items():
            c = self.kept(r)
            if c is None or t["is_junk"] == "1":
                continue
            s = stats[t["name_form"]]
            s["kept"] += 1
            got = " ".join(unicodedata.normalize("NFC", c.get("lc_name", "")).split())
            s["correct"] += got == unicodedata.normalize("NFC", t["true_name"])
        lines = [[form, s["kept"], fmt_pct(pct(s["correct"], s["kept"]))]
                 for form, s in sorted(stats.items())]
        self.table(["name_form", "kept", "match%"], lines)
        self.report["names"] = {f: dict(s, match=pct(s["correct"], s["kept"]))
                                for f, s in stats.items()}

    def show_examples(self, title, wrong):
        if self.examples <= 0 or not wrong:
            return
        self.say(f"  {title} (up to {self.examples} per category):")
        for cat in sorted(wrong):
            for row, got, want in wrong[cat][:self.examples]:
                self.say(f"    {cat:<15} row {row}: got {got!r} want {want!r}")

    def run(self):
        self.conservation()
        self.phones()
        self.emails()
        self.dedup()
        self.junk()
        self.scoring()
        self.sources()
        self.names()
        return self.report


def fmt_num(value):
    return "n/a" if value is None else f"{value:.4f}"


def roc_auc(scores, labels):
    """Mann-Whitney AUC with average ranks for ties; None without both classes."""
    pos = sum(labels)
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        avg_rank = (i + j) / 2.0 + 1.0
        rank_sum += avg_rank * sum(labels[order[k]] for k in range(i, j + 1))
        i = j + 1
    auc = (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg)
    return auc if not math.isnan(auc) else None


def main():
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under `| head`
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truth", required=True)
    ap.add_argument("--cleaned", required=True)
    ap.add_argument("--rejects", required=True)
    ap.add_argument("--input",
                    help="the generated leads CSV; enables the fidelity check")
    ap.add_argument("--json", help="also write the report as JSON here")
    ap.add_argument("--examples", type=int, default=3,
                    help="example rows shown per category (default 3)")
    args = ap.parse_args()
    try:
        _, truth = read_csv(args.truth, "truth")
        cleaned_header, cleaned = read_csv(args.cleaned, "cleaned")
        rejects_header, rejects = read_csv(args.rejects, "rejects")
        for name, header, rows in (("cleaned", cleaned_header, cleaned),
                                   ("rejects", rejects_header, rejects)):
            if rows and "lc_row" not in header:
                raise InputError(f"{name} has no lc_row column")
        if not truth or "row" not in truth[0]:
            raise InputError("truth has no rows or no 'row' column")
        source = read_csv(args.input, "input") if args.input else None
        grader = Grader(truth, cleaned_header, cleaned, rejects_header, rejects,
                        args.examples, source)
        report = grader.run()
    except InputError as e:
        print(f"evaluate.py: {e}", file=sys.stderr)
        return 2
    print("\n".join(grader.lines))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
