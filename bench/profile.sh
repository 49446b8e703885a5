#!/usr/bin/env bash
# Where a row's time goes: runs `leadclean clean` on one thread under
# valgrind's callgrind, which counts instructions and so gives the same
# figures on a busy machine as on an idle one, and prints instructions per
# row for each part of the run (inclusive: a part's callees count in it).
#
# Usage: bench/profile.sh [ROWS] [extra leadclean args...]
#   ROWS defaults to 200000 (about 4 minutes under callgrind). The list is
#   generated with gen_leads --seed 1 --headers vi into bench/data/ (git-
#   ignored); the raw profile is bench/data/profile.callgrind, for
#   callgrind_annotate. Needs build/ (scripts/setup.sh) and valgrind
#   (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-200000}"
shift || true
command -v valgrind >/dev/null || { echo "profile: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
mkdir -p bench/data/out
data="bench/data/leads_${rows}.csv"
if [ ! -f "$data" ]; then
  build/gen_leads --rows "$rows" --seed 1 --headers vi -o "$data"
fi
out=bench/data/profile.callgrind
valgrind --tool=callgrind --callgrind-out-file="$out" \
  build/leadclean clean "$data" -o bench/data/out/profile.csv \
  --rejects bench/data/out/profile.rejects.csv --quiet --threads 1 \
  --now 2026-11-22T12:00:00Z "$@" 2>bench/data/out/profile.log
callgrind_annotate --inclusive=yes "$out" >bench/data/out/profile.txt
python3 - "$rows" bench/data/out/profile.txt <<'PY'
import re, sys
rows, path = int(sys.argv[1]), sys.argv[2]
# name -> cost of the first (largest) matching line, so that one function's
# several entries (callgrind lists inlined copies apart) are not added twice.
parts = [
    ("read: cut records (serial, both passes)", r"CsvReader::NextChunk\("),
    ("read: split fields (both passes)", r"CsvChunkReader::Next\("),
    ("read: rows into batches (both passes)", r"AddRecord\("),
    ("UTF-8 check of each row (all callers)", r"leadclean::IsValidUtf8\("),
    ("stage name", r"NameStage::Process\("),
    ("stage phone", r"PhoneStage::Process\("),
    ("stage email", r"EmailStage::Process\("),
    ("stage fake", r"FakeStage::Process\("),
    ("stage no_contact", r"NoContactStage::Process\("),
    ("stage match_keys", r"MatchKeysStage::Process\("),
    ("stage score", r"ScoreStage::Process\("),
    ("stage call_window", r"CallWindowStage::Process\("),
    ("cross keys of each row (PrepareRow)", r"::PrepareRow\("),
    ("cross prepass, in order (bot keys, dedup index)", r"::PrepassPrepared\("),
    ("bot decisions (FinishPrepass)", r"BotStage::FinishPrepass\("),
    ("dedup decisions (FinishPrepass)", r"DedupStage::FinishPrepass\("),
    ("bot, second pass", r"BotStage::Process\("),
    ("dedup, second pass", r"DedupStage::Process\("),
    ("findings to the temp file (encode)", r"leadclean::EncodeFindings\("),
    ("findings from the temp file (decode)", r"leadclean::DecodeFindings\("),
    ("CSV writer (all callers)", r"leadclean::AppendCsvRecord\w*\("),
]
lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
costs = []
for line in lines:
    m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(\S.*)$", line)
    if m:
        costs.append((int(m.group(1).replace(",", "")), m.group(2)))
total = next((c for c, name in costs if "PROGRAM TOTALS" in name), None)
print(f"{rows:,} rows, one thread; instructions per row (inclusive)")
print(f"{'total':<50} {total / rows:>9,.0f}")
for label, pattern in parts:
    found = [c for c, name in costs if re.search(pattern, name)]
    text = f"{max(found) / rows:>9,.0f}" if found else f"{'-':>9}"
    print(f"{label:<50} {text}")
PY
