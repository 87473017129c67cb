#!/bin/bash
# reread-pcapng.sh -- the view reads frames of a pcapng of several link
# types again (details pane, saving) through tcpladder's own reader, as
# the capture was read: the details of raw-IP and Linux cooked frames after Ethernet ones,
# going back and forth, and saving a connection of mixed link types says
# why it cannot (a pcap file holds one link type) instead of writing a
# wrong file.
#
#   tests/ui/reread-pcapng.sh [TCPLADDER]
#
# Prints TAP; exits 1 on a failure, 77 (skip) when tmux is missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
DATA=$TOP/tests/data
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
. "$HERE/tmux-lib.sh"

MULTI=$DATA/encap/pcapng_multi.pcapng
# the screen does not show the pattern
lacks() { ! screen_has "$1"; }
start 120 40
launch -r "$MULTI"
check "mixed pcapng: ladder drawn" wait_for 'pcapng_multi.pcapng' 5
keys Enter
check "Enter: details of frame 2 (Ethernet)" \
	wait_for 'segment details  frame 2' 3
check "frame 2: its IPv4 header read again" \
	screen_has 'IPv4   version 4  header 20 B'
check "frame 2: no reread error" lacks 'cannot read|not found again'
keys Right
check "Right: frame 3 (raw IP, another interface)" \
	wait_for 'segment details  frame 3' 3
check "frame 3: its TCP header read again" \
	screen_has 'TCP    source port 80  destination port 40000'
keys Right
check "Right: frame 4 (Linux cooked, a third interface)" wait_for 'segment details  frame 4' 3
check "frame 4: its TCP header read again" \
	screen_has 'TCP    source port 40000  destination port 80'
check "frame 4: no reread error" \
	lacks 'cannot read|not found again|no longer decodes'
keys Left Left
check "Left Left: back to frame 2 (a seek back)" \
	wait_for 'segment details  frame 2' 3
check "frame 2 again: its TCP header" \
	screen_has 'TCP    source port 40000  destination port 80'
keys q
wait_for '^ +#  time ' 3 >/dev/null
keys w
wait_for 'Save 1 connection to: ' 3 >/dev/null
keys C-u
type_text "$TMP/out.pcap"
keys Enter
check "saving mixed link types: refused with the reason" \
	wait_for 'Not saved: frame 3 is of link type [0-9]+, the file.s first' 3
check "nothing written" [ ! -e "$TMP/out.pcap" ]
keys Q
after "mixed pcapng Q" 0

echo "1..$T"
[ "$FAILED" -eq 0 ]
