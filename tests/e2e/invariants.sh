#!/usr/bin/env bash
# End-to-end invariants on generated 20k-row lists in both header styles and
# on the public hostile-input material:
#   conservation + fidelity (tests/e2e/check_invariants.py),
#   determinism across --threads 1/2 and read sizes,
#   several inputs cleaned as one list, stdin to stdout.
set -euo pipefail
bin="${LEADCLEAN:?}"
gen="${GEN_LEADS:?}"
testdata="${TESTDATA:?}"
here="$(cd "$(dirname "$0")" && pwd)"
check="python3 $here/check_invariants.py"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

run() {  # run NAME ARGS... : cleans into $tmp/NAME.{cleaned,rejects,json}
  local name="$1"; shift
  "$bin" clean "$@" -o "$tmp/$name.cleaned.csv" --rejects "$tmp/$name.rejects.csv" \
    --report "$tmp/$name.json" --quiet
}

for style in en vi; do
  extra=()
  [ "$style" = vi ] && extra=(--bom --crlf)
  "$gen" --rows 20000 --seed 7 --headers "$style" "${extra[@]}" \
    -o "$tmp/$style.csv" --truth "$tmp/$style.truth.csv"
  run "$style.t1" "$tmp/$style.csv" --threads 1
  run "$style.t2" "$tmp/$style.csv" --threads 2 --batch-rows 333
  run "$style.r7" "$tmp/$style.csv" --threads 2 --read-size 7
  if $check --cleaned "$tmp/$style.t2.cleaned.csv" --rejects "$tmp/$style.t2.rejects.csv" \
      --report "$tmp/$style.t2.json" "$tmp/$style.csv"; then
    ok "$style: conservation and fidelity"
  else
    bad "$style: conservation and fidelity"
  fi
  same=1
  for v in t2 r7; do
    for f in cleaned.csv rejects.csv; do
      cmp -s "$tmp/$style.t1.$f" "$tmp/$style.$v.$f" || same=0
    done
  done
  if [ "$same" = 1 ]; then ok "$style: identical for threads 1/2, batch 333, read size 7"
  else bad "$style: outputs differ across threads/batch/read size"; fi
done

# Several inputs are one list: lc_row runs on across files and dedup spans
# them, so when a file is cleaned together with a copy of itself, no row of
# the copy is kept (each repeats a row of the first copy, or is junk).
run multi "$tmp/en.csv" "$tmp/en.csv"
max_kept=$(python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
print(max(int(r['lc_row']) for r in rows))" "$tmp/multi.cleaned.csv")
rows_in=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['counts']['rows_in'])" "$tmp/multi.json")
if [ "$rows_in" = 40000 ] && [ "$max_kept" -le 20000 ] && \
   $check --cleaned "$tmp/multi.cleaned.csv" --rejects "$tmp/multi.rejects.csv" \
     --report "$tmp/multi.json" "$tmp/en.csv" "$tmp/en.csv" >/dev/null; then
  ok "two inputs: one list of 40000 rows, the second copy all rejected"
else
  bad "two inputs: rows_in $rows_in, highest kept lc_row $max_kept"
fi

# stdin to stdout; rejects go to leadclean.rejects.csv in the working dir.
(cd "$tmp" && "$bin" clean --quiet < en.csv > stdin.cleaned.csv)
if cmp -s "$tmp/stdin.cleaned.csv" "$tmp/en.t1.cleaned.csv" && \
   cmp -s "$tmp/leadclean.rejects.csv" "$tmp/en.t1.rejects.csv"; then
  ok "stdin to stdout gives the same outputs"
else
  bad "stdin to stdout differs from the file run"
fi

# Hostile and odd inputs: never a crash, conservation always.
for f in "$testdata"/probes/*.csv "$testdata"/csvlint-fixtures/*.csv \
         "$testdata"/rust-csv-examples/*.csv; do
  name="probe.$(basename "$f" .csv | tr ' ' _)"
  code=0
  run "$name" "$f" --threads 2 2>"$tmp/$name.err" || code=$?
  if [ "$code" -ne 0 ]; then
    bad "$(basename "$f"): exit $code: $(head -c 200 "$tmp/$name.err")"
    continue
  fi
  for size in 1 3; do
    run "$name.s$size" "$f" --threads 1 --read-size "$size"
    if ! cmp -s "$tmp/$name.cleaned.csv" "$tmp/$name.s$size.cleaned.csv" || \
       ! cmp -s "$tmp/$name.rejects.csv" "$tmp/$name.s$size.rejects.csv"; then
      bad "$(basename "$f"): read size $size changes the output"
      continue 2
    fi
  done
  if $check --cleaned "$tmp/$name.cleaned.csv" --rejects "$tmp/$name.rejects.csv" \
      --report "$tmp/$name.json" >/dev/null; then
    ok "$(basename "$f"): conservation, chunk invariance"
  else
    bad "$(basename "$f"): conservation"
  fi
done

echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
