#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from ../shared/testdata,
samples/ and rules/ (nothing here is committed; the testdata stays where it
is).

usage: make_seeds.py OUT_DIR      -> OUT_DIR/<target>/<n>
"""
import csv
import glob
import hashlib
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TESTDATA = os.environ.get(
    "TESTDATA", os.path.join(os.path.dirname(ROOT), "shared", "testdata"))
MAX_SEED = 16384


def save(out, target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    data = data[:MAX_SEED]
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def sample_columns(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def main():
    out = sys.argv[1]
    # CSV reader: every CSV of the testdata and the samples, behind the two
    # option bytes (read size 7, sniffed delimiter; read size 1, UTF-16LE).
    files = (glob.glob(f"{TESTDATA}/probes/*.csv") +
             glob.glob(f"{TESTDATA}/csvlint-fixtures/*.csv") +
             glob.glob(f"{TESTDATA}/rust-csv-examples/*.csv") +
             glob.glob(f"{TESTDATA}/csv-spectrum/csvs/*.csv") +
             glob.glob(f"{ROOT}/samples/*.csv") +
             glob.glob(f"{ROOT}/tests/golden/*/input*.csv"))
    for path in files:
        with open(path, "rb") as f:
            data = f.read(MAX_SEED - 2)
        save(out, "csv_reader_fuzz", b"\x06\x00" + data)
        if "utf16" in path:
            save(out, "csv_reader_fuzz", b"\x00\x50" + data)
    save(out, "csv_reader_fuzz", b"\x02\x08" + b'a,b\n1,"' + b"x" * 200)

    vi = sample_columns(f"{ROOT}/samples/leads_vi.csv")
    en = sample_columns(f"{ROOT}/samples/leads_en.csv")

    # Phones: libphonenumber examples (national numbers, with and without
    # +CC), libphonenumber-js mobiles, and the samples' damaged cells.
    with open(f"{TESTDATA}/libphonenumber-js/examples.mobile.json") as f:
        for region, number in json.load(f).items():
            save(out, "phone_stage_fuzz", number)
    for path in glob.glob(f"{TESTDATA}/libphonenumber/metadata/*/examples.csv"):
        cc = os.path.basename(os.path.dirname(path))
        with open(path, encoding="utf-8") as f:
            for line in f.read().splitlines()[1:]:
                m = re.search(r'"([0-9]+)"', line)
                if m:
                    save(out, "phone_stage_fuzz", f"+{cc} {m.group(1)}")
    for row in vi:
        save(out, "phone_stage_fuzz", row["Số điện thoại"])
    for row in en:
        save(out, "phone_stage_fuzz", row["phone_number"])
    save(out, "phone_stage_fuzz", "0912345678\x1f0987 654 321")

    # Emails: isemail, python-email-validator, the samples.
    with open(f"{TESTDATA}/isemail/skeggse-tests.json", encoding="utf-8") as f:
        for address, _ in json.load(f):
            save(out, "email_stage_fuzz", address)
    with open(f"{TESTDATA}/python-email-validator/email_validator_syntax_cases.json",
              encoding="utf-8") as f:
        for case in json.load(f)["cases"]:
            save(out, "email_stage_fuzz", case["input"])
    for row in vi:
        save(out, "email_stage_fuzz", row["Email"])
    for row in en:
        save(out, "email_stage_fuzz", row["email"])

    # Names (with companies and cities): the samples, FEBRL.
    for row in vi:
        save(out, "name_stage_fuzz", "\x1f".join(
            [row["Họ và tên"], "", "", row["Công ty"], row["Tỉnh/Thành phố"]]))
    for row in en:
        save(out, "name_stage_fuzz", row["full_name"])
    with open(f"{TESTDATA}/febrl/dataset1.csv", encoding="utf-8") as f:
        for i, row in enumerate(csv.reader(f, skipinitialspace=True)):
            if 0 < i <= 300:
                save(out, "name_stage_fuzz", "\x1f".join(["", row[2], row[1]]))

    # Rule files: each shipped file, named on the first line.
    for path in sorted(glob.glob(f"{ROOT}/rules/*")):
        with open(path, "rb") as f:
            data = f.read()
        name = os.path.basename(path).encode()
        save(out, "rules_fuzz", name + b"\n" + data)
        lines = data.splitlines(keepends=True)
        # Its header (and comments) with a few rows: small, fast seeds.
        save(out, "rules_fuzz", name + b"\n" + b"".join(lines[:40]))


if __name__ == "__main__":
    main()
