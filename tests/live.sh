#!/bin/sh
# Live capture end to end: two network namespaces joined by a veth pair
# (192.0.2.1 and 192.0.2.2 only), a kernel TCP transfer with 5% loss on the
# receiver, and tcpladder capturing on the receiver's veth. Checks that the
# segments arrive as they happen (-T tsv, flushed per line), that the
# handshake and a retransmission are reported, that the kernel dropped
# nothing, and that -Z drops root after the device is open.
# Needs root and iproute2/iptables; skips (77) with the reason otherwise.
set -u
: "${TCPLADDER:=./tcpladder}"
skip() { echo "1..0 # SKIP $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
for t in ip iptables python3; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
ns_a="tlt-a$$" ns_b="tlt-b$$"
tmp=$(mktemp -d) || exit 99
cleanup() {
	[ -n "${cap_pid:-}" ] && kill "$cap_pid" 2>/dev/null
	ip netns del "$ns_a" 2>/dev/null
	ip netns del "$ns_b" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
. "${srcdir:-.}/tests/veth-pair.sh"
veth_pair "$ns_a" "$ns_b" va$$ vb$$ ||
	skip "cannot create network namespaces and a veth pair here"
# Loss on the receiver's input: the sender must retransmit. SYNs are spared
# so the handshake is always the first three rows.
ip netns exec "$ns_b" iptables -A INPUT -p tcp --dport 5001 \
	! --syn -m statistic --mode random --probability 0.05 -j DROP ||
	skip "iptables statistic match not available"

n=0 failed=0
check() {
	n=$((n + 1))
	if eval "$2"; then echo "ok $n - $1"
	else failed=$((failed + 1)); echo "not ok $n - $1"; fi
}

useradd_needed=
id nobody >/dev/null 2>&1 || useradd_needed=1
ip netns exec "$ns_b" "$TCPLADDER" -i vb$$ -T tsv -Z nobody tcp port 5001 \
	> "$tmp/live.tsv" 2> "$tmp/live.err" &
cap_pid=$!
# Wait for the capture to be open (the uid changes once it is); a loaded
# machine may take seconds to start it.
i=0
while [ $i -lt 300 ]; do
	uid=$(awk '/^Uid:/ {print $2}' /proc/$cap_pid/status 2>/dev/null)
	[ -n "$uid" ] && [ "$uid" != 0 ] && break
	sleep 0.1; i=$((i + 1))
done
check "-Z nobody: running as uid $(id -u nobody) after opening the device" \
	"[ \"$uid\" = \"$(id -u nobody)\" ]"

veth_transfer "$ns_a" "$ns_b" 5001 1000000 "$tmp/server.out"
# Segments must already be there while the capture is still running (it
# is only stopped below): on a loaded machine tcpladder may be seconds
# behind the transfer, so wait up to 20 s for them, and say how long.
i=0
while :; do
	rows=$(($(wc -l < "$tmp/live.tsv") - 1))
	[ $rows -gt 600 ] || [ $i -ge 200 ] && break
	sleep 0.1; i=$((i + 1))
done
check "segments appear while capturing ($rows rows after $((i / 10)).$((i % 10)) s)" "[ $rows -gt 600 ]"
kill -INT "$cap_pid"; wait "$cap_pid"; status=$?; cap_pid=
check "SIGINT ends the capture cleanly (exit $status)" "[ $status -eq 0 ]"
check "server received the whole megabyte" "[ \"\$(cat $tmp/server.out)\" = 1000000 ]"
check "handshake: SYN then SYN|ACK" \
	"awk -F'\t' 'NR==2 && \$8==\"SYN\" {a=1} NR==3 && \$8==\"SYN|ACK\" {b=1} END {exit !(a&&b)}' $tmp/live.tsv"
check "a retransmission is reported" "grep -q retransmission $tmp/live.tsv"
check "duplicate ACKs are reported" "grep -q duplicate_ack $tmp/live.tsv"
check "kernel dropped nothing" "grep -q ', 0 dropped by the kernel' $tmp/live.err"
[ $failed -eq 0 ] || { echo "# stderr:"; sed 's/^/#   /' "$tmp/live.err"; }
echo "1..$n"
[ "$failed" -eq 0 ]
