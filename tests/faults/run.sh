#!/usr/bin/env bash
# Faults: what a killed, interrupted or starved run leaves behind.
#
#   - SIGKILL at several points of a large run (FAULT_ROWS rows, default
#     300000, from gen_leads): every destination file is whole, byte for byte
#     either the previous output or the reference run's output (the report:
#     the previous one or one with the reference counts). Temp files
#     (.<name>.leadclean-XXXXXX) may be left beside them: SIGKILL cannot be
#     caught.
#   - SIGINT / SIGTERM: exit by the signal (130 / 143), no temp file left,
#     neither beside the outputs nor the stdin spool in TMPDIR; previous
#     outputs untouched.
#   - Disk full: a file-size limit (ulimit -f, SIGXFSZ ignored, so write(2)
#     fails with EFBIG) and stdout on /dev/full: exit 4, no destination file
#     replaced or left partial.
#   - A FIFO as the destination is not replaced by a regular file.
#   - Every input is unchanged after every case (SHA-256).
# Env: LEADCLEAN, GEN_LEADS; FAULT_ROWS; FAULTS_KEEP=1 keeps the temp dir.
set -u
bin="$(realpath "${LEADCLEAN:?set LEADCLEAN to the leadclean binary}")"
gen="$(realpath "${GEN_LEADS:?set GEN_LEADS to the gen_leads binary}")"
rows="${FAULT_ROWS:-300000}"
tmp="$(mktemp -d)"
children=()
cleanup() {
  local pid
  for pid in "${children[@]}"; do
    kill -KILL "$pid" 2>/dev/null
  done
  [ -n "${FAULTS_KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
started=$SECONDS
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
sha() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
temps_in() { find "$1" -maxdepth 1 -name '.*.leadclean-*' | tr '\n' ' '; }

"$gen" --rows "$rows" --seed 11 --headers vi -o "$tmp/big.csv" 2>/dev/null
"$gen" --rows 20000 --seed 12 --headers vi -o "$tmp/small.csv" 2>/dev/null
"$gen" --rows 500 --seed 13 --headers vi -o "$tmp/old.csv" 2>/dev/null
inputs_sum="$(cd "$tmp" && sha256sum big.csv small.csv old.csv)"
inputs_unchanged() {
  [ "$(cd "$tmp" && sha256sum big.csv small.csv old.csv)" = "$inputs_sum" ]
}

# Scores decay with the age of created_at against the current time, so runs
# a minute apart may differ; a fixed --now makes every run of an input give
# the same bytes, so a killed run can be compared with the reference.
no_clock=(--now 2025-12-01)

# clean OUTDIR INPUT [ARGS...]: outputs c.csv, c.rejects.csv, r.json in OUTDIR.
# `exec`, so that `(clean ...) &` leaves $! the PID of leadclean itself.
clean() {
  local dir="$1" input="$2"
  shift 2
  exec "$bin" clean "$input" -o "$dir/c.csv" --report "$dir/r.json" --quiet \
    "${no_clock[@]}" "$@"
}
counts() {  # the report's counts, or "invalid"
  python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["counts"], sort_keys=True))' \
    "$1" 2>/dev/null || echo invalid
}

mkdir -p "$tmp/old" "$tmp/ref" "$tmp/small_ref"
(clean "$tmp/old" "$tmp/old.csv")
t0=$(now_ms)
(clean "$tmp/ref" "$tmp/big.csv")
ref_ms=$(( $(now_ms) - t0 ))
echo "reference run: $rows rows in $ref_ms ms"
(clean "$tmp/small_ref" "$tmp/small.csv")
declare -A old_sha ref_sha
for f in c.csv c.rejects.csv; do
  old_sha[$f]="$(sha "$tmp/old/$f")"
  ref_sha[$f]="$(sha "$tmp/ref/$f")"
done
old_report="$(sha "$tmp/old/r.json")"
ref_counts="$(counts "$tmp/ref/r.json")"

fresh_dir() {  # fresh_dir NAME: a folder holding the previous outputs
  local dir="$tmp/$1"
  mkdir -p "$dir"
  cp -p "$tmp/old/c.csv" "$tmp/old/c.rejects.csv" "$tmp/old/r.json" "$dir/"
  echo "$dir"
}

# whole DIR: every destination file is the previous or the reference one.
# Sets `state` (old, new or mixed) and `whole_problems`.
whole() {
  local dir="$1" f s news=0 olds=0 problems=""
  for f in c.csv c.rejects.csv; do
    s="$(sha "$dir/$f")"
    if [ "$s" = "${ref_sha[$f]}" ]; then news=$((news + 1))
    elif [ "$s" = "${old_sha[$f]}" ]; then olds=$((olds + 1))
    else problems+="$f is neither the previous nor the new file ($(stat -c %s "$dir/$f" 2>/dev/null || echo missing) bytes); "
    fi
  done
  if [ "$(sha "$dir/r.json")" = "$old_report" ]; then olds=$((olds + 1))
  elif [ "$(counts "$dir/r.json")" = "$ref_counts" ]; then news=$((news + 1))
  else problems+="r.json is neither the previous nor a complete new report; "
  fi
  if [ "$olds" = 0 ]; then state=new; elif [ "$news" = 0 ]; then state=old
  else state=mixed; fi
  whole_problems="$problems"
}

# ---- SIGKILL ------------------------------------------------------------------
# Delays as fractions of the reference run, plus a kill the moment the
# cleaned output has been renamed into place (between the commits).
mixed=0
for point in 10 45 80 rename; do
  dir="$(fresh_dir "kill_$point")"
  old_inode="$(stat -c %i "$dir/c.csv")"
  (clean "$dir" "$tmp/big.csv") &
  pid=$!
  children+=("$pid")
  if [ "$point" = rename ]; then
    while kill -0 "$pid" 2>/dev/null &&
          [ "$(stat -c %i "$dir/c.csv" 2>/dev/null)" = "$old_inode" ]; do
      sleep 0.002
    done
  else
    sleep "$(awk -v ms="$ref_ms" -v p="$point" 'BEGIN { printf "%.3f", ms * p / 100000 }')"
  fi
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  code=$?
  whole "$dir"
  problems="$whole_problems"
  inputs_unchanged || problems+="an input changed; "
  label="SIGKILL at ${point}$([ "$point" != rename ] && echo '%')"
  if [ -z "$problems" ]; then
    ok "$label: destination files whole ($state set; exit $code; temp files left: $(temps_in "$dir" | wc -w))"
  else
    bad "$label: $problems"
  fi
  [ "$state" = mixed ] && mixed=$((mixed + 1))
done
if [ "$mixed" -gt 0 ]; then
  echo "note: $mixed kill(s) left a mixed set (each file whole; the outputs are renamed one after the other)"
fi

# ---- SIGINT / SIGTERM ---------------------------------------------------------
# wait_for_temps DIR PID: until a temp file exists beside the outputs.
wait_for_temps() {
  while kill -0 "$2" 2>/dev/null && [ -z "$(temps_in "$1")" ]; do
    sleep 0.01
  done
}
signal_case() {  # signal_case SIGNAL EXPECTED_EXIT VIA_STDIN
  local sig="$1" want="$2" via_stdin="$3" dir spool pid code problems=""
  dir="$(fresh_dir "sig_$sig")"
  spool="$tmp/tmpdir_$sig"
  mkdir -p "$spool"
  if [ "$via_stdin" = 1 ]; then
    (export TMPDIR="$spool"; clean "$dir" - < "$tmp/big.csv") &
  else
    (export TMPDIR="$spool"; clean "$dir" "$tmp/big.csv") &
  fi
  pid=$!
  children+=("$pid")
  wait_for_temps "$dir" "$pid"
  sleep "$(awk -v ms="$ref_ms" 'BEGIN { printf "%.3f", ms * 0.2 / 1000 }')"
  kill -"$sig" "$pid"
  wait "$pid"
  code=$?
  [ "$code" = "$want" ] || problems+="exit $code, expected $want; "
  [ -z "$(temps_in "$dir")" ] || problems+="temp files left: $(temps_in "$dir"); "
  [ -z "$(ls -A "$spool")" ] || problems+="left in TMPDIR: $(ls -A "$spool" | tr '\n' ' '); "
  whole "$dir"
  problems+="$whole_problems"
  [ "$state" = old ] || problems+="outputs replaced ($state); "
  inputs_unchanged || problems+="an input changed; "
  if [ -z "$problems" ]; then
    ok "SIG$sig$([ "$via_stdin" = 1 ] && echo ' (stdin)'): exit $code, no temp file left, previous outputs untouched"
  else
    bad "SIG$sig$([ "$via_stdin" = 1 ] && echo ' (stdin)'): $problems"
  fi
}
signal_case INT 130 1
signal_case TERM 143 0

# ---- Disk full ----------------------------------------------------------------
dir="$(fresh_dir full)"
code=0
(
  ulimit -f 2048  # 2 MiB; the cleaned output of small.csv is about 7 MB
  trap '' XFSZ
  exec "$bin" clean "$tmp/small.csv" -o "$dir/c.csv" --report "$dir/r.json" --quiet
) 2> "$tmp/full.err" || code=$?
problems=""
[ "$code" = 4 ] || problems+="exit $code, expected 4; "
grep -q 'leadclean: .*File too large' "$tmp/full.err" ||
  problems+="stderr: $(head -c 200 "$tmp/full.err"); "
[ -z "$(temps_in "$dir")" ] || problems+="temp files left; "
whole "$dir"
problems+="$whole_problems"
[ "$state" = old ] || problems+="outputs replaced ($state); "
inputs_unchanged || problems+="an input changed; "
if [ -z "$problems" ]; then
  ok "file size limit (EFBIG): exit 4, previous outputs untouched, no temp file"
else
  bad "file size limit: $problems"
fi

dir="$tmp/devfull"
mkdir -p "$dir"
code=0
"$bin" clean "$tmp/small.csv" --rejects "$dir/r.csv" --quiet > /dev/full \
  2> "$tmp/devfull.err" || code=$?
problems=""
[ "$code" = 4 ] || problems+="exit $code, expected 4; "
grep -q 'No space left on device' "$tmp/devfull.err" ||
  problems+="stderr: $(head -c 200 "$tmp/devfull.err"); "
[ -z "$(ls -A "$dir")" ] || problems+="left: $(ls -A "$dir" | tr '\n' ' '); "
if [ -z "$problems" ]; then
  ok "stdout on /dev/full: exit 4, no rejects file"
else
  bad "stdout on /dev/full: $problems"
fi

# ---- A FIFO as the destination ------------------------------------------------
# `-o /dev/null` or a named pipe must be written to, never replaced by a
# regular file (as root, renaming over /dev/null would replace the device).
dir="$tmp/fifo"
mkdir -p "$dir"
mkfifo "$dir/out"
cat "$dir/out" > "$dir/got" &
reader=$!
children+=("$reader")
code=0
"$bin" clean "$tmp/small.csv" -o "$dir/out" --rejects "$dir/r.csv" --quiet "${no_clock[@]}" \
  2> "$tmp/fifo.err" || code=$?
problems=""
[ -p "$dir/out" ] || problems+="the FIFO was replaced by a regular file; "
if [ "$code" = 0 ]; then
  if [ -p "$dir/out" ]; then
    wait "$reader"
    cmp -s "$dir/got" "$tmp/small_ref/c.csv" || problems+="the reader did not get the cleaned CSV; "
  fi
elif [ "$code" != 2 ]; then
  problems+="exit $code (expected 0, or 2 for a refusal); "
fi
kill -KILL "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
if [ -z "$problems" ]; then
  ok "FIFO destination: kept as a FIFO (exit $code)"
else
  bad "FIFO destination: $problems"
fi

echo "faults: $passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" = 0 ]
