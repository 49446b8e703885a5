#!/usr/bin/env bash
# Grades leadclean on freshly generated lists with ground truth: one run per
# header style, seeds not used while developing. Prints evaluate.py's report
# for each. Usage: bench/evaluate_all.sh [ROWS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-50000}"
seed="${2:-20261122}"
out="bench/data/eval"
mkdir -p "$out"
for style in vi en; do
  extra=()
  [ "$style" = vi ] && extra=(--bom --crlf)
  build/gen_leads --rows "$rows" --seed "$seed" --headers "$style" "${extra[@]}" \
    -o "$out/$style.csv" --truth "$out/$style.truth.csv"
  build/leadclean clean "$out/$style.csv" -o "$out/$style.cleaned.csv" \
    --rejects "$out/$style.rejects.csv" --report "$out/$style.json" \
    --now 2024-12-01T00:00:00+07:00 --quiet
  echo "=== $style headers, $rows rows, seed $seed"
  python3 bench/evaluate.py --truth "$out/$style.truth.csv" \
    --cleaned "$out/$style.cleaned.csv" --rejects "$out/$style.rejects.csv"
done
