#!/bin/bash
# A replay you can pause and speed up (issue 12, item 8), at 80x24: Space
# stops the replay's clock (nothing more arrives while it stands) and
# starts it again; + and - double and halve the pace from where the clock
# is, so the replay never jumps ahead; Up goes back through what was drawn
# while the replay goes on.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux missing"; exit 77; }
. "$HERE/tmux-lib.sh"

# 1400 frames over 0.70 s: at 1/16 of its pace, 11 s.
CAP=$TOP/tests/data/cubic-sender-loss.pcap
shown() {   # the frames the status line says were read so far
	grab
	sed -n 's/.*replay[a-z ]* [0-9.]*x  \([0-9,]*\) frames.*/\1/p' "$SCREEN" |
		tail -1 | tr -d ,
}

start 80 24
launch --replay=0.0625 -r "$CAP"
check "the replay starts at the pace asked for" wait_for 'replaying 0\.0625x' 5
check "rows arrive" wait_for '^ +[0-9]+ +0\.[0-9]+ ' 5
keys Space
check "Space: the replay is paused, and says so" wait_for 'replay paused 0\.0625x' 3
a=$(shown)
sleep 1.5
b=$(shown)
check "paused: nothing arrives ($a then $b frames)" test "${a:-x}" = "${b:-y}"
keys Space
check "Space again: the replay goes on" wait_for 'replaying 0\.0625x' 3
sleep 1
c=$(shown)
check "resumed: frames arrive again ($b then $c)" test "${c:-0}" -gt "${b:-0}"
# Doubling the pace from where the clock is: a clock restarted from the
# capture's start would jump to twice the time read so far.
before=$(shown)
keys +
check "+: twice the pace, said in the message" wait_for 'Replay at 0\.125x' 3
after_plus=$(shown)
check "+: no jump ahead ($before then $after_plus of 1400 frames)" \
	test $((after_plus - before)) -lt 150
check "+: the status line says the pace" screen_has 'replaying 0\.125x'
keys - -
check "- -: a quarter of that" wait_for 'replaying 0\.03125x' 3
cursor() { grab; sed -n 's/^ frame \([0-9]*\)  stream.*/\1/p' "$SCREEN" | tail -1; }
keys Up Up Up
sleep 0.3
c1=$(cursor) n1=$(shown)
sleep 1.5
c2=$(cursor) n2=$(shown)
check "Up: the cursor stays on an earlier row (frame $c1, then $c2)" \
	test -n "$c1" -a "$c1" = "$c2"
check "Up: while the replay goes on ($n1 then $n2 frames)" \
	test "${n2:-0}" -gt "${n1:-0}"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do keys +; done
check "+ at most 1024x: the replay runs to its end" wait_for ' 1,400 frames' 10
quit_check "Q" Q
echo "1..$T"
[ "$FAILED" -eq 0 ]
