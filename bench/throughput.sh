#!/usr/bin/env bash
# Throughput of `leadclean clean` on a generated list, side by side with
# `wc -l` on the same file, in one hyperfine run; then peak RSS with
# GNU time. Usage: bench/throughput.sh [ROWS] [extra leadclean args...]
# Needs: build/ (scripts/setup.sh), hyperfine and time (apt-get install
# hyperfine time). Data goes to bench/data/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
shift || true
mkdir -p bench/data
data="bench/data/leads_${rows}.csv"
if [ ! -f "$data" ]; then
  build/gen_leads --rows "$rows" --seed 1 --headers vi -o "$data" \
    --truth "bench/data/leads_${rows}.truth.csv"
fi
ls -l "$data"
out="bench/data/out"
mkdir -p "$out"
clean="build/leadclean clean $data -o $out/cleaned.csv --rejects $out/rejects.csv --quiet $*"
hyperfine --warmup 1 --runs 5 --export-json bench/data/throughput.json \
  -n "wc -l" "wc -l $data" -n leadclean "$clean"
python3 - "$rows" <<'PY'
import json, sys
rows = int(sys.argv[1])
r = {x["command"]: x["median"] for x in json.load(open("bench/data/throughput.json"))["results"]}
lc, wc = r["leadclean"], r["wc -l"]
print(f"leadclean: {lc:.3f} s median = {rows / lc:,.0f} rows/s; wc -l: {wc:.3f} s; "
      f"leadclean/wc ratio: {lc / wc:.1f}x slower")
PY
/usr/bin/time -f "peak RSS: %M KB, wall %e s" $clean
