#!/bin/bash
# graph-screen.sh -- the graphs (g, G) and export (e) of the full-screen
# view, under tmux like screen-tests.sh: zoom, pan, fit, the cursor linked
# to the ladder, braille and ASCII, files named after the capture and never
# written over.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
SRC=${srcdir:-$TOP}
LOSS=$SRC/tests/data/v4-upload-loss.pcap
OOO=$SRC/tests/data/lab-ooo.pcap

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
case $LOSS in /*) ;; *) LOSS=$PWD/$LOSS; OOO=$PWD/$OOO ;; esac

. "$HERE/tmux-lib.sh"

start 120 40
run "cd $TMP"
launch -r "$LOSS"
check "ladder drawn" wait_for 'v4-upload-loss\.pcap' 5

# ---- s: the time-sequence graph (g is first, as in every view) ---------
keys s
check "s: time-sequence graph of stream 0" \
	wait_for 'time-sequence graph  stream 0  192\.0\.2\.1:34832 → 192\.0\.2\.2:5001' 3
check "s: braille dots" screen_has '[⡀⡇⣀⠉⠒⠤⣿⢸]'
check "s: y axis in bytes" screen_has '^ +[0-9]+ KB ┤'
check "s: x axis in time" screen_has '[0-9.]+ ms +[0-9.]+ ms'
check "s: legend" screen_has '─ ACK .*retransmission'
check "s: SACK blocks in the legend" screen_has "window +│ SACK +■ retransmission"
check "s: counts the retransmissions" screen_has '216 data segments, 5 retransmitted, 0 out of order, 0 after a gap, 21 dup ACKs'
check "s: cursor on the first segment (the SYN)" screen_has '^ frame 3 .*SYN Seq=0'
check "s: screen fits 120 columns" fits 120

# a: the next problem, in the graph as in the ladder.
for i in $(seq 1 20); do
	grab
	screen_has 'TCP Fast Retransmission' && break
	keys a
	sleep 0.05
done
check "a: reaches the first fast retransmission (frame 33)" \
	wait_for '^ frame 33 .*\[TCP Fast Retransmission\]' 3
tm capture-pane -p -e >"$SCREEN"
# The dark theme's retransmission red (src/theme.c, 5.25:1 on black).
check "s: retransmission drawn in the annotation red" grep -q '38;5;196m' "$SCREEN"
check "s: dup ACKs drawn in the annotation yellow" grep -q '38;5;178m' "$SCREEN"
keys .
check ".: next segment (frame 34)" wait_for '^ frame 34 ' 3
keys ,
check ",: previous segment (frame 33)" wait_for '^ frame 33 ' 3
keys +
check "+: zoomed" wait_for '\(zoomed\)' 3
check "+: zoomed around the cursor (3.x ms in view)" screen_has ' 3\.[0-9] ms'
keys Left
check "Left: pans" wait_for '\(zoomed\)' 3
keys 0
check "0: fits the whole connection again" wait_gone '\(zoomed\)' 3
keys +

# e: the graph as it is on screen.
keys e
check "e: says where the graph went" \
	wait_for "Exported the time-sequence graph to $TMP/v4-upload-loss\.stream0\.tsg\.svg" 3
check "e: the file exists" test -s "$TMP/v4-upload-loss.stream0.tsg.svg"
if command -v xmllint >/dev/null 2>&1; then
	check "e: the file is valid SVG" xmllint --noout "$TMP/v4-upload-loss.stream0.tsg.svg"
fi
cp "$TMP/v4-upload-loss.stream0.tsg.svg" "$TMP/first.svg"
keys e
check "e again: a new name, never over the first" \
	wait_for "to $TMP/v4-upload-loss\.stream0\.tsg-1\.svg" 3
check "e again: the first file untouched" cmp -s "$TMP/first.svg" "$TMP/v4-upload-loss.stream0.tsg.svg"

# b: bytes in flight.
keys b
check "b: bytes in flight" wait_for 'bytes in flight' 3
check "b: legend" screen_has 'in flight .*receive window'
check "b: cursor stays on frame 33" screen_has '^ frame 33 '
keys e
check "e in b: exported" wait_for "v4-upload-loss\.stream0\.flight\.svg" 3

# The cursor is linked: back in the ladder, frame 33 is selected.
keys .
wait_for '^ frame 34 ' 3 >/dev/null
keys q
check "q: back to the ladder" wait_for '^ +#  time ' 3
check "q: the ladder selects the graph's segment (frame 34)" \
	wait_for '^ frame 34  stream 0 ' 3
keys Down
keys s
check "s again: the graph follows the ladder (frame 35)" wait_for '^ frame 35 ' 3
keys Enter
check "Enter: details of the graph's segment" wait_for 'segment details  frame 35' 3
keys Right
keys q
check "back from details: the graph follows (frame 36)" wait_for '^ frame 36 ' 3
keys q
wait_for '^ +#  time ' 3 >/dev/null

# e in the ladder: the rows on screen.
keys e
check "e in the ladder: rows on screen exported" \
	wait_for "Exported [0-9]+ rows on screen to $TMP/v4-upload-loss\.stream0\.svg" 3
if command -v xmllint >/dev/null 2>&1; then
	check "e in the ladder: valid SVG" xmllint --noout "$TMP/v4-upload-loss.stream0.svg"
fi
check "e in the ladder: holds frame 36" grep -q 'data-frame="36"' "$TMP/v4-upload-loss.stream0.svg"
keys E
check "E: every row exported to a new name" \
	wait_for "Exported 267 rows shown to $TMP/v4-upload-loss\.stream0-1\.svg" 3
quit_check "graph and export, q" q

# ---- ASCII, and the lab's out-of-order exchange --------------------------
launch --ascii -r "$OOO"
wait_for 'lab-ooo\.pcap' 5 >/dev/null
keys s
check "--ascii s: drawn" wait_for 'time-sequence graph' 3
check "--ascii s: no braille" eval '! screen_has "[⡀⡇⣀⠉⠒⠤⣿⢸]"'
check "--ascii s: data bars" screen_has '\|'
check "--ascii s: the gap before frame 6 shown" screen_has ':'
check "lab-ooo s: one out of order, one after a gap" \
	screen_has '4 data segments, 0 retransmitted, 1 out of order, 1 after a gap, 1 dup ACKs'
keys b
check "--ascii b: bytes in flight" wait_for 'bytes in flight' 3
quit_check "--ascii graph Q" Q

echo "1..$T"
[ "$FAILED" -eq 0 ]
