#!/usr/bin/env python3
"""Writes the generated inputs of the malformed suite into DIR.

usage: make_inputs.py DIR

Everything is deterministic (hashed noise, gzip mtime 0), so each case's
expected outcome in run.sh is exact. Nothing here is committed: the files
are made in a temp dir at test time (one is 17 MiB).
"""
import gzip
import hashlib
import os
import sys

MIB = 1 << 20


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    d = sys.argv[1]
    write(d, "empty.csv", b"")
    write(d, "header_only.csv", b"name,phone,email\n")
    write(d, "header_only_no_newline.csv", b"name,phone,email")
    write(d, "blank_lines_only.csv", b"\n\r\n\n\r\r\n")
    # A 10 MB quoted field (with commas, quotes and newlines inside), under
    # the 16 MiB default cap: a normal row.
    big = (b'abc,"" \n' * (10_000_000 // 8))[:10_000_000]
    write(d, "field_10mb.csv",
          b'name,phone,notes\nAn,0912345678,"' + big.replace(b'"', b'""') +
          b'"\nBinh,0987654321,ok\n')
    # One 17 MiB unquoted line: over the default 16 MiB record cap.
    write(d, "line_17mib.csv",
          b"name,phone\n" + b"x" * (17 * MIB) + b"\nAn,0912345678\n")
    # 100,000 columns, two data rows (the second one short by one field).
    n = 100_000
    header = b",".join(b"c%d" % i for i in range(n))
    row = b",".join(b"%d" % (i % 10) for i in range(n))
    short = b",".join(b"%d" % (i % 10) for i in range(n - 1))
    write(d, "columns_100k.csv", header + b"\n" + row + b"\n" + short + b"\n")
    # NUL bytes: in the header, an unquoted field and a quoted field.
    write(d, "nul_bytes.csv",
          b"na\x00me,phone\nAn\x00,0912345678\n\"B\x00inh\",0987654321\n\x00\n")
    # Mixed line endings: CRLF, LF, CR, CRLF inside quotes.
    write(d, "mixed_endings.csv",
          b"name,phone\r\nAn,0912345678\nBinh,0987654321\rChi,\"09\r\n"
          b"12\"\r\nDung,0903123456")
    write(d, "dup_empty_headers.csv",
          b"phone,,phone,\n0912345678,An,0903123456,x\n,,,\n")
    # The input ends inside a quoted field opened on line 3: only line 3 is
    # quarantined, and the lines the open quote swallowed are read again.
    write(d, "ends_in_quote.csv",
          b'name,phone\nAn,0912345678\nBinh,"0987\nChi,0903123456\nDung,09')
    # 4 KiB of pseudo-random bytes (SHA-256 in counter mode: the same bytes
    # on every Python version).
    noise = b"".join(hashlib.sha256(b"leadclean-%d" % i).digest()
                     for i in range(128))
    write(d, "random_bytes.bin", noise)
    sample = b"name,phone\n" + b"".join(
        b"Nguyen Van %d,09123%05d\n" % (i, i) for i in range(200))
    write(d, "leads.csv.gz", gzip.compress(sample, mtime=0))
    utf16 = "Họ và tên,Số điện thoại\nNguyễn Văn An,0912345678\n"
    write(d, "utf16le_bom.csv", b"\xff\xfe" + utf16.encode("utf-16-le"))
    write(d, "utf16le_nobom.csv", utf16.encode("utf-16-le"))
    write(d, "utf16be_bom.csv", b"\xfe\xff" + utf16.encode("utf-16-be"))
    write(d, "header_unterminated.csv", b'name,"phone\nAn,0912345678\n')
    write(d, "ok.csv", b"name,phone\nAn,0912345678\nBinh,0903123456\n")
    # windows-1258 spells "ầ" as "â" (0xE2) + combining grave (0xCC).
    write(d, "cp1258.csv",
          b"Ho va ten,S\xd0T\nTr\xe2\xccn An,0912345678\n")
    # Rule tables a user might break: a missing column, an unknown value.
    os.makedirs(os.path.join(d, "rules_bad_header"), exist_ok=True)
    write(d, "rules_bad_header/dedup_rules.csv",
          b"id,keys,enabled,message\ndedup_x,phone,1,no guard column\n")
    os.makedirs(os.path.join(d, "rules_bad_value"), exist_ok=True)
    write(d, "rules_bad_value/dedup_rules.csv",
          b"id,keys,guard,enabled,message\ndedup_x,no_such_key,none,1,bad\n")


if __name__ == "__main__":
    main()
