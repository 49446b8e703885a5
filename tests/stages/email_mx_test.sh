#!/usr/bin/env bash
# --check-mx end to end, against DNS servers on loopback only: dnsmasq
# (started here on a free port) answers for every case, and a UDP socket
# that never answers stands in for a dead resolver. Asserts the flags and
# status of every row, the report's counts, and, from dnsmasq's query log,
# that each domain was asked once. Exits 77 (CTest skip) when dnsmasq is
# not installed (DNSMASQ=path overrides where to find it); scripts/setup.sh
# installs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(realpath "${LEADCLEAN:?set LEADCLEAN to the leadclean binary}")"
dnsmasq_bin="${DNSMASQ:-$(command -v dnsmasq || echo /usr/sbin/dnsmasq)}"
if [ ! -x "$dnsmasq_bin" ]; then
  echo "SKIP: dnsmasq not installed (scripts/setup.sh installs dnsmasq-base)"
  exit 77
fi
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# A resolver that reads nothing and answers nothing; prints its port.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(600)
' > "$tmp/silent.port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/silent.port" ] && break; sleep 0.1; done
silent_port="$(cat "$tmp/silent.port")"

free_udp_port() {
  python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# The zone: lcmx.vn is answered locally (unknown names are NXDOMAIN);
# other.vn has no server (REFUSED); slow.vn is forwarded to the silent one.
start_dnsmasq() {
  "$dnsmasq_bin" --keep-in-foreground --conf-file=/dev/null --pid-file= \
    --user="$(id -un)" --port="$1" --listen-address=127.0.0.1 \
    --bind-interfaces --no-resolv --no-hosts --cache-size=0 \
    --log-queries --log-facility="$tmp/dnsmasq.log" \
    --local=/lcmx.vn/ \
    --mx-host=withmx.lcmx.vn,mail.withmx.lcmx.vn,10 \
    --host-record=mail.withmx.lcmx.vn,192.0.2.10 \
    --host-record=aonly.lcmx.vn,192.0.2.20 \
    --host-record=aaaaonly.lcmx.vn,2001:db8::30 \
    --dns-rr=nullmx.lcmx.vn,15,000000 \
    --txt-record=noaddr.lcmx.vn,nomail \
    --server="/slow.vn/127.0.0.1#$silent_port" &
  dnsmasq_pid=$!
}
dnsmasq_pid=
for _ in 1 2 3 4 5; do
  port="$(free_udp_port)"
  start_dnsmasq "$port"
  for _ in $(seq 50); do
    grep -q "started, version" "$tmp/dnsmasq.log" 2>/dev/null && break
    kill -0 "$dnsmasq_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$dnsmasq_pid" 2>/dev/null; then
    pids+=("$dnsmasq_pid")
    break
  fi
  dnsmasq_pid=
done
if [ -z "$dnsmasq_pid" ]; then
  echo "FAIL: dnsmasq did not start"; cat "$tmp/dnsmasq.log" 2>/dev/null
  exit 1
fi
sleep 0.2

# lc_row: address -> what the row must become. Several domains repeat, in
# rows far apart, so they fall into different batches.
cat > "$tmp/leads.csv" <<'EOF'
name,phone,email
An Nguyen,0912345678,an@withmx.lcmx.vn
Binh Tran,0912345679,binh@aonly.lcmx.vn
Chi Le,0912345680,chi@aaaaonly.lcmx.vn
Dung Pham,0912345681,dung@nx.lcmx.vn
Hanh Vo,0912345682,hanh@nullmx.lcmx.vn
Giang Do,0912345683,giang@noaddr.lcmx.vn
Hoa Bui,0912345684,hoa@foo.other.vn
Khanh Ho,0912345685,khanh@x.slow.vn
Lan Ngo,0912345686,lan@gmail.com
Minh Dang,,minh@nx.lcmx.vn
Nam Ly,0912345688,nam@withmx.lcmx.vn
Oanh Ta,0912345689,oanh@nx.lcmx.vn; oanh@aonly.lcmx.vn
Phuc Mai,0912345690,phuc@example.com
Quang Lam,0912345691,quang@nullmx.lcmx.vn
Son Chu,0912345692,son@AONLY.lcmx.vn
Tam Kieu,0912345693,tam@foo.other.vn
EOF

lines_before() { wc -l < "$tmp/dnsmasq.log"; }

run() {  # run NAME SERVER_PORT extra args...
  local name="$1" server_port="$2"
  shift 2
  "$bin" clean "$tmp/leads.csv" -o "$tmp/$name.csv" \
    --rejects "$tmp/$name.rejects.csv" --report "$tmp/$name.json" --quiet \
    --check-mx --dns-server "127.0.0.1:$server_port" "$@"
}

check() {  # check NAME LOG_FROM MODE
  python3 "$here/email_mx_check.py" "$tmp/$1.csv" "$tmp/$1.rejects.csv" \
    "$tmp/$1.json" "$tmp/dnsmasq.log" "$2" "$3"
}

failed=0
from="$(lines_before)"
run many_batches "$port" --mx-timeout 600 --threads 4 --batch-rows 2
check many_batches "$from" dnsmasq || failed=1

from="$(lines_before)"
run one_batch "$port" --mx-timeout 600 --threads 1 --batch-rows 1000
check one_batch "$from" dnsmasq || failed=1
if ! cmp -s "$tmp/many_batches.csv" "$tmp/one_batch.csv"; then
  echo "FAIL: output depends on threads and batch size"; failed=1
fi

run dead_server "$silent_port" --mx-timeout 300 --threads 2
check dead_server "$(lines_before)" silent || failed=1

# Off by default: no lookup, no MX flag, no mx report.
from="$(lines_before)"
"$bin" clean "$tmp/leads.csv" -o "$tmp/off.csv" --rejects "$tmp/off.rejects.csv" \
  --report "$tmp/off.json" --quiet
check off "$from" off || failed=1

# A resolver that is not an address is a usage error.
set +e
"$bin" clean "$tmp/leads.csv" -o "$tmp/bad.csv" --quiet --check-mx \
  --dns-server dns.invalid:53 2> "$tmp/bad.err"
code=$?
set -e
if [ "$code" != 2 ] || ! grep -q -- "--dns-server: expected IP" "$tmp/bad.err"; then
  echo "FAIL: bad --dns-server: exit $code: $(cat "$tmp/bad.err")"; failed=1
fi

[ "$failed" = 0 ] && echo "email_mx: all checks passed"
exit "$failed"
