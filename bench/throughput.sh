#!/usr/bin/env bash
# Issue 9's speed run, everything side by side in one hyperfine run on the
# same generated file:
#   wc -l                      the floor: reading the bytes
#   cp                         the floor for a tool that writes what it
#                              reads: the same bytes read and written once
#   pass-through               leadclean clean --stages none
#   leadclean --threads 1      every default stage, one worker
#   leadclean                  every default stage, all cores
#   peer_pandas                ../shared/bench/peer_pandas.py (pandas +
#                              phonenumbers + email_validator, run by
#                              Debian's /usr/bin/python3, which has them)
# then the ratios, and peak RSS of the full run with GNU time.
#
# Usage: bench/throughput.sh [ROWS] [extra leadclean args...]
#   RUNS=3 (hyperfine runs each), PEER=0 skips the pandas peer.
# Needs build/ (scripts/setup.sh) and: apt-get install hyperfine time
#   python3-pandas python3-phonenumbers python3-email-validator
# Data goes to bench/data/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
shift || true
runs="${RUNS:-3}"
mkdir -p bench/data/out
data="bench/data/leads_${rows}.csv"
if [ ! -f "$data" ]; then
  build/gen_leads --rows "$rows" --seed 1 --headers vi -o "$data" \
    --truth "bench/data/leads_${rows}.truth.csv"
fi
ls -l "$data"
out="bench/data/out"
lc="build/leadclean clean $data -o $out/cleaned.csv --rejects $out/rejects.csv --quiet $*"
commands=(-n "wc -l" "wc -l $data"
  -n "cp" "cp $data $out/copy.csv"
  -n "pass-through" "build/leadclean clean $data -o $out/pt.csv --rejects $out/pt.rejects.csv --quiet --stages none"
  -n "leadclean 1 thread" "$lc --threads 1"
  -n "leadclean" "$lc")
peer=../shared/bench/peer_pandas.py
if [ "${PEER:-1}" != 0 ] && [ -f "$peer" ]; then
  commands+=(-n "peer_pandas" "/usr/bin/python3 $peer $data $out/peer --phone-col 'Số điện thoại' --email-col Email --name-col 'Họ và tên'")
fi
hyperfine --warmup 1 --runs "$runs" --export-json bench/data/throughput.json "${commands[@]}"
python3 - "$rows" "$(stat -L -c %s "$data")" <<'PY'
import json, sys
rows, size = int(sys.argv[1]), int(sys.argv[2])
r = {x["command"]: x["median"] for x in json.load(open("bench/data/throughput.json"))["results"]}
lc, t1, wc, pt, cp = r["leadclean"], r["leadclean 1 thread"], r["wc -l"], r["pass-through"], r["cp"]
print(f"leadclean (all cores): {lc:.3f} s median = {rows / lc:,.0f} rows/s")
print(f"scaling: 1 thread {t1:.3f} s / all cores {lc:.3f} s = {t1 / lc:.2f}x")
print(f"pass-through: {pt:.3f} s = {size / pt / 1e6:,.0f} MB/s; wc -l: {wc:.3f} s = "
      f"{size / wc / 1e6:,.0f} MB/s; pass-through/wc throughput = {wc / pt:.3f}")
print(f"cp (read + write the bytes once): {cp:.3f} s = {wc / cp:.3f} of wc -l's throughput")
if "peer_pandas" in r:
    print(f"peer_pandas: {r['peer_pandas']:.3f} s; leadclean is {r['peer_pandas'] / lc:.1f}x faster")
PY
/usr/bin/time -f "leadclean peak RSS: %M KB, wall %e s" $lc
