#!/usr/bin/env bash
# Golden end-to-end cases: each tests/golden/<case>/ holds input*.csv, an
# optional `args` file (extra arguments, one line) and expected/ outputs
# (cleaned.csv, rejects.csv, exit_code). Runs the real binary with two
# threads and compares byte for byte. UPDATE_GOLDEN=1 rewrites expected/.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(realpath "${LEADCLEAN:?set LEADCLEAN to the leadclean binary}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0
passed=0
for dir in "$here"/*/; do
  name="$(basename "$dir")"
  inputs=()
  for f in "$dir"input*.csv; do inputs+=("$f"); done
  args=()
  if [ -f "$dir/args" ]; then read -r -a args < "$dir/args"; fi
  out="$tmp/$name"
  mkdir -p "$out"
  (cd "$dir" && "$bin" clean "${inputs[@]}" -o "$out/cleaned.csv" \
     --rejects "$out/rejects.csv" --threads 2 --quiet "${args[@]}") \
     2> "$out/stderr"
  echo $? > "$out/exit_code"
  if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    mkdir -p "$dir/expected"
    for f in cleaned.csv rejects.csv exit_code; do
      if [ -f "$out/$f" ]; then cp "$out/$f" "$dir/expected/$f"; fi
    done
  fi
  ok=1
  if [ ! -f "$dir/expected/exit_code" ]; then
    echo "FAIL $name: no expected/exit_code (run with UPDATE_GOLDEN=1 and review)"
    ok=0
  fi
  for f in "$dir"expected/*; do
    [ -e "$f" ] || continue
    base="$(basename "$f")"
    if ! cmp -s "$f" "$out/$base"; then
      echo "FAIL $name: $base differs"
      diff "$f" "$out/$base" | head -20
      ok=0
    fi
  done
  if [ "$ok" = 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    sed 's/^/  stderr: /' "$out/stderr" | head -5
  fi
done
echo "golden: $passed passed, $failed failed"
[ "$failed" = 0 ]
