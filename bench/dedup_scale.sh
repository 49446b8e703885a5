#!/usr/bin/env bash
# Dedup at scale: generates ROWS rows with gen_leads (default 10,000,000;
# about 2.5 GB of CSV), runs `leadclean clean` under GNU time, and prints
# wall time, peak RSS and RSS per row, with the dedup and bot figures of the
# report. The run's temp files ($TMPDIR) take about 370 bytes a row: the
# findings between the passes and the bot detectors' keys.
#
# Usage: bench/dedup_scale.sh [ROWS] [extra leadclean args, e.g. --merge]
# Environment: BUILD (build folder with leadclean and gen_leads; default
# build), DATA (where the list and outputs go; default bench/data, which is
# git-ignored), SEED (default 1), THREADS (default 0 = all cores),
# NICE (default 10). Needs GNU time (apt-get install time). A generated list
# is reused when it exists; delete it to regenerate.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-10000000}"
shift || true
build="${BUILD:-build}"
data="${DATA:-bench/data}"
seed="${SEED:-1}"
threads="${THREADS:-0}"
nice_level="${NICE:-10}"
for bin in "$build/leadclean" "$build/gen_leads"; do
  [ -x "$bin" ] || { echo "dedup_scale: $bin not built (set BUILD=)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "dedup_scale: needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$data/scale"
list="$data/scale/leads_${rows}_s${seed}.csv"
if [ ! -s "$list" ]; then
  echo "generating $rows rows -> $list" >&2
  nice -n "$nice_level" "$build/gen_leads" --rows "$rows" --seed "$seed" \
    --headers vi -o "$list.tmp"
  mv "$list.tmp" "$list"
fi
out="$data/scale/out"
mkdir -p "$out"
timing="$out/time.txt"
echo "running leadclean clean on $(du -h "$list" | cut -f1) ($rows rows) $*" >&2
set +e
nice -n "$nice_level" /usr/bin/time -v -o "$timing" \
  "$build/leadclean" clean "$list" -o "$out/cleaned.csv" \
  --rejects "$out/rejects.csv" --report "$out/report.json" --quiet \
  --threads "$threads" "$@"
status=$?
set -e
python3 - "$rows" "$timing" "$out/report.json" "$status" "$*" <<'PY'
import json, re, sys
rows, timing, report, status, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
text = open(timing).read()
def field(name):
    m = re.search(r"^\s*" + re.escape(name) + r": (.*)$", text, re.M)
    return m.group(1).strip() if m else ""
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in wall.split(":")]
seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rss_kb = int(field("Maximum resident set size (kbytes)") or 0)
print(f"rows:            {rows:,}" + (f"  (args: {args})" if args else ""))
print(f"exit status:     {status}")
print(f"wall time:       {seconds:.1f} s  ({rows / seconds:,.0f} rows/s)")
print(f"user + sys CPU:  {float(field('User time (seconds)')) + float(field('System time (seconds)')):.1f} s")
print(f"peak RSS:        {rss_kb / 1024:,.1f} MiB")
print(f"RSS per row:     {rss_kb * 1024 / rows:,.1f} bytes")
try:
    r = json.load(open(report))
    d = r.get("stages", {}).get("dedup", {})
    c = r["counts"]
    print(f"cleaned/rejected: {c['cleaned']:,} / {c['rejected']:,}; duplicates: {d.get('duplicates', 0):,}; "
          f"distinct keys peak: {d.get('distinct_keys_peak', 0):,}")
    b = r.get("stages", {}).get("bot", {})
    if b:
        print(f"bot: {b.get('groups', 0):,} groups; rows in groups: " +
              ", ".join(f"{k} {v:,}" for k, v in b.get("rows_in_groups", {}).items()))
    if "merge" in d:
        m = d["merge"]
        print(f"merge: {m['fields_total']:,} fields into {m['survivors_filled']:,} survivors; "
              f"spill file {m['spill_bytes'] / 2**20:,.1f} MiB")
except (OSError, ValueError, KeyError) as e:
    print(f"(no report: {e})")
PY
exit "$status"
