#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time: fuzz/run.sh [SECONDS]
# (default 60 per target). Builds the `fuzz` preset into build-fuzz/ when a
# target is missing, makes the seed corpora (make_seeds.py: testdata,
# samples, rules), replays fuzz/regressions/<target>/ first, then fuzzes
# with the corpus in build-fuzz/corpus/<target>/ (kept between runs, not
# committed). A crash, leak, timeout or sanitizer report is written to
# fuzz/regressions/<target>/ and makes the script exit 1.
# Env: TARGETS (default: all five); FUZZ_BUILD, a build of the `fuzz`
# preset elsewhere (default build-fuzz/); TESTDATA (for make_seeds.py).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
seconds="${1:-60}"
build="${FUZZ_BUILD:-$root/build-fuzz}"
targets="${TARGETS:-csv_reader_fuzz phone_stage_fuzz email_stage_fuzz name_stage_fuzz rules_fuzz}"

missing=0
for t in $targets; do [ -x "$build/fuzz/$t" ] || missing=1; done
if [ "$missing" = 1 ]; then
  (cd "$root" && cmake --preset fuzz -B "$build" >/dev/null &&
    cmake --build "$build" -j2 --target fuzz_targets) || exit 2
fi
rm -rf "$build/seeds"
python3 "$here/make_seeds.py" "$build/seeds" || exit 2
mkdir -p "$build/fuzz-logs"

declare -A max_len=([csv_reader_fuzz]=16384 [rules_fuzz]=16384)
status=0
for t in $targets; do
  exe="$build/fuzz/$t"
  regressions="$here/regressions/$t"
  mkdir -p "$regressions" "$build/corpus/$t"
  inputs=("$regressions"/*)
  if [ -e "${inputs[0]}" ]; then
    if ! "$exe" -rss_limit_mb=4096 "${inputs[@]}" > "$build/fuzz-logs/$t.regressions.log" 2>&1; then
      echo "$t: a regression input fails again (see $build/fuzz-logs/$t.regressions.log)"
      status=1
    fi
  fi
  "$exe" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -max_len="${max_len[$t]:-4096}" -print_final_stats=1 \
    -artifact_prefix="$regressions/" \
    "$build/corpus/$t" "$build/seeds/$t" > "$build/fuzz-logs/$t.log" 2>&1
  code=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-logs/$t.log" | grep -o '[0-9]*$')
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$build/fuzz-logs/$t.log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$build/fuzz-logs/$t.log" | tail -1)
  if [ "$code" = 0 ]; then
    echo "$t: ok, ${seconds} s, ${runs:-?} runs (${speed:-?}/s), $cov"
  else
    echo "$t: FAILED (exit $code) after ${runs:-?} runs; see $build/fuzz-logs/$t.log and $regressions/"
    grep -m3 -E 'ERROR|SUMMARY|csv_reader_fuzz:|stage:' "$build/fuzz-logs/$t.log" | sed 's/^/  /'
    status=1
  fi
done
exit $status
