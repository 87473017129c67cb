#!/bin/bash
# screen-tests.sh -- drive the real tcpladder full-screen view under tmux and
# check what a user sees (tmux's regress/ manner: a private server, keys
# sent with send-keys, the screen read with capture-pane -p).
#
#   tests/ui/screen-tests.sh [TCPLADDER [SHARED_CAPTURES]]
#
# Also from the environment: TCPLADDER (default ./tcpladder),
# SHARED_CAPTURES (default ../shared/captures/ppa next to the source),
# SIZES (default "120x40 80x24 200x60"). Prints TAP; exits 1 on a failure,
# 77 (skip) only when tmux is missing.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
CAPS=${2:-${SHARED_CAPTURES:-$TOP/../shared/captures/ppa}}
SIZES=${SIZES:-"120x40 80x24 200x60"}
DATA=$TOP/tests/data/synth

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
case $CAPS in /*) ;; *) CAPS=$PWD/$CAPS ;; esac
if [ ! -x "$BIN" ]; then
	echo "Bail out! no tcpladder binary at $BIN"
	exit 1
fi
# Accept the captures folder itself or its ppa/ subfolder.
if [ ! -r "$CAPS/tcp_dupack.pcapng" ] && [ -r "$CAPS/ppa/tcp_dupack.pcapng" ]; then
	CAPS=$CAPS/ppa
fi
# Without the shared folder (a release tarball), our copies will do.
if [ ! -r "$CAPS/tcp_dupack.pcapng" ] && [ -r "$TOP/tests/data/ppa/tcp_dupack.pcapng" ]; then
	CAPS=$TOP/tests/data/ppa
fi
if [ ! -r "$CAPS/tcp_dupack.pcapng" ]; then
	echo "Bail out! no captures in $CAPS (tcp_dupack.pcapng missing)"
	exit 1
fi

. "$HERE/tmux-lib.sh"

DUP=$CAPS/tcp_dupack.pcapng
ESPN=$CAPS/http_espn.pcapng

# ---- every size: the ladder, the list, help, quitting ---------------------

for size in $SIZES; do
	W=${size%x*}
	H=${size#*x}
	start "$W" "$H"

	launch -r "$DUP"
	check "$size dupack: ladder drawn" wait_for 'tcp_dupack.pcapng' 5
	check "$size dupack: client column header" \
		wait_for '172\.31\.136\.85:38760 .*195\.81\.202\.68:80' 3
	check "$size dupack: frame 1 arrow points right" \
		wait_for '^ +1 .*├──.*▶┤' 3
	check "$size dupack: frame 2 arrow points left" \
		wait_for '^ +2 .*├◀─.*┤' 3
	check "$size dupack: Dup ACK annotation" \
		wait_for '\[TCP Dup ACK 1#2\]' 3
	if [ "$W" -ge 100 ]; then
		check "$size dupack: fast retransmission annotation" \
			wait_for '\[TCP Fast Retransmission\]' 3
	else
		check "$size dupack: fast retransmission (abbreviated)" \
			wait_for '\[TCP Fast Retrans' 3
	fi
	if [ "$W" -ge 100 ]; then
		check "$size dupack: label on the arrow" \
			wait_for '├── ACK Seq=1 Ack=1 .*Len=0 SACK 5473-10945 ─+▶┤' 3
	else
		# Short of room a pure ACK drops Len=0, Seq= and Win=, then
		# its SACK blocks, and keeps Ack=.
		check "$size dupack: label on the arrow keeps Ack=" \
			wait_for '├── ACK Ack=1 SACK 5473-10945 ─+▶┤' 3
	fi
	check "$size dupack: screen fits $W columns" fits "$W"
	keys '?'
	check "$size help view opens at the ladder's section" \
		wait_for '^ Ladder *$' 3
	keys Home
	check "$size help view: Home goes to the top" \
		wait_for 'Connections list' 3
	keys End
	check "$size help: scrolls to the colours" wait_for 'Colours in the ladder' 3
	check "$size help lists the details keys" screen_has 'next, previous segment'
	keys q
	check "$size help: q goes back to the ladder" wait_for '\[TCP Dup ACK 1#2\]' 3
	quit_check "$size dupack q" q

	launch -r "$ESPN"
	check "$size espn: connections list first" wait_for '25 connections' 5
	check "$size espn: list row for stream 0" \
		wait_for '^ \[ \] +0 172\.16\.0\.122:52166 +199\.181\.132\.250:80' 3
	check "$size espn: list header" wait_for 'client +server' 3
	check "$size espn: screen fits $W columns" fits "$W"
	quit_check "$size espn Q" Q
done

# ---- 120x40: every key -------------------------------------------------------

start 120 40
launch -r "$DUP"
wait_for '\[TCP Dup ACK 1#2\]' 5 >/dev/null
keys a
check "a: next annotated segment is frame 3" \
	wait_for '^ frame 3  .*\[TCP Dup ACK 1#1\]' 3
keys a a a
check "a a a: frame 8, explained at the bottom" \
	wait_for '^ Wireshark calls a segment a fast retransmission when' 3
keys A
check "A: back to frame 7" wait_for '^ frame 7  ' 3
keys Enter
check "Enter: segment details" wait_for 'segment details  frame 7' 3
check "details: flags spelled out" screen_has 'flags  0x010 = ACK \(acknowledgment\)'
check "details: relative and absolute seq" \
	screen_has 'seq    1 relative  \([0-9]+ absolute'
check "details: analysis explained" \
	screen_has 'Duplicate ACK #3 of frame 1: the receiver is still missing byte 1'
check "details: IPv4 header fields" screen_has 'IPv4   version 4  header 20 B'
check "details: TCP header fields" screen_has 'TCP    source port 38760  destination port 80'
check "details: checksum and urgent pointer" screen_has 'checksum 0x[0-9a-f]{4}  urgent pointer 0'
check "details: options decoded" screen_has 'timestamps TSval [0-9]+ TSecr [0-9]+'
keys Right
check "details: Right shows the next segment (frame 8, with payload hex)" \
	wait_for '0000  [0-9a-f]{2} [0-9a-f]{2} ' 3
keys q
check "q: back to the ladder" wait_for '^ +#  time ' 3
keys d
check "d: details pane under the ladder" wait_for '^ flags  0x010' 3
keys Tab
check "Tab: focus on the details pane" wait_for 'details \(Tab\)' 3
keys Tab d
wait_gone '^ flags  0x010' 3 >/dev/null
keys t
check "t: delta times" wait_for 'delta' 3
check "t: delta values" screen_has '^ +2  \+0\.000190 '
keys t
check "t: time of day" wait_for 'time of day' 3
keys t
check "t: back to time since start" wait_for 'time: since start' 3
keys r
check "r: absolute sequence numbers" wait_for 'seq: absolute' 3
check "r: absolute values in labels" screen_has 'Ack=704338729 '
check "r: absolute SACK blocks" screen_has 'SACK 1310978658-1310984130 '
keys r
wait_for 'seq: relative' 3 >/dev/null
keys f
check "f: the row filter's prompt" wait_for 'Filter rows \(Tab: presets\)' 3
keys Tab Enter
check "f Tab: annotated rows only" wait_for 'filter: annotated' 3
check "f: frame 2 is hidden" eval '! screen_has "^ +2  0\.000190"'
check "f: frame 5 is shown" screen_has '^ +5  0\.000304'
keys f Tab Enter
check "f Tab Tab: client to server only" wait_for 'filter: client to server' 3
check "f: no leftward arrows" eval '! screen_has "├◀"'
keys f C-u Enter
wait_for '9 segments' 3 >/dev/null
keys v
check "v: label on its own row above the arrow" \
	wait_for '^ +1  0\.000000  │ +ACK Seq=1 Ack=1 Win=382 Len=0 SACK 5473-10945 +│' 3
check "v: plain arrow row below" screen_has '^ +├─+▶┤'
keys v
keys /
check "/: search prompt" wait_for 'Search \(frame number or text\)' 3
type_text 'Fast Retr'
keys Enter
check "/ text: finds the fast retransmission (frame 8)" wait_for '^ frame 8  stream 0' 3
keys /
type_text '5'
keys Enter
check "/ number: jumps to frame 5" wait_for '^ frame 5  ' 3
# g/Home first, G/End last, as in every view (s and b open the graphs:
# tests/ui/graph-screen.sh).
keys Home
check "Home: first row" wait_for '^ frame 1  stream 0' 3
keys End
check "End: last row" wait_for '^ frame 9  ' 3
keys g
check "g: first row" wait_for '^ frame 1  stream 0' 3
keys G
check "G: last row" wait_for '^ frame 9  ' 3
keys Up k
check "Up k: two rows up" wait_for '^ frame 7  ' 3
keys Down j
check "Down j: two rows down" wait_for '^ frame 9  ' 3
keys PPage
check "PgUp: first row" wait_for '^ frame 1  stream 0' 3
keys NPage
check "PgDn: last row" wait_for '^ frame 9  ' 3

tm resize-window -x 80 -y 24
check "resize to 80x24: still drawn" wait_for '\[TCP Dup ACK 1#2\]' 3
grab
check "resize to 80x24: fits 80 columns" fits 80
check "resize to 80x24: status line at the bottom" \
	eval 'tail -n 1 "$SCREEN" | grep -q "9 frames"'
tm resize-window -x 120 -y 40
check "resize back to 120x40: full annotation again" \
	wait_for '\[TCP Fast Retransmission\]' 3
grab
check "resize back to 120x40: bottom line on row 40" \
	eval '[ "$(wc -l < "$SCREEN")" -eq 40 ] && tail -n 1 "$SCREEN" | grep -q "9 frames"'
quit_check "after every ladder key, q" q

# ---- connections list ----------------------------------------------------------

launch -r "$ESPN"
wait_for '25 connections' 5 >/dev/null
keys Space Space
check "Space: selects two connections" wait_for '2 selected' 3
check "Space: marks shown" screen_has '^ \[x\] +0 172\.16\.0\.122:52166'
keys Enter
check "Enter: ladder of the two streams" wait_for '2 streams of 25' 3
check "ladder: stream column" screen_has '^ st +#  time'
check "ladder: four endpoint columns" screen_has '68\.71\.208\.11:80'
keys q
check "q: back to the list" wait_for '25 connections' 3
keys s
check "s: sort by packets" wait_for 'sort: packets' 3
check "s: busiest connection first" screen_has '^ \[ \] +3 172\.16\.0\.122:41835'
keys S
check "S: reversed" wait_for 'sort: packets \(reversed\)' 3
keys s s s s s
wait_for 'sort: stream' 3 >/dev/null
keys f
check "f: filter prompt" wait_for 'Filter connections' 3
type_text '68.71.208.11'
keys Enter
check "f: filtered rows" wait_for 'filter: 68\.71\.208\.11' 3
check "f: stream 21 kept" screen_has '^ \[.\] +21 172\.16\.0\.122:44975'
check "f: stream 0 gone" eval '! screen_has "199\.181\.132\.250:80"'
keys f
keys C-u Enter
wait_for '199\.181\.132\.250:80' 3 >/dev/null

# w: save the two selected connections.
keys w
check "w: asks for a file name" wait_for 'Save 2 connections to: ' 3
keys C-u
type_text "$TMP/two.pcap"
keys Enter
check "w: saved" wait_for 'Saved [0-9]+ frames to' 5
check "w: the file exists" test -s "$TMP/two.pcap"
if [ -s "$TMP/two.pcap" ]; then
	streams=$("$BIN" -r "$TMP/two.pcap" -T tsv | awk -F'\t' 'NR > 1 { print $3 }' | sort -u | tr '\n' ' ')
	check "w: the file holds exactly two connections" [ "$streams" = "0 1 " ]
	rows=$("$BIN" -r "$TMP/two.pcap" -T tsv | awk 'NR > 1' | wc -l)
	want=$("$BIN" -r "$ESPN" -T tsv -S 0,1 | awk 'NR > 1' | wc -l)
	check "w: every segment of both ($rows = $want)" [ "$rows" -eq "$want" ]
fi
cp "$TMP/two.pcap" "$TMP/two.keep" 2>/dev/null
keys w
wait_for 'Save 2 connections to: ' 3 >/dev/null
keys C-u
type_text "$TMP/two.pcap"
keys Enter
check "w: asks before overwriting" wait_for 'exists\. Overwrite it\? \(y/n\)' 3
keys n
check "w: n keeps the old file" wait_for 'Not saved: .* exists' 3
check "w: old file untouched" cmp -s "$TMP/two.pcap" "$TMP/two.keep"
quit_check "list Q" Q

# ---- exits: Ctrl-C, SIGTERM, SIGHUP --------------------------------------------

launch -r "$DUP"
wait_for '\[TCP Dup ACK 1#2\]' 5 >/dev/null
quit_check "Ctrl-C" C-c

launch -r "$DUP"
wait_for '\[TCP Dup ACK 1#2\]' 5 >/dev/null
pkill_one() {
	local pid
	pid=$(tm display-message -p '#{pane_pid}')
	pid=$(ps -o pid= --ppid "$pid" | head -n 1)
	[ -n "$pid" ] && kill "-$1" $pid
}
pkill_one TERM
quit_check "SIGTERM"

# ---- options ------------------------------------------------------------------

launch --ascii -r "$DUP"
check "--ascii: plain arrows" wait_for '^ +1 .*\|-- ACK Seq=1 .*->?\|' 5
check "--ascii: no box drawing" eval '! grep -q "[├┤─▶◀]" "$SCREEN"'
quit_check "--ascii q" q

launch --no-color -r "$DUP"
wait_for '\[TCP Dup ACK 1#2\]' 5 >/dev/null
tm capture-pane -p -e >"$SCREEN"
check "--no-color: no colour escapes" eval '! grep -q "\[3[0-9];\|38;5;" "$SCREEN"'
quit_check "--no-color q" q

launch --theme projector -r "$DUP"
check "--theme projector: drawn" wait_for '\[TCP Dup ACK 1#2\]' 5
quit_check "projector q" q

launch -S 1 -r "$ESPN"
check "-S 1: ladder of stream 1 first" wait_for 'stream 1/25' 5
quit_check "-S q quits" q

if [ -r "$DATA/zero_window.pcap" ]; then
	launch -r "$DATA/zero_window.pcap"
	check "synth zero_window: annotation" wait_for '\[TCP ZeroWindow\]' 5
	quit_check "zero_window q" q
fi
if [ -r "$DATA/two_streams.pcap" ]; then
	launch -r "$DATA/two_streams.pcap"
	check "synth two_streams: connections list" wait_for '2 connections' 5
	keys Enter
	check "synth two_streams: Enter opens one stream" wait_for 'stream 0/2' 3
	quit_check "two_streams Q" Q
fi

launch --replay=1000 -r "$DUP"
check "--replay: every segment drawn" wait_for '^ +9 .*win 382' 5
quit_check "--replay q" q

launch --step -r "$DUP"
check "--step: waits after the first segment" wait_for 'step: n/Space' 5
check "--step: only frame 1 so far" eval 'screen_has "^ +1 " && ! screen_has "^ +2 "'
keys n
check "--step: n shows the next" wait_for '^ +2 ' 3
quit_check "--step q" q

echo "1..$T"
[ "$FAILED" -eq 0 ]
