#!/bin/bash
# Details of a live capture (issue 12, item 10) on a veth pair between two
# namespaces of our own (tl12l*, 192.0.2.1 and 192.0.2.2 only): a recent
# frame shows its IP and TCP headers from the ring of recent frames; after
# a transfer larger than the ring, frame 1 says it was let go; with -w it
# is read again from the file being written. Needs root, tmux, iproute2,
# python3; skips (77) otherwise. It builds network namespaces: never run
# it in parallel with the other live tests.
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
NS_A=tl12l-a$$ NS_B=tl12l-b$$
. "$HERE/tmux-lib.sh"
. "$TOP/tests/veth-pair.sh"
trap 'tm kill-server >/dev/null 2>&1; ip netns del $NS_A 2>/dev/null; ip netns del $NS_B 2>/dev/null; rm -rf "$TMP"' EXIT
veth_pair $NS_A $NS_B tl12la$$ tl12lb$$ ||
	skip "cannot create network namespaces and a veth pair here"

# transfer PORT BYTES: a kernel TCP transfer from 192.0.2.1 to 192.0.2.2.
transfer() { veth_transfer $NS_A $NS_B "$@"; }

# live_run PORT ARGS...: the view capturing on the pair, then a small
# transfer, then a large one (4 MB: far more than a ring of 512 KiB).
live_run() {
	local port=$1
	shift
	start 100 40
	stty_before
	run "clear; ip netns exec $NS_B $BIN --no-drop -i tl12lb$$ --max-memory 16M $* tcp port $port"
	check "live $*: starts" wait_for 'LIVE' 5
	transfer "$port" 20000
	check "live $*: the transfer is on the ladder" wait_for 'FIN' 10
}

live_run 5012
keys G Enter
check "live: details of the last frame" wait_for 'segment details  frame' 5
check "live: its IP header, from the ring" \
	screen_has '^ IPv4   version 4  header 20 B'
check "live: its TCP header" \
	screen_has '^ TCP    source port [0-9]+  destination port [0-9]+'
check "live: no word of a file to read again" \
	eval '! grep -q "need a capture file" "$SCREEN"'
keys q
transfer 5012 4000000
sleep 1
keys g Enter
check "live: frame 1's details" wait_for 'frame 1 ' 5
grab
tr -s ' \n' ' ' <"$SCREEN" >"$TMP/flat"
grep -Eo 'keeps the latest [0-9]+, from frame [0-9]+ on, in [0-9.]+[kM]B' "$TMP/flat" | sed 's/^/# the ring /' 
check "live: frame 1 was let go from the ring, which says what it keeps" \
	grep -Eq 'frame 1 was let go from the ring of recent frames, which keeps the latest [0-9]+, from frame [0-9]+ on' "$TMP/flat"
keys q Q
wait_for 'quit\?' 3 && keys y
after "live: y quits" 0

live_run 5013 -w "$TMP/saved.pcap"
transfer 5013 4000000
sleep 1
keys g Enter
check "live -w: frame 1's details" wait_for 'frame 1 ' 5
check "live -w: its TCP header, read again from the -w file" \
	wait_for '^ TCP    source port [0-9]+  destination port 5013' 5
check "live -w: nothing said of the ring" eval '! grep -q "ring" "$SCREEN"'
keys q Q
wait_for 'quit\?' 3 && keys y
after "live -w: y quits" 0
check "live -w: the file is published" test -s "$TMP/saved.pcap"
echo "1..$T"
[ "$FAILED" -eq 0 ]
