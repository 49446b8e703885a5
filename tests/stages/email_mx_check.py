#!/usr/bin/env python3
"""Checks one run of tests/stages/email_mx_test.sh.

usage: email_mx_check.py CLEANED REJECTS REPORT DNSMASQ_LOG LOG_FROM MODE

MODE is "dnsmasq" (every case answered by dnsmasq), "silent" (a resolver
that never answers) or "off" (no --check-mx). Prints what differs and exits
1, or exits 0.
"""
import collections
import csv
import json
import re
import sys
import time

NO_MX = "email_invalid;email_no_mx"
UNKNOWN = "email_mx_unknown"

# lc_row -> (lc_email, lc_email_status, lc_flags), or "no_contact" when the
# row must be rejected, per mode.
DNSMASQ = {
    1: ("an@withmx.lcmx.vn", "valid", ""),
    2: ("binh@aonly.lcmx.vn", "valid", ""),
    3: ("chi@aaaaonly.lcmx.vn", "valid", ""),
    4: ("", "invalid", NO_MX),                       # NXDOMAIN
    5: ("", "invalid", NO_MX),                       # Null MX
    6: ("", "invalid", NO_MX),                       # no MX, A or AAAA
    7: ("hoa@foo.other.vn", "valid", UNKNOWN),       # REFUSED
    8: ("khanh@x.slow.vn", "valid", UNKNOWN),        # timeout
    9: ("lan@gmail.com", "valid", "email_free"),     # provider: not asked
    10: "no_contact",                                # no phone, no mail host
    11: ("nam@withmx.lcmx.vn", "valid", ""),
    12: ("oanh@aonly.lcmx.vn", "valid", ""),         # first address has none
    13: ("", "invalid", "email_invalid;email_reserved"),  # not asked
    14: ("", "invalid", NO_MX),
    15: ("son@aonly.lcmx.vn", "valid", ""),
    16: ("tam@foo.other.vn", "valid", UNKNOWN),
}
SILENT = {
    row: (("lan@gmail.com", "valid", "email_free") if row == 9 else
          ("", "invalid", "email_invalid;email_reserved") if row == 13 else
          (None, "valid", UNKNOWN))
    for row in DNSMASQ
}
OFF = {
    row: (("lan@gmail.com", "valid", "email_free") if row == 9 else
          ("", "invalid", "email_invalid;email_reserved") if row == 13 else
          (None, "valid", ""))
    for row in DNSMASQ
}

DNSMASQ_REPORT = {
    "domains_looked_up": 8, "with_mx": 1, "address_only": 2, "no_mx": 3,
    "nxdomain": 1, "null_mx": 1, "no_address": 1, "unknown": 2,
    "timeouts": 1, "errors": 1, "dns_queries": 14,
}
SILENT_REPORT = {
    "domains_looked_up": 8, "with_mx": 0, "address_only": 0, "no_mx": 0,
    "unknown": 8, "timeouts": 8, "errors": 0, "dns_queries": 8,
}

# (type, name) -> allowed query counts in dnsmasq's log for one run.
ASKED_ONCE = ["withmx", "aonly", "aaaaonly", "nx", "nullmx", "noaddr"]
EXPECTED_QUERIES = {("MX", d + ".lcmx.vn"): {1} for d in ASKED_ONCE}
EXPECTED_QUERIES.update({(t, d + ".lcmx.vn"): {1}
                         for t in ("A", "AAAA")
                         for d in ("aonly", "aaaaonly", "noaddr")})
EXPECTED_QUERIES[("MX", "foo.other.vn")] = {1}
# c-ares sends an unanswered query once more after a third of --mx-timeout.
EXPECTED_QUERIES[("MX", "x.slow.vn")] = {1, 2}


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {int(r["lc_row"]): r for r in csv.DictReader(f)}


def check_rows(cleaned, rejects, expected, errors):
    for row, want in expected.items():
        if want == "no_contact":
            got = rejects.get(row)
            if got is None or got["lc_reason"] != "no_contact" or \
                    got["lc_flags"] != NO_MX:
                errors.append(f"row {row}: want rejected no_contact with "
                              f"{NO_MX}, got {got and dict(got)}")
            continue
        got = cleaned.get(row)
        if got is None:
            errors.append(f"row {row}: not in the cleaned output")
            continue
        email, status, flags = want
        got_triple = (got["lc_email"], got["lc_email_status"], got["lc_flags"])
        if email is None:
            email = got["lc_email"]  # the address itself is not the point
        if got_triple != (email, status, flags):
            errors.append(f"row {row} ({got['email']}): want "
                          f"{(email, status, flags)}, got {got_triple}")


def check_report(report, expected, errors):
    email = report["stages"]["email"]
    if expected is None:
        if "mx" in email:
            errors.append("report: an mx section without --check-mx")
        return
    mx = email.get("mx", {})
    for key, want in expected.items():
        if mx.get(key) != want:
            errors.append(f"report mx.{key}: want {want}, got {mx.get(key)}")


def count_queries(log_path, log_from):
    with open(log_path, encoding="utf-8", errors="replace") as f:
        lines = f.readlines()[log_from:]
    counts = collections.Counter()
    for line in lines:
        m = re.search(r"query\[(\w+)\] (\S+) from", line)
        if m:
            counts[(m.group(1), m.group(2).lower())] += 1
    return counts


def check_queries(log_path, log_from, expected, errors):
    # dnsmasq may write its log a moment after answering.
    for _ in range(20):
        counts = count_queries(log_path, log_from)
        bad = [(key, counts.get(key, 0)) for key in
               set(expected) | set(counts)
               if counts.get(key, 0) not in expected.get(key, {0})]
        if not bad:
            return
        time.sleep(0.1)
    for key, n in sorted(bad):
        errors.append(f"dnsmasq: {key[0]} {key[1]} asked {n} times, want "
                      f"{sorted(expected.get(key, {0}))}")


def main():
    cleaned_path, rejects_path, report_path, log_path, log_from, mode = \
        sys.argv[1:7]
    cleaned = read_rows(cleaned_path)
    rejects = read_rows(rejects_path)
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    errors = []
    rows, report_counts, queries = {
        "dnsmasq": (DNSMASQ, DNSMASQ_REPORT, EXPECTED_QUERIES),
        "silent": (SILENT, SILENT_REPORT, {}),
        "off": (OFF, None, {}),
    }[mode]
    check_rows(cleaned, rejects, rows, errors)
    check_report(report, report_counts, errors)
    check_queries(log_path, int(log_from), queries, errors)
    for error in errors:
        print(f"FAIL {mode}: {error}")
    if not errors:
        mx = report["stages"]["email"].get("mx")
        print(f"ok {mode}: {len(rows)} rows" +
              (f"; mx {json.dumps(mx, sort_keys=True)}" if mx else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
