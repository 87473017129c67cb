#!/bin/bash
# Kernel drops on the ladder, live: a capture on a veth pair (192.0.2.1 and
# 192.0.2.2 only) with a small kernel buffer (-B 64) is stopped (SIGSTOP)
# while a bulk transfer runs, so the kernel drops packets; resumed, it
# must mark where: -T text prints "── N packets dropped by the kernel
# here ──" between two rows (the markers add up to the drop count it
# reports at the end), and the full-screen view draws the same row.
# Needs root, tmux, iproute2; skips (77) otherwise. It builds network
# namespaces: never run it in parallel with the other live tests.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
skip() { echo "1..0 # SKIP $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
for t in tmux ip python3; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
NS_A=tld-a$$ NS_B=tld-b$$
. "$HERE/tmux-lib.sh"
. "$TOP/tests/veth-pair.sh"
trap 'tm kill-server >/dev/null 2>&1; [ -n "${tpid:-}" ] && kill -CONT $tpid 2>/dev/null; ip netns del $NS_A 2>/dev/null; ip netns del $NS_B 2>/dev/null; rm -rf "$TMP"' EXIT
veth_pair $NS_A $NS_B da$$ db$$ ||
	skip "cannot create network namespaces and a veth pair here"

# transfer PORT BYTES: a kernel TCP transfer from 192.0.2.1 to 192.0.2.2.
transfer() { veth_transfer $NS_A $NS_B "$@"; }

# ---- -T text ---------------------------------------------------------------
ip netns exec $NS_B "$BIN" --no-drop -B 64 -i db$$ -T text --width 120 \
	tcp portrange 5003-5005 >"$TMP/text" 2>"$TMP/err" &
tpid=$!
sleep 1
transfer 5003 20000
sleep 0.3
kill -STOP $tpid
transfer 5004 8000000
kill -CONT $tpid
sleep 0.5
transfer 5005 20000
sleep 0.5
kill -INT $tpid
wait $tpid
tpid=
drops=$(sed -n 's/.*, \([0-9]*\) dropped by the kernel$/\1/p' "$TMP/err")
marked=$(sed -n 's/.* \([0-9,]*\) packets\{0,1\} dropped by the kernel here.*/\1/p' \
	"$TMP/text" | tr -d , | awk '{ s += $1 } END { print s + 0 }')
echo "# -T text: $drops dropped by the kernel, $marked marked on the ladder"
check "text: the kernel dropped packets (${drops:-none})" \
	[ "${drops:-0}" -gt 0 ]
check "text: the markers add up to the drops ($marked of ${drops:-?})" \
	[ "$marked" = "${drops:-x}" ]
# The first marker sits between two rows: frames before it are smaller
# than frames after it.
check "text: a marker between two rows" awk '
	/dropped by the kernel here/ { if (!seen) before = last; seen = 1; next }
	$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ { last = $2
		if (seen && !after) after = $2 }
	END { exit !(seen && before > 0 && after > before) }' "$TMP/text"
if [ "$FAILED" -gt 0 ]; then
	echo "# around the first marker:"
	grep -m1 -B3 -A3 'dropped by the kernel here' "$TMP/text" | sed 's/^/#   /'
fi
if ! grep -q 'dropped by the kernel here' "$TMP/text"; then
	echo "# text output (tail):"; tail -5 "$TMP/text" | sed 's/^/#   /'
	sed 's/^/#   /' "$TMP/err"
fi

# ---- the view ---------------------------------------------------------------
start 200 60
# exec: no job-control shell in between, so SIGSTOP leaves the terminal
# to the view.
run "clear; exec sh -c 'echo \$\$ > $TMP/pid; exec ip netns exec $NS_B $BIN --no-drop -B 64 -i db$$ tcp portrange 5006-5008'"
check "view: starts" wait_for 'LIVE' 5
tpid=$(cat "$TMP/pid")
transfer 5006 20000
sleep 0.5
kill -STOP $tpid
transfer 5007 8000000
kill -CONT $tpid
sleep 0.5
transfer 5008 20000
sleep 1
found=no
for i in 1 2 3 4 5 6 7 8; do
	if wait_for 'packets? dropped by the kernel here' 1; then
		found=yes; break
	fi
	keys PPage
done
check "view: the marker row is drawn" [ $found = yes ]
check "view: it names a count" \
	screen_has '── [0-9,]+ packets? dropped by the kernel here ──'
kill -CONT $tpid 2>/dev/null
keys Q
wait_for 'Stop the capture and quit\?' 3 && keys y
tpid=
echo "1..$T"
[ "$FAILED" -eq 0 ]
