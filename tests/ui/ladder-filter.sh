#!/bin/bash
# ladder-filter.sh -- the ladder's row filter under tmux at 80x24 and
# 120x40: f takes a Wireshark display filter and the rows left are the
# frames tshark -Y selects; a filter that does not parse keeps the prompt,
# the error under it with a caret at the token, the rows as they were; the
# presets (annotated, c2s, s2c) are words Tab puts in the prompt, an empty
# answer clears; -Y given with the view starts the ladder and the list
# filtered (the title says so) until f clears it, also while segments
# arrive (--replay); w saves the rows shown.
# Frame numbers expected come from tshark when it is installed, else from
# the lists below (tshark 4.0's answers).
# Prints TAP; 77 (skip) when tmux is missing.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
SRC=${srcdir:-$TOP}
LOSS=$SRC/tests/data/v6-download-loss.pcapng
REUSE=$SRC/tests/data/v6-reuse-sll2.pcap

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
case $LOSS in /*) ;; *) LOSS=$PWD/$LOSS; REUSE=$PWD/$REUSE ;; esac

. "$HERE/tmux-lib.sh"

RTX='tcp.analysis.retransmission'
PSH='tcp.len > 0 && tcp.flags.push == 1'
# tshark -r v6-download-loss.pcapng -Y FILTER -T fields -e frame.number
WANT_RTX='3 4 5 29 90 100 194 254 270 285'
WANT_PSH='11 15 19 25 46 60 68 87 98 102 118 125 139 146 160 166 174 188
	192 197 211 217 228 243 252 267 283 293'
WANT_PSH=$(echo $WANT_PSH)
if command -v tshark >/dev/null 2>&1; then
	WANT_RTX=$(tshark -r "$LOSS" -Y "$RTX" -T fields -e frame.number \
	           2>/dev/null | tr '\n' ' ')
	WANT_PSH=$(tshark -r "$LOSS" -Y "$PSH" -T fields -e frame.number \
	           2>/dev/null | tr '\n' ' ')
	WANT_RTX=$(echo $WANT_RTX)
	WANT_PSH=$(echo $WANT_PSH)
fi

# rows: the frame numbers of the ladder rows on screen.
rows() {
	grab
	sed -nE 's/^ *([0-9]+)◀? +[0-9][0-9.:+]* +[├│].*/\1/p' "$SCREEN"
}

# frames: every row's frame, from the first page and the last (g, G).
frames() {
	keys g
	sleep 0.2
	{
		rows
		keys G
		sleep 0.2
		rows
	} | sort -nu | tr '\n' ' ' | sed 's/ $//'
}

# answer TEXT: f, the prompt emptied, TEXT typed, Enter.
answer() {
	keys f C-u
	[ -n "$1" ] && type_text "$1"
	keys Enter
}

for size in "80 24" "120 40"; do
	set -- $size
	W=$1
	start "$1" "$2"
	run "cd $TMP"

	# ---- a display filter selects the rows tshark -Y selects -----------
	launch -r "$LOSS"
	check "$W: ladder drawn" wait_for 'v6-download-loss\.pcapng' 5
	keys f
	check "$W: f opens the row filter's prompt" \
		wait_for 'Filter rows \(Tab: presets\)' 3
	keys C-u
	type_text "$RTX"
	keys Enter
	check "$W: the title says the filter" \
		wait_for '10 of 296 segments' 3
	check "$W: the status says how many pass" \
		screen_has "Rows: $RTX: 10 pass"
	got=$(frames)
	check "$W: $RTX: frames [$got] = tshark's [$WANT_RTX]" \
		test "$got" = "$WANT_RTX"
	check "$W: screen fits $W columns" fits "$W"
	answer "$PSH"
	n=$(echo $WANT_PSH | wc -w)
	check "$W: $PSH: $n of 296" wait_for "$n of 296 segments" 3
	got=$(frames)
	check "$W: $PSH: frames as tshark's" test "$got" = "$WANT_PSH"
	# / and a/A move among the rows that pass.
	keys g
	keys /
	type_text 192
	keys Enter
	check "$W: / finds frame 192 among the rows" \
		wait_for '^ frame 192 ' 3

	# ---- a filter that does not parse -----------------------------------
	keys f C-u
	type_text 'tcp.len > 0 && tcp.flgs.push == 1'
	keys Enter
	check "$W: the error under the prompt" \
		wait_for '^ Left side of "==" expression must be a field or function, not tcp\.flgs\.push' 3
	grab
	pline=$(grep -n 'Filter rows' "$SCREEN" | cut -d: -f1)
	prompt=$(sed -n "${pline}p" "$SCREEN")
	caret=$(sed -n "$((pline + 1))p" "$SCREEN")
	want=${prompt%%tcp.flgs*}
	got=${caret%%^*}
	check "$W: caret line right under the prompt" \
		eval '[[ $caret =~ ^\ +\^~+$ ]]'
	check "$W: caret at column ${#want}, under tcp.flgs.push" \
		test "${#got}" -eq "${#want}"
	check "$W: the caret is as long as the token" \
		eval '[[ $caret =~ \^~{12}$ ]]'
	keys Escape
	check "$W: Esc: the rows as they were" \
		wait_for "$n of 296 segments" 3

	# ---- the presets -----------------------------------------------------
	keys f C-u Tab
	check "$W: Tab: annotated" wait_for 'Filter rows \(Tab: presets\): annotated' 3
	keys Enter
	check "$W: annotated rows" wait_for 'Rows: annotated: [0-9]+ pass' 3
	check "$W: no row without analysis words" \
		eval '! grep -Eq "^ *[0-9]+ +[0-9.]+ +├.*┤ *$" "$SCREEN"'
	keys f Tab
	check "$W: Tab again: c2s" wait_for 'Filter rows \(Tab: presets\): c2s' 3
	keys Enter
	check "$W: client to server" \
		wait_for 'Rows: client to server: 64 pass' 3
	check "$W: no leftward arrow" eval '! screen_has "├◀"'
	answer s2c
	check "$W: the word s2c" \
		wait_for 'Rows: server to client: 232 pass' 3
	check "$W: no rightward arrow" eval '! screen_has "▶┤"'
	answer ''
	check "$W: an empty answer: every row" wait_for ' 296 segments' 3
	check "$W: no filter in the title" eval '! screen_has "filter"'
	quit_check "$W: ladder filter" q

	# ---- -Y with the view --------------------------------------------------
	launch -Y "'$RTX'" -r "$LOSS"
	check "$W: -Y: the title says so" wait_for '10 of 296 segments' 5
	check "$W: -Y: named" eval 'screen_has "filter \(-Y…|filter \(-Y\)"'
	got=$(frames)
	check "$W: -Y: frames as tshark's" test "$got" = "$WANT_RTX"
	# w: only the frames of the rows shown.
	keys w
	check "$W: w: the rows shown" wait_for 'Save the 10 rows shown to: ' 3
	rm -f "$TMP/rtx.pcap"
	keys C-u
	type_text "$TMP/rtx.pcap"
	keys Enter
	check "$W: w: saved 10 frames" wait_for 'Saved 10 frames' 3
	if command -v tshark >/dev/null 2>&1; then
		saved=$(tshark -r "$TMP/rtx.pcap" -T fields -e frame.number \
		        2>/dev/null | wc -l)
		check "$W: w: the file has 10 frames" test "$saved" -eq 10
	fi
	answer ''
	check "$W: -Y cleared by f and an empty answer" \
		wait_for ' 296 segments' 3
	quit_check "$W: -Y ladder" q

	# Segments arriving (a replay at the capture's pace, 1.1 s): each
	# matched as it comes, the rows at the end as tshark's.
	launch --replay=1 -Y "'$RTX'" -r "$LOSS"
	check "$W: replay: rows while segments arrive" \
		wait_for 'of [0-9]+ segments  filter \(-Y' 5
	check "$W: replay: all read, 10 rows" wait_for '10 of 296 segments' 5
	got=$(frames)
	check "$W: replay: frames as tshark's" test "$got" = "$WANT_RTX"
	quit_check "$W: replay" q

	launch -Y "'ip.src == 192.0.2.1'" -r "$REUSE"
	check "$W: -Y: the list filtered" wait_for 'filter \(-Y\): ip\.src' 5
	check "$W: -Y: stream 2 kept" screen_has '^ \[ \]  2 192\.0\.2\.1'
	check "$W: -Y: streams 0 and 1 (IPv6) gone" \
		eval '! screen_has "^ \[ \]  [01] "'
	keys Enter
	check "$W: -Y: the ladder of stream 2, its rows filtered" \
		wait_for 'stream 2/3  10 of 10 segments' 3
	keys q
	check "$W: back to the list" wait_for 'filter \(-Y\)' 3
	keys f C-u Enter
	check "$W: f, empty: every connection" \
		wait_for '^ \[ \]  0 ' 3
	quit_check "$W: -Y list" q
done

echo "1..$T"
[ "$FAILED" -eq 0 ]
