#!/usr/bin/env bash
# Malformed-input suite: the real binary on hostile, broken and odd inputs.
#
# Every case asserts its outcome: the exit code, and either
#   - exit 0/1: rows_in, the malformed rows (count and lc_detail "line L,
#     byte B: what"), conservation (tests/e2e/check_invariants.py), no temp
#     file left beside the outputs, and an optional check on the outputs; or
#   - exit 2/3/4: a "leadclean: ..." message on stderr matching a pattern and
#     no output file at all (no partial file).
# For every case: no crash (exit >= 128, or 5 = internal error) and every
# input file unchanged (SHA-256 before and after).
#
# Inputs: ../shared/testdata/{probes,csvlint-fixtures,rust-csv-examples} and
# files generated into a temp dir by make_inputs.py (one is 17 MiB; none is
# committed). Env: LEADCLEAN (binary), TESTDATA; JOBS cases run at once
# (default 2).
set -u
bin="$(realpath "${LEADCLEAN:?set LEADCLEAN to the leadclean binary}")"
testdata="$(realpath "${TESTDATA:?set TESTDATA to ../shared/testdata}")"
here="$(cd "$(dirname "$0")" && pwd)"
jobs="${JOBS:-2}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gen="$tmp/in"
mkdir -p "$gen" "$tmp/out" "$tmp/results"
python3 "$here/make_inputs.py" "$gen"
probes="$testdata/probes"
csvlint="$testdata/csvlint-fixtures"
rust="$testdata/rust-csv-examples"
started=$SECONDS

existing_files() {  # existing_files PATH...: the regular files among them
  local f
  for f in "$@"; do
    if [ -f "$f" ]; then printf '%s\n' "$f"; fi
  done
}

sums() {  # sums FILE...: SHA-256 of each (a missing file reads as missing)
  local f
  for f in "$@"; do
    sha256sum "$f" 2>/dev/null || echo "missing $f"
  done
}

# run_case ID EXIT ROWS MALFORMED DETAILS STDERR_RE ARGS...
#   ROWS, MALFORMED: expected rows_in and malformed count, "-" = not checked.
#   DETAILS: the malformed rows' lc_detail, "|"-separated, or "~REGEX".
#   STDERR_RE: grep -E pattern stderr must match ("" = not checked).
# Per-case variables, set as prefixes of `t`:
#   CHECK    Python expression over the outputs (see check_case.py)
#   STDIN    file fed to stdin
#   OWN_OUT  1 = ARGS name their own outputs; ABSENT lists paths that must
#            not exist afterwards (and no temp file may be left beside them)
#   TIMEOUT  wall-clock seconds (default 120)
#   CPU_LIMIT  CPU seconds (ulimit -t; load-independent, unlike TIMEOUT)
run_case() {
  local id="$1" want_exit="$2" rows="$3" malformed="$4" details="$5"
  local want_err="$6"
  shift 6
  local out="$tmp/out/$id"
  mkdir -p "$out"
  local args=("$@")
  if [ "${OWN_OUT:-0}" != 1 ]; then
    args+=(-o "$out/cleaned.csv" --rejects "$out/rejects.csv"
           --report "$out/report.json")
  fi
  local inputs=("$@")
  [ -n "${STDIN:-}" ] && inputs+=("$STDIN")
  local files=() before after code=0
  mapfile -t files < <(existing_files "${inputs[@]}")
  before="$(sums "${files[@]}")"
  (
    cd "$out" || exit 99
    if [ -n "${CPU_LIMIT:-}" ]; then ulimit -t "$CPU_LIMIT"; fi
    if [ -n "${STDIN:-}" ]; then
      exec timeout -k 10 "${TIMEOUT:-120}" "$bin" clean "${args[@]}" \
        --threads 2 --quiet < "$STDIN"
    else
      exec timeout -k 10 "${TIMEOUT:-120}" "$bin" clean "${args[@]}" \
        --threads 2 --quiet < /dev/null
    fi
  ) > "$tmp/$id.stdout" 2> "$tmp/$id.stderr" || code=$?
  after="$(sums "${files[@]}")"
  local problems=()
  if [ "$code" = 124 ]; then
    problems+=("timed out after ${TIMEOUT:-120} s")
  elif [ -n "${CPU_LIMIT:-}" ] && { [ "$code" = 152 ] || [ "$code" = 137 ]; }; then
    problems+=("killed: over ${CPU_LIMIT:-?} s of CPU (exit $code)")
  elif [ "$code" -ge 128 ] || [ "$code" = 5 ]; then
    problems+=("crash or internal error: exit $code")
  elif [ "$code" != "$want_exit" ]; then
    problems+=("exit $code, expected $want_exit")
  fi
  [ "$before" = "$after" ] || problems+=("an input file was modified")
  if [ -n "$want_err" ] && ! grep -Eq -- "$want_err" "$tmp/$id.stderr"; then
    problems+=("stderr does not match /$want_err/")
  fi
  local dirs=("$out")
  if [ "${OWN_OUT:-0}" = 1 ]; then
    local path
    for path in ${ABSENT:-}; do
      [ -e "$path" ] && problems+=("$(basename "$path") exists")
      dirs+=("$(dirname "$path")")
    done
  fi
  local leftovers
  leftovers="$(find "${dirs[@]}" -maxdepth 1 -name '.*.leadclean-*' 2>/dev/null)"
  [ -z "$leftovers" ] || problems+=("temp files left: $leftovers")
  if [ "$code" = 0 ] || [ "$code" = 1 ]; then
    if [ "${OWN_OUT:-0}" != 1 ]; then
      local invariants
      if ! invariants="$(python3 "$here/../e2e/check_invariants.py" \
            --cleaned "$out/cleaned.csv" --rejects "$out/rejects.csv" \
            --report "$out/report.json" 2>&1)"; then
        problems+=("$invariants")
      fi
      local opts=(--dir "$out")
      [ "$rows" != - ] && opts+=(--rows "$rows")
      [ "$malformed" != - ] && opts+=(--malformed "$malformed" --details "$details")
      [ -n "${CHECK:-}" ] && opts+=(--check "$CHECK")
      local checked
      checked="$(python3 "$here/check_case.py" "${opts[@]}" 2>&1)" ||
        problems+=("$checked")
    fi
  elif [ "$code" -ge 2 ] && [ "$code" -le 4 ]; then
    grep -q '^leadclean: ' "$tmp/$id.stderr" ||
      problems+=("no 'leadclean: ...' message on stderr")
    if [ "${OWN_OUT:-0}" != 1 ] && [ -n "$(ls -A "$out")" ]; then
      problems+=("files left after a failed run: $(ls -A "$out" | tr '\n' ' ')")
    fi
  fi
  if [ ${#problems[@]} = 0 ]; then
    echo "ok: $id"
  else
    echo "FAIL: $id"
    printf '  %s\n' "${problems[@]}"
    head -c 400 "$tmp/$id.stderr" | sed 's/^/  stderr: /'
  fi
}

count=0
t() {  # t ID ... : runs run_case in the background, at most $jobs at once
  count=$((count + 1))
  run_case "$@" > "$tmp/results/$(printf %03d "$count")" 2>&1 &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
}

# ---- ../shared/testdata/probes ----------------------------------------------
#   id                        exit rows mal details / stderr         args
t probe_01_ragged_short        0   2   1 "line 2, byte 6: expected 3 fields, found 2" "" "$probes/01_ragged_short.csv"
t probe_02_ragged_long         0   2   1 "line 2, byte 6: expected 3 fields, found 4" "" "$probes/02_ragged_long.csv"
CHECK="cell(1,'b') == 'x\"y'" \
t probe_03_bare_quote          0   2   0 "" "" "$probes/03_bare_quote_unquoted.csv"
CHECK="cell(1,'b') == 'xy'" \
t probe_04_after_close_quote   0   2   0 "" "" "$probes/04_text_after_closing_quote.csv"
CHECK="cell(2,'a') == '2' and cell(2,'b') == '3'" \
t probe_05_unterminated        0   2   1 "line 2, byte 4: unterminated quoted field" "" "$probes/05_unterminated_quote.csv"
CHECK="cell(1,'b') == 'x\ny' and cell(2,'b') == 'z'" \
t probe_06_embedded_newline    0   2   0 "" "" "$probes/06_embedded_newline.csv"
CHECK="report['inputs'][0]['bom'] and header('cleaned')[0] == 'a'" \
t probe_07_utf8_bom            0   1   0 "" "" "$probes/07_utf8_bom.csv"
CHECK="cell(1,'b') == '2'" \
t probe_08_crlf                0   1   0 "" "" "$probes/08_crlf.csv"
CHECK="cell(2,'a') == '3' and cell(2,'b') == '4'" \
t probe_09_cr_only             0   2   0 "" "" "$probes/09_cr_only.csv"
CHECK="cell(1,'b') == 'x\x00y'" \
t probe_10_nul_byte            0   2   0 "" "" "$probes/10_nul_byte.csv"
# Legacy-encoding detection (README "Encodings"): two stray bytes with no
# ASCII letter beside them are too little evidence to convert a file, so it
# passes through as UTF-8, bytes untouched and flagged.
CHECK="enc() == ('UTF-8', 'unrecognised') and cell(1,'b') == '\udcff\udcfe' and 'invalid_utf8' in cell(1,'lc_flags') and cell(2,'b') == 'z' and flag('invalid_utf8') == 1" \
t probe_11_invalid_utf8        0   2   0 "" "" "$probes/11_invalid_utf8.csv"
CHECK="enc() == ('windows-1252', 'scored') and cell(1,'name') == 'Jos\u00e9' and cell(1,'city') == 'Z\u00fcrich' and flag('invalid_utf8') == 0" \
t probe_12_latin1              0   1   0 "" "" "$probes/12_latin1.csv"
CHECK="cell(1,'b') == 'x' * 200000" \
t probe_13_huge_field_200k     0   2   0 "" "" "$probes/13_huge_field_200k.csv"
CHECK="cell(2,'b') == 'z'" \
t probe_14_space_before_quote  0   2   1 "line 2, byte 4: expected 2 fields, found 3" "" "$probes/14_space_before_quote.csv"
CHECK="report['inputs'][0]['blank_lines'] == 2" \
t probe_15_blank_lines         0   2   0 "" "" "$probes/15_blank_lines.csv"
CHECK="cell(1,'b') == '2'" \
t probe_16_no_trailing_newline 0   1   0 "" "" "$probes/16_no_trailing_newline.csv"
CHECK="header('cleaned')[:3] == ['a', 'a', 'lc_row']" \
t probe_17_duplicate_header    0   1   0 "" "" "$probes/17_duplicate_header.csv"
CHECK="header('cleaned')[:4] == ['a', 'b', '', 'lc_row']" \
t probe_18_trailing_delim      0   1   0 "" "" "$probes/18_trailing_delim.csv"
CHECK="enc() == ('windows-1252', 'scored') and cell(1,'name') == 'Ann' and cell(1,'note') == '\u201chi\u201d \u2013 ok' and flag('invalid_utf8') == 0" \
t probe_19_cp1252_smartquotes  0   1   0 "" "" "$probes/19_cp1252_smartquotes.csv"
CHECK="report['inputs'][0]['encoding'] == 'UTF-16LE' and cell(1,'b') == '2'" \
t probe_20_utf16le_bom         0   1   0 "" "" "$probes/20_utf16le_bom.csv"

# ---- ../shared/testdata/csvlint-fixtures ------------------------------------
t csvlint_cr_line_endings      0   2   0 "" "" "$csvlint/cr-line-endings.csv"
t csvlint_crlf_line_endings    0   2   0 "" "" "$csvlint/crlf-line-endings.csv"
CHECK="cell(2,'Baz') == 'Doge'" \
t csvlint_inconsistent_unquoted 0  2   0 "" "" "$csvlint/inconsistent-line-endings-unquoted.csv"
CHECK="cell(1,'Baz') == 'Boff'" \
t csvlint_inconsistent         0   2   0 "" "" "$csvlint/inconsistent-line-endings.csv"
CHECK="enc() == ('windows-1252', 'scored') and len(report['columns']) == 7 and report['columns'][2]['name'] == 'Hist\u00f3rico' and cell(2,'Hist\u00f3rico').startswith('Transfer\u00eancia on line') and flag('invalid_utf8') == 0" \
t csvlint_invalid_byte_seq     0  23   0 "" "" "$csvlint/invalid-byte-sequence.csv"
CHECK="cell(3,'Baz') == '3 \"' and report['inputs'][0]['blank_lines'] == 1 and cell(9,'Foo') == ''" \
t csvlint_invalid_many_rows    0  10   0 "" "" "$csvlint/invalid_many_rows.csv"
t csvlint_lf_line_endings      0   2   0 "" "" "$csvlint/lf-line-endings.csv"
CHECK="header('cleaned')[:3] == ['This is a title row', '', '']" \
t csvlint_title_row            0   3   0 "" "" "$csvlint/title-row.csv"
t csvlint_valid                0   2   0 "" "" "$csvlint/valid.csv"
t csvlint_valid_many_rows      0   6   0 "" "" "$csvlint/valid_many_rows.csv"
t csvlint_white_space_name     0   2   0 "" "" "$csvlint/white space in filename.csv"
CHECK="header('cleaned')[:3] == ['a', 'b', 'c'] and cell(1,'c') == 'f'" \
t csvlint_windows_endings      0   1   0 "" "" "$csvlint/windows-line-endings.csv"

# ---- ../shared/testdata/rust-csv-examples -----------------------------------
t rust_smallpop                0  10   0 "" "" "$rust/smallpop.csv"
CHECK="report['inputs'][0]['delimiter'] == ';'" \
t rust_strange                 0   6   2 "line 3, byte 59: expected 2 fields, found 1|line 4, byte 115: expected 2 fields, found 1" "" "$rust/strange.csv"
CHECK="enc() == ('windows-1252', 'scored') and cell(3,'City') == '\u00d5akman' and flag('invalid_utf8') == 0" \
t rust_uspop_latin1            0 100   0 "" "" "$rust/uspop-latin1.csv"
t rust_uspop_null              0 100   0 "" "" "$rust/uspop-null.csv"
t rust_uspop                   0 100   0 "" "" "$rust/uspop.csv"

# ---- generated: empty and near-empty ----------------------------------------
CHECK="report['columns'] == [] and header('cleaned')[0] == 'lc_row'" \
t empty_file                   0   0   0 "" "" "$gen/empty.csv"
CHECK="[c['name'] for c in report['columns']] == ['name', 'phone', 'email']" \
t header_only                  0   0   0 "" "" "$gen/header_only.csv"
t header_only_no_newline       0   0   0 "" "" "$gen/header_only_no_newline.csv"
CHECK="report['inputs'][0]['blank_lines'] == 5 and report['columns'] == []" \
t blank_lines_only             0   0   0 "" "" "$gen/blank_lines_only.csv"
STDIN="$gen/empty.csv" \
t stdin_empty                  0   0   0 "" ""
t header_only_min_rows         1   0   0 "" "quality gate min_rows" "$gen/header_only.csv" --min-rows 1

# ---- generated: size ----------------------------------------------------------
CHECK="len(cell(1,'notes')) == 10_000_000 and cell(1,'notes').startswith('abc,\"\" \n') and cell(2,'name') == 'Binh'" \
t field_10mb                   0   2   0 "" "" "$gen/field_10mb.csv"
CHECK="where(1) == 'rejects' and len(cell(1,'lc_raw')) == 4096 and cell(2,'name') == 'An'" \
t line_17mib_over_cap          0   2   1 "line 2, byte 11: record exceeds 16777216 bytes (raw text cut to its first 4096 bytes)" "" "$gen/line_17mib.csv"
# 100,000 columns must not take quadratic time: a CPU-time cap, so a loaded
# machine does not fail it (see docs/robustness.md, "Findings").
CHECK="len(report['columns']) == 100000 and cell(1,'c99999') == '9'" \
CPU_LIMIT=8 TIMEOUT=600 \
t columns_100k                 0   2   1 "line 3, byte 888890: expected 100000 fields, found 99999" "" "$gen/columns_100k.csv"

# ---- generated: bytes and line endings ----------------------------------------
CHECK="header('cleaned')[0] == 'na\x00me' and cell(1,'na\x00me') == 'An\x00' and cell(2,'na\x00me') == 'B\x00inh'" \
t nul_bytes                    0   3   1 "line 4, byte 46: expected 2 fields, found 1" "" "$gen/nul_bytes.csv"
CHECK="cell(3,'phone') == '09\r\n12' and cell(4,'name') == 'Dung' and cell(2,'name') == 'Binh'" \
t mixed_line_endings           0   4   0 "" "" "$gen/mixed_endings.csv"
CHECK="[c['name'] for c in report['columns']] == ['phone', '', 'phone', ''] and report['columns'][2]['role'] == 'phone' and cell(1,'lc_phone') == '+84912345678' and cell(1,'lc_phone_alt') == '+84903123456'" \
t duplicate_empty_headers      0   2   0 "" "" "$gen/dup_empty_headers.csv"
CHECK="cell(3,'name') == 'Chi' and cell(4,'phone') == '09'" \
t ends_inside_quote            0   4   1 "line 3, byte 25: unterminated quoted field" "" "$gen/ends_in_quote.csv"

# ---- generated: not CSV at all ------------------------------------------------
CHECK="report['counts']['cleaned'] == 0 and len(report['columns']) == 1" \
t random_bytes                 0  30  10 "~^line [0-9]+, byte [0-9]+: expected 1 fields, found [0-9]+$" "" "$gen/random_bytes.bin"
CHECK="report['inputs'][0]['path'] == '-'" \
STDIN="$gen/random_bytes.bin" \
t random_bytes_stdin           0  30  10 "~^line [0-9]+, byte [0-9]+: expected 1 fields" ""
CHECK="report['counts']['cleaned'] == 0 and report['counts']['rows_in'] >= 1" \
t gzip_file                    0   -   - "" "" "$gen/leads.csv.gz"

# ---- generated: encodings -----------------------------------------------------
CHECK="report['inputs'][0]['encoding'] == 'UTF-16LE' and cell(1,'lc_phone') == '+84912345678' and cell(1,'lc_name') == 'Nguyễn Văn An'" \
t utf16le_bom                  0   1   0 "" "" "$gen/utf16le_bom.csv"
CHECK="report['inputs'][0]['encoding'] == 'UTF-16BE' and cell(1,'lc_phone') == '+84912345678'" \
t utf16be_bom                  0   1   0 "" "" "$gen/utf16be_bom.csv"
CHECK="report['inputs'][0]['encoding'] == 'UTF-16LE' and cell(1,'lc_phone') == '+84912345678'" \
t utf16le_no_bom_named         0   1   0 "" "" "$gen/utf16le_nobom.csv" --encoding UTF-16LE
# Without a BOM or --encoding, UTF-16 reads as UTF-8 (README "--encoding"):
# NUL-laden rows, the last one (a lone NUL byte) malformed. Nothing is lost.
t utf16le_no_bom_undeclared    0   2   1 "line 3, byte 97: expected 2 fields, found 1" "" "$gen/utf16le_nobom.csv"
CHECK="report['inputs'][0]['encoding'] == 'windows-1258' and cell(1,'lc_name') == 'Trần An' and header('cleaned')[1] == 'SĐT'" \
t windows_1258_named           0   1   0 "" "" "$gen/cp1258.csv" --encoding windows-1258
t unknown_encoding             3   -   - "" 'unknown encoding "no-such-enc"' "$gen/ok.csv" --encoding no-such-enc

# ---- generated: inputs that cannot be read --------------------------------------
t header_unterminated_quote    3   -   - "" 'header_unterminated\.csv:1: header: unterminated quoted field' "$gen/header_unterminated.csv"
t input_is_directory           3   -   - "" 'is a directory' "$gen/rules_bad_value"
t input_missing                3   -   - "" 'nope\.csv: No such file or directory' "$gen/nope.csv"
t second_input_missing         3   -   - "" 'nope\.csv: No such file or directory' "$gen/ok.csv" "$gen/nope.csv"

# ---- generated: options and rules -------------------------------------------------
t delimiter_two_chars          2   -   - "" '--delimiter ab' "$gen/ok.csv" --delimiter ab
# A quote cannot be a delimiter: a bad option (exit 2), not an unreadable
# input (see docs/robustness.md, "Findings").
t delimiter_quote              2   -   - "" 'delimiter' "$gen/ok.csv" --delimiter '"'
t map_unknown_role             2   -   - "" "--map nosuchrole=name: unknown role" "$gen/ok.csv" --map nosuchrole=name
t rules_bad_value              2   -   - "" 'rules_bad_value/dedup_rules\.csv:2: unknown keys' "$gen/ok.csv" --rules "$gen/rules_bad_value"
t rules_bad_header             2   -   - "" 'rules_bad_header/dedup_rules\.csv.*Missing column' "$gen/ok.csv" --rules "$gen/rules_bad_header"

# ---- generated: outputs ---------------------------------------------------------
# Each case writes into its own folder; inputs that a case could damage are
# private copies.
own="$tmp/own"
for c in out_is_input rejects_is_input report_is_input out_is_symlink; do
  mkdir -p "$own/$c"
  cp "$gen/ok.csv" "$own/$c/in.csv"
done
ln -s in.csv "$own/out_is_symlink/link.csv"
mkdir -p "$own/missing" "$own/same" "$own/rejects_dir/adir" "$own/report_missing"
OWN_OUT=1 ABSENT="$own/missing/nodir/c.csv $own/missing/nodir/c.rejects.csv" \
t output_folder_missing        4   -   - "" 'nodir/c\.csv: No such file or directory' "$gen/ok.csv" -o "$own/missing/nodir/c.csv"
OWN_OUT=1 ABSENT="$own/missing/r_c.csv $own/missing/nodir2/r.csv" \
t rejects_folder_missing       4   -   - "" 'nodir2/r\.csv: No such file or directory' "$gen/ok.csv" -o "$own/missing/r_c.csv" --rejects "$own/missing/nodir2/r.csv"
# A report that cannot be written fails the run before any output replaces
# a destination (see docs/robustness.md, "Findings").
OWN_OUT=1 ABSENT="$own/report_missing/c.csv $own/report_missing/c.rejects.csv $own/report_missing/nodir/r.json" \
t report_folder_missing        4   -   - "" 'nodir/r\.json: No such file or directory' "$gen/ok.csv" -o "$own/report_missing/c.csv" --report "$own/report_missing/nodir/r.json"
OWN_OUT=1 ABSENT="$own/rejects_dir/c.csv" \
t rejects_is_directory         4   -   - "" 'adir: Is a directory' "$gen/ok.csv" -o "$own/rejects_dir/c.csv" --rejects "$own/rejects_dir/adir"
OWN_OUT=1 ABSENT="$own/out_is_input/in.rejects.csv" \
t output_is_input              2   -   - "" 'in\.csv: refusing to overwrite an input file' "$own/out_is_input/in.csv" -o "$own/out_is_input/in.csv"
OWN_OUT=1 ABSENT="$own/rejects_is_input/c.csv" \
t rejects_is_input             2   -   - "" 'refusing to overwrite an input file' "$own/rejects_is_input/in.csv" -o "$own/rejects_is_input/c.csv" --rejects "$own/rejects_is_input/in.csv"
OWN_OUT=1 ABSENT="$own/report_is_input/c.csv $own/report_is_input/c.rejects.csv" \
t report_is_input              2   -   - "" 'refusing to overwrite an input file' "$own/report_is_input/in.csv" -o "$own/report_is_input/c.csv" --report "$own/report_is_input/in.csv"
OWN_OUT=1 ABSENT="$own/out_is_symlink/link.rejects.csv" \
t output_is_symlink_to_input   2   -   - "" 'refusing to overwrite an input file' "$own/out_is_symlink/in.csv" -o "$own/out_is_symlink/link.csv"
OWN_OUT=1 ABSENT="$own/same/x.csv" \
t cleaned_equals_rejects       2   -   - "" 'cleaned and rejects outputs are the same file' "$gen/ok.csv" -o "$own/same/x.csv" --rejects "$own/same/x.csv"

wait
passed=0
failed=0
for f in "$tmp"/results/*; do
  cat "$f"
  if head -1 "$f" | grep -q '^ok: '; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
if [ "$(readlink "$own/out_is_symlink/link.csv")" != in.csv ]; then
  echo "FAIL: output_is_symlink_to_input: the symlink was replaced"
  failed=$((failed + 1))
fi
echo "malformed: $passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" = 0 ]
