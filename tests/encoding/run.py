#!/usr/bin/env python3
"""End-to-end encoding tests (CTest `encodings`): one Vietnamese list written
in each supported encoding by make_fixtures.py must clean to the same lc_*
columns as its UTF-8 original, and the report must name the encoding.
Env: LEADCLEAN (the binary). KEEP=1 keeps the temp dir."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
LEADCLEAN = os.environ["LEADCLEAN"]
NOW = "2025-06-01T09:00:00+07:00"
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(tmp, name, *extra):
    out = os.path.join(tmp, name + ".out.csv")
    rep = os.path.join(tmp, name + ".report.json")
    proc = subprocess.run(
        [LEADCLEAN, "clean", os.path.join(tmp, name + ".csv"), "-o", out,
         "--report", rep, "--now", NOW, "--threads", "2", "-q", *extra],
        capture_output=True)
    if proc.returncode != 0:
        print(proc.stderr.decode(errors="replace"))
        check(False, "%s %s: exit %d" % (name, " ".join(extra), proc.returncode))
        return None, None, None
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with open(rep, encoding="utf-8") as f:
        report = json.load(f)
    with open(out, "rb") as f:
        raw = f.read()
    return rows, report, raw


def column(rows, name):
    i = rows[0].index(name)
    return [r[i] for r in rows[1:]]


def nfc(cells):
    return [unicodedata.normalize("NFC", c) for c in cells]


def main():
    tmp = tempfile.mkdtemp(prefix="lc-enc-")
    try:
        subprocess.run([sys.executable, os.path.join(HERE, "make_fixtures.py"),
                        tmp], check=True)
        ref, ref_report, _ = run(tmp, "utf8")
        if ref is None:
            return 1
        check(ref_report["inputs"][0]["encoding"] == "UTF-8" and
              ref_report["inputs"][0]["encoding_method"] == "utf-8",
              "utf8: report says UTF-8 (method utf-8)")
        names = column(ref, "lc_name")
        check(names[0] == "Nguyễn Văn An" and names[2] == "Lê Đức Thọ",
              "utf8: reference lc_name is right")
        lc = ["lc_name", "lc_phone", "lc_email"]
        originals = ref[0][:4]

        cases = [("cp1258", "windows-1258", "scored"),
                 ("tcvn3", "TCVN3", "scored"),
                 ("vni", "VNI", "scored"),
                 ("utf16le", "UTF-16LE", "bom"),
                 ("utf16be", "UTF-16BE", "bom")]
        for name, encoding, method in cases:
            for extra in ([], ["--read-size", "1"], ["--read-size", "7"],
                          ["--encoding", encoding]):
                rows, report, _ = run(tmp, name, *extra)
                if rows is None:
                    continue
                label = "%s %s" % (name, " ".join(extra))
                inp = report["inputs"][0]
                want_method = "option" if "--encoding" in extra else method
                check(inp["encoding"] == encoding and
                      inp["encoding_method"] == want_method,
                      "%s: report encoding %s (%s), got %s (%s, %.2f)" %
                      (label, encoding, want_method, inp["encoding"],
                       inp["encoding_method"], inp["encoding_confidence"]))
                if want_method == "scored":
                    check(inp["encoding_confidence"] >= 0.5,
                          "%s: confidence %.2f >= 0.5" %
                          (label, inp["encoding_confidence"]))
                check(nfc(rows[0][:4]) == originals,
                      "%s: header decoded to the UTF-8 header" % label)
                for col in lc:
                    check(column(rows, col) == column(ref, col),
                          "%s: %s as from UTF-8" % (label, col))
                for i in range(4):
                    check(nfc([r[i] for r in rows[1:]]) ==
                          [r[i] for r in ref[1:]],
                          "%s: original column %d decoded" % (label, i + 1))

        # windows-1252: Western names (cp1252 cannot hold Vietnamese).
        wref, _, _ = run(tmp, "western_utf8")
        rows, report, _ = run(tmp, "cp1252")
        if rows is not None:
            check(report["inputs"][0]["encoding"] == "windows-1252",
                  "cp1252: report says windows-1252, got %s" %
                  report["inputs"][0]["encoding"])
            check(rows == wref, "cp1252: output equals the UTF-8 original's")

        # Pure ASCII stays UTF-8.
        rows, report, _ = run(tmp, "ascii")
        if rows is not None:
            inp = report["inputs"][0]
            check(inp["encoding"] == "UTF-8" and
                  inp["encoding_method"] == "ascii" and
                  inp["encoding_confidence"] == 1,
                  "ascii: UTF-8, method ascii, confidence 1")

        # Mojibake: reported, flagged, repaired only with --fix-mojibake.
        with open(os.path.join(tmp, "mojibake.csv"), "rb") as f:
            moji_bytes = f.read()
        moji_rows = list(csv.reader(io.StringIO(moji_bytes.decode("utf-8"))))
        affected = sum(1 for r in moji_rows[1:] for c in r
                       if any(ord(ch) > 127 for ch in c))
        rows, report, _ = run(tmp, "mojibake")
        if rows is not None:
            check(report["inputs"][0]["encoding"] == "UTF-8",
                  "mojibake: the file is UTF-8")
            check(report["mojibake"]["cells"] == affected and
                  report["mojibake"]["rows"] == len(moji_rows) - 1 and
                  report["mojibake"]["repaired"] is False,
                  "mojibake: report counts %d cells, %d rows, not repaired "
                  "(got %s)" % (affected, len(moji_rows) - 1,
                                report["mojibake"]))
            check(all("mojibake" in f.split(";") for f in column(rows, "lc_flags")),
                  "mojibake: every row flagged mojibake")
        rows, report, _ = run(tmp, "mojibake", "--fix-mojibake")
        if rows is not None:
            check(report["mojibake"]["cells"] == affected and
                  report["mojibake"]["repaired"] is True,
                  "mojibake --fix-mojibake: report counts the cells, repaired")
            check(rows[0][:4] == moji_rows[0],
                  "mojibake --fix-mojibake: header written as read")
            for i in range(4):
                check(column(rows, moji_rows[0][i]) ==
                      [r[i] for r in moji_rows[1:]],
                      "mojibake --fix-mojibake: original column %d as read" %
                      (i + 1))
            for col in lc:
                check(column(rows, col) == column(ref, col),
                      "mojibake --fix-mojibake: %s as from UTF-8" % col)
    finally:
        if os.environ.get("KEEP") == "1":
            print("kept", tmp)
        else:
            shutil.rmtree(tmp)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
