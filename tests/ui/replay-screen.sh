#!/bin/bash
# A replay you can pause and speed up (issue 12, item 8), at 80x24: Space
# stops the replay's clock (nothing more arrives while it stands) and
# starts it again; + and - double and halve the pace (also while paused,
# where nothing moves); Up goes back through what was drawn while the
# replay goes on. (Frame counts are not timed here: tmux lags behind a
# fast-drawing replay on a loaded machine.)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux missing"; exit 77; }
. "$HERE/tmux-lib.sh"

# 1400 frames over 0.70 s: at 1/64 of its pace, 45 s (time enough on a
# loaded machine).
CAP=$TOP/tests/data/cubic-sender-loss.pcap
shown() {   # the frames the status line says were read so far
	grab
	sed -n 's/.*replay[a-z ]* [0-9.]*x  \([0-9,]*\) frames.*/\1/p' "$SCREEN" |
		tail -1 | tr -d ,
}

start 80 24
launch --replay=0.015625 -r "$CAP"
check "the replay starts at the pace asked for" wait_for 'replaying 0\.015625x' 5
check "rows arrive" wait_for '^ +[0-9]+ +0\.[0-9]+ ' 5
keys Space
check "Space: the replay is paused, and says so" wait_for 'replay paused 0\.015625x' 3
a=$(shown)
sleep 1.5
b=$(shown)
check "paused: nothing arrives ($a then $b frames)" test -n "$a" -a "${a:-x}" = "${b:-y}"
keys Space
check "Space again: the replay goes on" wait_for 'replaying 0\.015625x' 3
sleep 1
c=$(shown)
check "resumed: frames arrive again ($b then $c)" test "${c:-0}" -gt "${b:-0}"
# The pace changes while paused: the clock stays stopped (nothing
# arrives), the status line says the new pace.
keys Space
check "Space: paused again" wait_for 'replay paused 0\.015625x' 5
p1=$(shown)
keys +
check "+: twice the pace, said in the message" wait_for 'Replay at 0\.03125x' 5
check "+: the status line says the pace" screen_has 'replay paused 0\.03125x'
keys +
check "+ +: four times the first pace" wait_for 'replay paused 0\.0625x' 5
keys -- -
check "-: half of that" wait_for 'replay paused 0\.03125x' 5
p2=$(shown)
check "a paused replay stays where it was while its pace changes ($p1, $p2)" \
	test -n "$p1" -a "$p1" = "$p2"
keys Space
check "Space: on at the new pace" wait_for 'replaying 0\.03125x' 5
cursor() { grab; sed -n 's/^ frame \([0-9]*\)  .*/\1/p' "$SCREEN" | tail -1; }
keys Up Up Up
sleep 0.3
c1=$(cursor)
sleep 1.5
c2=$(cursor)
check "Up: the cursor stays on an earlier row (frame $c1, then $c2)" \
	test -n "$c1" -a "$c1" = "$c2"
for i in $(seq 20); do keys +; done
check "+ again and again: the replay speeds up to its end" wait_for ' 1,400 frames' 20
quit_check "Q" Q
echo "1..$T"
[ "$FAILED" -eq 0 ]
