#!/usr/bin/env bash
# Progress and colour on stderr (CTest `progress`). util-linux `script`
# gives the run a pseudo-terminal: the progress line (\r ... rows/s) must
# appear there and never when stderr is a pipe or a file; --quiet silences
# it; NO_COLOR and a non-terminal stderr mean no ANSI colour.
# Env: LEADCLEAN, GEN_LEADS.
set -u
lc="$(realpath "${LEADCLEAN:?}")"
gen="$(realpath "${GEN_LEADS:?}")"
command -v script >/dev/null || { echo "SKIP: no script(1)"; exit 0; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
"$gen" --rows 60000 --seed 21 --headers vi -o "$tmp/in.csv" 2>/dev/null
run="'$lc' clean '$tmp/in.csv' -o '$tmp/out.csv' --now 2025-06-01T09:00:00+07:00"

# On a terminal: progress, then a coloured summary.
env -u NO_COLOR TERM=xterm script -qec "$run" /dev/null </dev/null > "$tmp/tty.txt" 2>&1
if grep -q 'rows/s' "$tmp/tty.txt" && grep -q $'\r' "$tmp/tty.txt" &&
   grep -q '%' "$tmp/tty.txt"; then ok "tty: progress with rows/s and percent"
else bad "tty: no progress line"; cat -v "$tmp/tty.txt" | head -5; fi
if grep -q $'\x1b\\[' "$tmp/tty.txt"; then ok "tty: summary in colour"
else bad "tty: no colour"; fi
grep -q 'conservation' "$tmp/tty.txt" && ok "tty: summary printed" || bad "tty: no summary"

# NO_COLOR: progress still, no ANSI escape anywhere.
NO_COLOR=1 TERM=xterm script -qec "$run" /dev/null </dev/null > "$tmp/nocolor.txt" 2>&1
if grep -q $'\x1b' "$tmp/nocolor.txt"; then bad "NO_COLOR: escape sequence seen"
else ok "NO_COLOR: no escape sequence"; fi
grep -q 'rows/s' "$tmp/nocolor.txt" && ok "NO_COLOR: progress still shown" || bad "NO_COLOR: no progress"

# --quiet on a terminal: nothing at all.
TERM=xterm script -qec "$run -q" /dev/null </dev/null > "$tmp/quiet.txt" 2>&1
[ ! -s "$tmp/quiet.txt" ] && ok "--quiet: nothing on the terminal" || { bad "--quiet: output seen"; cat -v "$tmp/quiet.txt" | head -3; }

# Piped stderr: summary only, no progress, no colour.
env -u NO_COLOR TERM=xterm "$lc" clean "$tmp/in.csv" -o "$tmp/out.csv" --now 2025-06-01T09:00:00+07:00 2>&1 | cat > "$tmp/pipe.txt"
if grep -q 'rows/s' "$tmp/pipe.txt" || grep -q $'\r' "$tmp/pipe.txt" || grep -q $'\x1b' "$tmp/pipe.txt"; then
  bad "pipe: progress or colour seen"; cat -v "$tmp/pipe.txt" | head -3
else ok "pipe: no progress, no colour"; fi
grep -q 'conservation: ok' "$tmp/pipe.txt" && ok "pipe: plain summary" || bad "pipe: no summary"
exit $fail
