#!/bin/bash
# tcpladder-delay on its own, between two network namespaces: 5000 UDP
# datagrams (a number, a send time and random bytes with their SHA-256)
# through its queue, three times: a plain delay, a delay with jitter, and
# with 5% reordering. Every datagram must arrive exactly once and unchanged,
# never sooner than the delay, in order unless reordering was asked for;
# the helper must count them all, the kernel drop none, and SIGTERM must
# let it go cleanly. Needs root; skips (77) otherwise.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${TCPLADDER:-$TOP/tcpladder}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
DELAY=${TCPLADDER_DELAY:-$(dirname "$BIN")/tcpladder-delay}
PY=/usr/bin/python3
skip() { echo "1..0 # SKIP $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
[ -x "$DELAY" ] ||
	skip "tcpladder-delay is not built (libnetfilter-queue-dev missing at configure)"
for t in ip iptables; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
A=tl-lab-dt$$-a B=tl-lab-dt$$-b
ip netns add "$A" 2>/dev/null || skip "cannot create network namespaces here"
ip netns add "$B"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tl-delay.XXXXXX")
cleanup() {
	[ -n "${dpid:-}" ] && kill "$dpid" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
T=0 FAILED=0
check() {   # check DESCRIPTION COMMAND...
	local d=$1; shift
	T=$((T + 1))
	if "$@"; then echo "ok $T - $d"
	else echo "not ok $T - $d"; FAILED=$((FAILED + 1)); fi
}

ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" addr add 198.51.100.1/24 dev va
ip -n "$B" addr add 198.51.100.2/24 dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up
# Everything that comes in on vb goes through the helper's queue.
ip netns exec "$B" iptables -t mangle -A PREROUTING -i vb -j NFQUEUE --queue-num 3

cat >"$TMP/udp.py" <<'EOF'
import hashlib, os, socket, struct, sys, time
mode, n = sys.argv[1], int(sys.argv[2])
if mode == "send":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    t0 = time.monotonic()
    for i in range(n):
        body = os.urandom(200 + i % 1000)
        s.sendto(struct.pack("!Id", i, time.monotonic()) +
                 hashlib.sha256(body).digest() + body, ("198.51.100.2", 9999))
        if i % 20 == 19:           # about 20000 datagrams a second
            while time.monotonic() < t0 + (i + 1) / 20000.0:
                pass
    sys.exit(0)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)          # SO_RCVBUFFORCE
s.bind(("198.51.100.2", 9999))
s.settimeout(3.0)
open(sys.argv[3], "w").write("ready\n")
seen, bad, order, lat = {}, 0, 0, []
last = -1
try:
    while len(seen) < n:
        d = s.recv(2048)
        now = time.monotonic()
        i, sent = struct.unpack("!Id", d[:12])
        if hashlib.sha256(d[44:]).digest() != d[12:44]:
            bad += 1
        seen[i] = seen.get(i, 0) + 1
        if i < last:
            order += 1
        last = max(last, i)
        lat.append((now - sent) * 1000)
    s.settimeout(0.3)              # anything more would be a duplicate
    while True:
        d = s.recv(2048)
        i = struct.unpack("!I", d[:4])[0]
        seen[i] = seen.get(i, 0) + 1
except socket.timeout:
    pass
lat.sort()
print("got=%d missing=%d dup=%d corrupt=%d backwards=%d min=%.3f median=%.3f"
      % (len(seen), n - len(seen), sum(1 for v in seen.values() if v > 1),
         bad, order, lat[0] if lat else -1, lat[len(lat) // 2] if lat else -1))
EOF

N=5000
# run NAME HELPER-ARGS...: the helper, a receiver in B, a sender in A.
run() {
	local name=$1; shift
	rm -f "$TMP/stats" "$TMP/ready"
	ip netns exec "$B" "$DELAY" --queue 3 --stats "$TMP/stats" "$@" \
		2>"$TMP/$name.err" &
	dpid=$!
	for _ in $(seq 100); do [ -s "$TMP/stats" ] && break; sleep 0.05; done
	ip netns exec "$B" "$PY" "$TMP/udp.py" recv $N "$TMP/ready" >"$TMP/$name.out" &
	local rpid=$!
	for _ in $(seq 100); do [ -s "$TMP/ready" ] && break; sleep 0.05; done
	ip netns exec "$A" "$PY" "$TMP/udp.py" send $N
	wait $rpid
	kill -TERM "$dpid"
	wait "$dpid"
	dst=$?
	dpid=
	R=$(cat "$TMP/$name.out")
	echo "# $name: $R"
	echo "# $name: $(tr '\n' ' ' <"$TMP/stats")"
}
val() { echo "$R" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
st() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/stats"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

run plain --delay 20ms
check "20 ms: every datagram once, unchanged, in order" \
	[ "$(val got) $(val missing) $(val dup) $(val corrupt) $(val backwards)" = "$N 0 0 0 0" ]
check "20 ms: none sooner than 20 ms (min $(val min))" ge "$(val min)" 20
# (The receiver's own times include Python's lag; the helper's are exact.)
check "20 ms: the helper held them $(st hold_avg_ms) ms on average, within 10%" \
	awk -v h="$(st hold_avg_ms)" 'BEGIN { exit !(h >= 20 && h <= 22) }'
check "20 ms: the helper counted $N, all held on time, the kernel dropped none" \
	[ "$(st packets) $(st delayed) $(st reordered) $(st overflow) $(st kernel_queue_full_drops) $(st kernel_socket_drops)" = "$N $N 0 0 0 0" ]
check "20 ms: SIGTERM: exit 0, stats say stopped" \
	[ "$dst $(st state)" = "0 stopped" ]

run jitter --delay 10ms --jitter 4ms
check "10 ms +- 4: every datagram once, unchanged, in order (jitter keeps order)" \
	[ "$(val got) $(val missing) $(val dup) $(val corrupt) $(val backwards)" = "$N 0 0 0 0" ]
check "10 ms +- 4: none sooner than 6 ms (min $(val min))" ge "$(val min)" 6
check "10 ms +- 4: the helper held them 6 to 14 ms, plus its lateness ($(st hold_min_ms) .. $(st hold_max_ms), late $(st late_max_ms) at most)" \
	awk -v lo="$(st hold_min_ms)" -v hi="$(st hold_max_ms)" -v late="$(st late_max_ms)" \
	'BEGIN { exit !(lo >= 6 && hi > 10 && hi <= 14 + late + 0.01) }'

run reorder --delay 10ms --reorder 5% --seed 7
check "5% reordered: every datagram once, unchanged" \
	[ "$(val got) $(val missing) $(val dup) $(val corrupt)" = "$N 0 0 0" ]
check "5% reordered: some arrive before earlier ones ($(val backwards))" \
	[ "$(val backwards)" -gt 0 ]
check "5% reordered: the helper reordered about 5% ($(st reordered) of $N)" \
	bash -c "[ $(st reordered) -gt 180 ] && [ $(st reordered) -lt 320 ] && [ $(( $(st reordered) + $(st delayed) )) -eq $N ]"

"$DELAY" --delay 5 2>"$TMP/bad.err"
dst=$?
check "a bad duration is a usage error (exit $dst) that says so" \
	bash -c "[ $dst -eq 2 ] && grep -q \"'5' is not a duration\" '$TMP/bad.err'"
echo "1..$T"
[ "$FAILED" -eq 0 ]
