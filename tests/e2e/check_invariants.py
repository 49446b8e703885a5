#!/usr/bin/env python3
"""Checks leadclean's invariants on one run, with Python's own CSV parser.

usage: check_invariants.py --cleaned C --rejects R [--report J] [INPUT ...]

- conservation: lc_row values across cleaned + rejects are exactly 1..N, each
  once, where N is the report's rows_in (and, when inputs are given, the
  number of data rows Python's csv module reads from them);
- the report's phase timings are >= 0 and add up to no more than the total;
- fidelity (when inputs are given and parse cleanly): every output row's
  original columns equal the input row's fields, and the output header starts
  with the input header.
Exits 1 with a message on the first violation.
"""
import argparse
import csv
import io
import json
import sys

csv.field_size_limit(1 << 30)


def read(path):
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    return list(csv.reader(io.StringIO(text, newline="")))


def looks_like_formula(cell):
    """Mirror of LooksLikeFormula in src/csv/writer.cc."""
    if not cell:
        return False
    if cell[0] in "=@\t\r":
        return True
    if cell[0] not in "+-" or len(cell) == 1:
        return False
    rest = cell[1:]
    if any(not (c.isdigit() and c.isascii()) and c not in " .,-()" for c in rest):
        return True
    return not any(c.isdigit() and c.isascii() for c in rest)


def same_value(original, written):
    """Equal, or neutralised by the default --excel-safe."""
    return written == original or (
        looks_like_formula(original) and written == "'" + original)


def fail(message):
    print("invariant violated:", message)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cleaned", required=True)
    ap.add_argument("--rejects", required=True)
    ap.add_argument("--report")
    ap.add_argument("inputs", nargs="*")
    a = ap.parse_args()
    cleaned = read(a.cleaned)
    rejects = read(a.rejects)
    c_head, r_head = cleaned[0], rejects[0]
    c_row = c_head.index("lc_row")
    r_row = r_head.index("lc_row")
    seen = {}
    for name, rows, col in (("cleaned", cleaned[1:], c_row), ("rejects", rejects[1:], r_row)):
        for r in rows:
            n = int(r[col])
            if n in seen:
                fail(f"lc_row {n} appears in {seen[n]} and {name}")
            seen[n] = name
    total = len(seen)
    if a.report:
        with open(a.report, encoding="utf-8") as f:
            report = json.load(f)
        rows_in = report["counts"]["rows_in"]
        if rows_in != total:
            fail(f"report rows_in {rows_in} != rows written {total}")
        if not report["conservation"]["ok"]:
            fail("report says conservation failed")
        t = report["timings"]
        phases = [t[k] for k in ("setup_seconds", "first_pass_seconds",
                                 "between_passes_seconds", "last_pass_seconds")]
        if min(phases) < 0 or t["last_pass_seconds"] <= 0 or \
                sum(phases) > t["total_seconds"] * 1.0001 + 1e-6:
            fail(f"report timings do not add up: {t}")
    if sorted(seen) != list(range(1, total + 1)):
        fail("lc_row values are not exactly 1..N")
    if not a.inputs:
        print(f"conservation ok: {total} rows")
        return
    originals = []
    header = None
    for path in a.inputs:
        rows = read(path)
        header = rows[0]
        originals.extend(rows[1:])
    originals = [r for r in originals if r != []]
    if len(originals) != total:
        fail(f"inputs hold {len(originals)} rows, outputs {total}")
    width = len(header)
    if not all(same_value(h, c) and same_value(h, r)
               for h, c, r in zip(header, c_head[:width], r_head[:width])):
        fail("output header does not start with the input header")
    by_row = {}
    for rows, col in ((cleaned[1:], c_row), (rejects[1:], r_row)):
        for r in rows:
            by_row[int(r[col])] = r[:width]
    for i, original in enumerate(originals, start=1):
        written = by_row[i]
        if len(written) != len(original) or not all(
                same_value(o, w) for o, w in zip(original, written)):
            fail(f"row {i}: original values changed: {original!r} -> {written!r}")
    print(f"conservation and fidelity ok: {total} rows")


if __name__ == "__main__":
    main()
