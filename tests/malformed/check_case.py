#!/usr/bin/env python3
"""Checks one malformed-suite case's outputs.

usage: check_case.py --dir OUT [--rows N] [--malformed N] [--details D]
                     [--check EXPR]

OUT holds cleaned.csv, rejects.csv and report.json of the run.
- --rows: the report's rows_in;
- --malformed: how many rejects have lc_reason=malformed; each must have
  lc_rule=malformed, a non-empty lc_raw and an lc_detail "line L, byte B: ...";
- --details: the malformed rows' lc_detail in lc_row order, '|'-separated,
  exact; or '~REGEX' that every one must match;
- --check: a Python expression that must be true, over `report` (the JSON),
  `cell(row, column)` (a value of the row with that lc_row, from whichever
  output holds it; bytes that are not UTF-8 read as surrogate escapes),
  `where(row)` ('cleaned' or 'rejects'), `header(which)`, `enc()` (the
  first input's (encoding, encoding_method)) and `flag(name)` (by_flag
  count, 0 when absent).
Prints what is wrong and exits 1, else exits 0 quietly.
"""
import argparse
import csv
import io
import json
import re
import sys

csv.field_size_limit(1 << 30)


def read(path):
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        return list(csv.reader(io.StringIO(f.read(), newline="")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rows", type=int)
    ap.add_argument("--malformed", type=int)
    ap.add_argument("--details")
    ap.add_argument("--check")
    a = ap.parse_args()
    with open(f"{a.dir}/report.json", encoding="utf-8") as f:
        report = json.load(f)
    tables = {"cleaned": read(f"{a.dir}/cleaned.csv"),
              "rejects": read(f"{a.dir}/rejects.csv")}
    rows = {}
    for which, table in tables.items():
        head = table[0]
        at = head.index("lc_row")
        for r in table[1:]:
            rows[int(r[at])] = (which, dict(zip(head, r)))
    problems = []
    if a.rows is not None and report["counts"]["rows_in"] != a.rows:
        problems.append(f"rows_in {report['counts']['rows_in']}, expected {a.rows}")
    malformed = [rows[n][1] for n in sorted(rows)
                 if rows[n][1].get("lc_reason") == "malformed"]
    for m in malformed:
        if (m["lc_rule"] != "malformed" or not m["lc_raw"] or
                not re.match(r"line \d+, byte \d+: ", m["lc_detail"])):
            problems.append(f"malformed row {m['lc_row']}: rule {m['lc_rule']!r}, "
                            f"detail {m['lc_detail']!r}, raw {m['lc_raw'][:40]!r}")
    if a.malformed is not None and len(malformed) != a.malformed:
        problems.append(f"{len(malformed)} malformed rows, expected {a.malformed}: "
                        f"{[m['lc_detail'] for m in malformed][:5]}")
    details = [m["lc_detail"] for m in malformed]
    if a.details and a.details.startswith("~"):
        bad = [d for d in details if not re.search(a.details[1:], d)]
        if bad:
            problems.append(f"details not matching {a.details[1:]!r}: {bad[:3]}")
    elif a.details is not None:
        expected = a.details.split("|") if a.details else []
        if details != expected:
            problems.append(f"details {details}, expected {expected}")
    if a.check:
        env = {
            "report": report,
            "cell": lambda n, col: rows[n][1][col],
            "where": lambda n: rows[n][0],
            "header": lambda which: tables[which][0],
            "enc": lambda: (report["inputs"][0]["encoding"],
                            report["inputs"][0]["encoding_method"]),
            "flag": lambda name: report["counts"]["by_flag"].get(name, 0),
        }
        try:
            ok = eval(a.check, env)  # the expression comes from run.sh
        except Exception as e:  # noqa: BLE001 - report any failure as such
            ok = False
            problems.append(f"check raised {type(e).__name__}: {e}")
        if not ok:
            problems.append(f"check failed: {a.check}")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
