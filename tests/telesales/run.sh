#!/usr/bin/env bash
# Telesales prep end to end, on a generated 5000-row list:
#   --sort score: rows by lc_score, highest first, ties in lc_row order; the
#     same bytes when the sort spills runs to disk (--sort-memory);
#   --split-by agent/temperature/source: every kept lc_row in exactly one
#     file (conservation), per-file counts in the report, agents' shares per
#     temperature within one of each other, sorted within files with --sort;
#   usage errors (--split-by without -o, agent without --agents);
#   no temp file left beside the outputs;
#   lc_call_window filled for rows with a phone.
set -u
bin="$(realpath "${LEADCLEAN:?set LEADCLEAN to the leadclean binary}")"
gen="$(realpath "${GEN_LEADS:?set GEN_LEADS to the gen_leads binary}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {  # check NAME PYTHON-ARGS...: runs the checker, counts the result
  local name="$1"
  shift
  if out="$(python3 "$tmp/check.py" "$@" 2>&1)"; then ok "$name"; else bad "$name: $out"; fi
}

cat > "$tmp/check.py" <<'EOF'
import csv, json, sys
csv.field_size_limit(1 << 30)

def rows(path):
    with open(path, newline='', encoding='utf-8') as f:
        return list(csv.DictReader(f))

def key(r):
    return (-int(r['lc_score']) if r['lc_score'] else 1, int(r['lc_row']))

mode = sys.argv[1]
if mode == 'sorted':  # sorted FILE REFERENCE: FILE = REFERENCE sorted
    got, ref = rows(sys.argv[2]), rows(sys.argv[3])
    assert [key(r) for r in got] == sorted(key(r) for r in ref), 'order'
    assert sorted(map(str, got)) == sorted(map(str, ref)), 'not the same rows'
elif mode == 'split':  # split REPORT REFERENCE SORTED(0/1) [agents]
    report = json.load(open(sys.argv[2]))
    ref = rows(sys.argv[3])
    sort = sys.argv[4] == '1'
    arrange = report['arrange']
    assert arrange['conserved'] and arrange['rows'] == len(ref), arrange
    seen = {}
    per_file = []
    for f in arrange['files']:
        got = rows(f['path'])
        assert len(got) == f['rows'], (f['path'], len(got), f['rows'])
        for r in got:
            seen[r['lc_row']] = seen.get(r['lc_row'], 0) + 1
        if sort:
            assert [key(r) for r in got] == sorted(key(r) for r in got), f['path']
        else:
            assert [int(r['lc_row']) for r in got] == sorted(int(r['lc_row']) for r in got), f['path']
        temps = {t: sum(r['lc_temperature'] == t for r in got) for t in ('hot', 'warm', 'cold')}
        assert temps == f['temperature'], (f['path'], temps, f['temperature'])
        per_file.append(temps)
    assert set(seen) == {r['lc_row'] for r in ref}, 'rows missing or extra'
    assert all(n == 1 for n in seen.values()), 'a row in two files'
    if arrange['split_by'] == 'agent':
        assert len(per_file) == int(sys.argv[5])
        for t in ('hot', 'warm', 'cold'):
            counts = [p[t] for p in per_file]
            assert max(counts) - min(counts) <= 1, (t, counts)
    print(' '.join('%s=%d' % (f['group'], f['rows']) for f in arrange['files']))
elif mode == 'window':  # window FILE: every row with a phone has a window
    for r in rows(sys.argv[2]):
        if r['lc_phone'].startswith('+84'):
            assert r['lc_call_window'].endswith(')'), r['lc_row']
        elif not r['lc_phone']:
            assert not r['lc_call_window'], r['lc_row']
EOF

"$gen" --rows 5000 --seed 3 --headers vi -o "$tmp/x.csv" --truth "$tmp/t.csv" 2>/dev/null
common=(--now 2025-06-01T09:00:00+07:00 --threads 2 --quiet)
"$bin" clean "$tmp/x.csv" -o "$tmp/ref.csv" "${common[@]}" || bad "reference run"
check "lc_call_window set for VN phones" window "$tmp/ref.csv"

# --sort, in memory and with runs on disk
"$bin" clean "$tmp/x.csv" -o "$tmp/s.csv" --sort score "${common[@]}" \
  --report "$tmp/s.json" && check "--sort score order" sorted "$tmp/s.csv" "$tmp/ref.csv"
"$bin" clean "$tmp/x.csv" -o "$tmp/e.csv" --sort score --sort-memory 20000 \
  "${common[@]}" --report "$tmp/e.json"
if cmp -s "$tmp/s.csv" "$tmp/e.csv" &&
   python3 -c "import json,sys; sys.exit(json.load(open('$tmp/e.json'))['arrange']['sort_runs'] < 2)"; then
  ok "external sort (runs on disk) = in-memory sort"
else
  bad "external sort differs from the in-memory sort"
fi
"$bin" clean "$tmp/x.csv" --rejects "$tmp/so.rejects.csv" --sort score \
  "${common[@]}" > "$tmp/stdout.csv" && cmp -s "$tmp/stdout.csv" "$tmp/s.csv" &&
  ok "--sort to stdout" || bad "--sort to stdout differs"

# --split-by, with and without --sort
mkdir -p "$tmp/out"
for sort in 0 1; do
  sort_args=()
  [ "$sort" = 1 ] && sort_args=(--sort score)
  for split in agent temperature source; do
    extra=()
    [ "$split" = agent ] && extra=(--agents 4)
    dir="$tmp/out/$split$sort"
    mkdir -p "$dir"
    if "$bin" clean "$tmp/x.csv" -o "$dir/calls.csv" --split-by "$split" "${extra[@]}" \
         "${sort_args[@]}" "${common[@]}" --report "$dir/r.json"; then
      (cd "$dir" && check "--split-by $split sort=$sort: conservation" \
         split r.json "$tmp/ref.csv" "$sort" 4)
    else
      bad "--split-by $split sort=$sort: exit $?"
    fi
    [ -e "$dir/calls.csv" ] && bad "--split-by wrote the base file"
    temps="$(find "$dir" -name '.*')"
    [ -z "$temps" ] && ok "no temp file left ($split$sort)" || bad "temp files left: $temps"
  done
done
[ -f "$tmp/out/agent0/calls.agent4.csv" ] && [ -f "$tmp/out/temperature1/calls.hot.csv" ] &&
  ok "split file names" || bad "split file names: $(ls "$tmp/out/agent0" "$tmp/out/temperature1")"

# Usage errors: exit 2 with a clear message, nothing written
expect_usage() {  # expect_usage NAME PATTERN ARGS...
  local name="$1" pattern="$2"
  shift 2
  err="$("$bin" clean "$tmp/x.csv" "$@" --quiet 2>&1 >/dev/null)"
  code=$?
  if [ "$code" = 2 ] && grep -q -- "$pattern" <<< "$err"; then ok "$name"; else bad "$name: exit $code: $err"; fi
}
expect_usage "--split-by without -o" "needs -o BASE.csv" --split-by agent --agents 2
expect_usage "--split-by agent without --agents" "needs --agents N" \
  -o "$tmp/u.csv" --split-by agent
expect_usage "--agents without agent split" "only for --split-by agent" \
  -o "$tmp/u.csv" --split-by source --agents 3
expect_usage "unknown --sort" "score" -o "$tmp/u.csv" --sort name
[ -e "$tmp/u.csv" ] || [ -e "$tmp/u.rejects.csv" ] && bad "usage error wrote files" || ok "usage errors write nothing"

# An output that cannot be written: exit 4, no file left from the split
mkdir -p "$tmp/ro" && chmod 500 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
  "$bin" clean "$tmp/x.csv" -o "$tmp/ro/c.csv" --split-by temperature "${common[@]}" 2>/dev/null
  code=$?
  [ "$code" = 4 ] && [ -z "$(ls -A "$tmp/ro")" ] && ok "unwritable folder: exit 4" ||
    bad "unwritable folder: exit $code, left $(ls -A "$tmp/ro")"
fi
chmod 700 "$tmp/ro"

echo "telesales: $passed passed, $failed failed"
[ "$failed" = 0 ]
