#!/usr/bin/env python3
"""Pairwise precision and recall of leadclean's duplicate clusters on FEBRL.

FEBRL (Febrl dsgen, via the Python Record Linkage Toolkit) is synthetic
person data with typos and missing values: rec_id, given_name, surname,
street_number, address_1, address_2, suburb, postcode, state, date_of_birth,
soc_sec_id. Ground truth is in rec_id: rec-<N>-org and rec-<N>-dup-<k> with
the same <N> are one person.

For each dataset the script
  1. rewrites the file as plain CSV (FEBRL separates with ", ") and adds one
     column `email` holding the same placeholder address on every row:
     FEBRL has no phone or email, and leadclean rejects a row without either
     as no_contact (junk never links). The rules override turns dedup_email
     off, so that address links nothing; being equal on every row, it never
     trips the contacts_agree guard;
  2. runs `leadclean clean` with the roles mapped by --map (given_name ->
     first_name, surname -> last_name, date_of_birth -> dob, the --city
     column -> city, rec_id -> id) and --rules bench/febrl_rules, which
     enables dedup_name_dob (person key + date of birth) and dedup_name_city
     (person key + city) -- a name never matches alone;
  3. reads lc_cluster of every row from both outputs: two rows are a
     predicted pair when they share a cluster; true pairs share <N>.

Precision = true predicted pairs / predicted pairs; recall = true predicted
pairs / true pairs. Next to it, exact-key baselines over the same rows:
  exact_name_dob: given_name, surname and date_of_birth all present and
                  byte-equal (after trimming and lower-casing);
  exact_ssn:      soc_sec_id present and equal.
Each baseline's groups are its equivalence classes, counted the same way.

Usage: bench/febrl_eval.py [--data DIR] [--leadclean BIN] [--city COLUMN]
                           [--rules DIR] [--datasets 1,2,3,4]
Defaults: --data ../shared/testdata/febrl (relative to the repository root),
--leadclean build/leadclean, --city postcode.
"""
import argparse
import collections
import csv
import itertools
import os
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
PLACEHOLDER_EMAIL = "lead.person@febrl-eval.net"
DATASETS = {
    "1": ["dataset1.csv"],
    "2": ["dataset2.csv"],
    "3": ["dataset3.csv"],
    # 4a + 4b cleaned as one list (two inputs): the links are the pairs.
    "4": ["dataset4a.csv", "dataset4b.csv"],
}


def read_febrl(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, skipinitialspace=True))
    header = [h.strip() for h in rows[0]]
    return header, [[v.strip() for v in r] for r in rows[1:] if r]


def entity(rec_id):
    # rec-123-org / rec-123-dup-0 -> 123
    return rec_id.split("-")[1]


def pairs_of(groups):
    """Set of unordered index pairs within each group (list of index lists)."""
    out = set()
    for members in groups:
        for a, b in itertools.combinations(sorted(members), 2):
            out.add((a, b))
    return out


def score(predicted, truth):
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"pairs": len(predicted), "true_pairs": tp, "precision": p, "recall": r, "f1": f1}


def group_by(rows, key):
    groups = collections.defaultdict(list)
    for i, row in enumerate(rows):
        k = key(row)
        if k is not None:
            groups[k].append(i)
    return list(groups.values())


def run_leadclean(args, files, tmp):
    """Writes the inputs, runs leadclean; returns (rows, cluster per row, counts)."""
    header = None
    all_rows = []
    inputs = []
    for name in files:
        h, rows = read_febrl(os.path.join(args.data, name))
        header = header or h
        path = os.path.join(tmp, name)
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(h + ["email"])
            for r in rows:
                w.writerow(r + [PLACEHOLDER_EMAIL])
        inputs.append(path)
        all_rows.extend(dict(zip(h, r)) for r in rows)
    cleaned = os.path.join(tmp, "cleaned.csv")
    rejects = os.path.join(tmp, "rejects.csv")
    report = os.path.join(tmp, "report.json")
    cmd = [args.leadclean, "clean", *inputs, "-o", cleaned, "--rejects", rejects,
           "--report", report, "--quiet", "--rules", args.rules,
           "--map", "first_name=given_name", "--map", "last_name=surname",
           "--map", "dob=date_of_birth", "--map", "id=rec_id",
           "--map", "none=state", "--map", "none=suburb", "--map", "none=postcode"]
    if args.city != "none":
        cmd += ["--map", f"city={args.city}"]
    subprocess.run(cmd, check=True)
    cluster = {}
    reasons = collections.Counter()
    rules = collections.Counter()
    for path, kept in ((cleaned, True), (rejects, False)):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                n = int(row["lc_row"]) - 1
                cluster[n] = row["lc_cluster"] or f"row{n}"
                reasons["kept" if kept else row["lc_reason"]] += 1
                if not kept and row["lc_reason"] == "duplicate":
                    rules[row["lc_rule"]] += 1
    assert len(cluster) == len(all_rows), "conservation"
    return all_rows, [cluster[i] for i in range(len(all_rows))], reasons, rules, cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "testdata", "febrl"))
    ap.add_argument("--leadclean", default=os.path.join(ROOT, "build", "leadclean"))
    ap.add_argument("--rules", default=os.path.join(ROOT, "bench", "febrl_rules"))
    ap.add_argument("--city", default="postcode",
                    help="FEBRL column used as the city role: postcode, suburb or none")
    ap.add_argument("--datasets", default="1,2,3,4")
    args = ap.parse_args()
    results = []
    for key in args.datasets.split(","):
        files = DATASETS[key]
        with tempfile.TemporaryDirectory(prefix="febrl-eval-") as tmp:
            rows, clusters, reasons, rules, cmd = run_leadclean(args, files, tmp)
        truth = pairs_of(group_by(rows, lambda r: entity(r["rec_id"])))
        lead = pairs_of(group_by(list(range(len(rows))), lambda i: clusters[i]))
        name_dob = pairs_of(group_by(rows, lambda r: (r["given_name"].lower(), r["surname"].lower(),
                                                      r["date_of_birth"])
                                     if r["given_name"] and r["surname"] and r["date_of_birth"]
                                     else None))
        ssn = pairs_of(group_by(rows, lambda r: r["soc_sec_id"] or None))
        label = "+".join(f.replace(".csv", "") for f in files)
        print(f"== {label}: {len(rows)} rows, {len(truth)} true pairs")
        print("   outcome: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) +
              "; duplicate rules: " + ", ".join(f"{k} {v}" for k, v in sorted(rules.items())))
        for name, predicted in (("leadclean", lead), ("exact_name_dob", name_dob), ("exact_ssn", ssn)):
            s = score(predicted, truth)
            results.append((label, name, s))
            print(f"   {name:15s} pairs {s['pairs']:6d}  precision {s['precision']:.4f}  "
                  f"recall {s['recall']:.4f}  F1 {s['f1']:.4f}")
    shown = [c if not c.startswith(ROOT + os.sep) else os.path.relpath(c, ROOT) for c in cmd]
    shown = [os.path.basename(c) if c.startswith(tempfile.gettempdir()) else c for c in shown]
    print("leadclean command (last dataset): " + " ".join(shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
