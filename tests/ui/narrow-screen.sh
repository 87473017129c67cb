#!/bin/bash
# narrow-screen.sh -- the view at 80x24 and 120x40 under tmux: text that
# does not fit is marked and reachable (list columns, help and detail
# lines, status messages, the time column); one key map in every view
# (g/G first/last, / n N search, f filter, ? at the view's section, s/b
# graphs); SACK blocks on the ladder and in the details; the HTTP stream
# table's finish is the ACK of the last byte.
# Prints TAP; 77 (skip) when tmux is missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
D=$TOP/tests/data
. "$HERE/tmux-lib.sh"

# open SIZE FILE: a fresh view of FILE, its title on screen.
open_view() {
	start "${1%x*}" "${1#*x}"
	run "clear; $BIN -r $D/$2"
	wait_for "${2##*/}" 5 || true
}

for size in 80x24 120x40; do
	W=${size%x*}

	# ---- the connections list ------------------------------------
	open_view "$size" ppa/http_espn.pcapng
	check "$size list: drawn" wait_for '^ \[ \] +0 172\.16\.0\.122:52166' 3
	check "$size list: nothing cut (the connection's lines wrap)" \
		eval '! screen_has "…"'
	check "$size list: the connection's iRTT" screen_has 'iRTT 59\.70ms'
	check "$size list: hidden columns marked (> at the header's end)" \
		screen_has '^ +st client .*>$'
	check "$size list: opts not shown yet" eval '! screen_has "opts c/s"'
	keys l l l l l l l l
	check "$size list: l scrolls to the last column" \
		wait_for '^< .*opts c/s' 3
	check "$size list: its value for stream 0" screen_has 'MSWT/M-WT'
	check "$size list: iRTT on the way" screen_has '59\.70ms'
	keys h h h h h h h h
	check "$size list: h scrolls back" wait_for '^ +st client' 3
	check "$size list: fits" fits "$W"
	# / searches, n goes on; f filters (the same keys as everywhere).
	keys /
	check "$size list /: a search prompt" wait_for 'Search connections' 3
	type_text 68.71.208.11
	keys Enter
	check "$size list /: the cursor on stream 1" \
		wait_for '^ stream 1  172\.16\.0\.122:44955' 3
	keys n
	check "$size list n: the next match (stream 20)" \
		wait_for '^ stream 20  ' 3
	keys G
	check "$size list G: the last connection" wait_for '^ stream 24 ' 3
	keys g
	check "$size list g: the first connection" wait_for '^ stream 0 ' 3
	keys f
	check "$size list f: the filter prompt" wait_for 'Filter connections' 3
	type_text 21
	keys Enter
	check "$size list f: filtered" wait_for 'filter: 21' 3
	keys '?'
	check "$size list ?: help at the list's section" \
		wait_for '^ Connections list *$' 3
	# Help lines never cut: a long one wraps under its description.
	keys /
	type_text 'filter rows'
	keys Enter
	check "$size help /: found" wait_for 'filter rows: a display filter' 3
	check "$size help: the whole line is there" \
		eval 'grep -Eq "empty: every row|^ +row$" "$SCREEN"'
	check "$size help: no cut marker" eval '! screen_has "…"'
	check "$size help: fits" fits "$W"
	keys q
	wait_for 'filter: 21' 3 >/dev/null

	# ---- the stream table: finish is the ACK of the last byte ------
	keys Enter
	check "$size ladder of stream 21" wait_for 'stream 21/25' 3
	keys Enter
	check "$size details open" wait_for 'segment details' 3
	keys /
	type_text 'config.prodXml'
	keys Enter
	check "$size details /: the stream table" \
		wait_for 'last byte sent 1\.450620' 3
	check "$size details: finish is the ACK (frame 839)" \
		screen_has 'finish 1\.450633 \(frame 839\)'
	check "$size details: fits" fits "$W"
	keys '?'
	check "$size details ?: help at the details' section" \
		wait_for '^ Segment details *$' 3
	keys q q
	check "$size back on the ladder" wait_for '^ +#  time' 3
	keys G
	check "$size ladder G: the last segment" wait_for '^ frame 839 ' 3
	keys g
	check "$size ladder g: the first segment" wait_for '^ frame 818 ' 3
	if [ "$W" -lt 100 ]; then
		check "$size ladder: cut time digits marked" screen_has '^ +#  time… '
		check "$size ladder: the whole time below" \
			screen_has '^ 1\.320270 s '
	else
		check "$size ladder: six decimals" screen_has '^ +818  1\.320270 '
	fi
	keys s
	check "$size s: the time-sequence graph" \
		wait_for 'time-sequence graph' 3
	keys G
	check "$size graph G: the last segment" wait_for '^ frame 839 ' 3
	keys g
	check "$size graph g: the first segment" wait_for '^ frame 818 ' 3
	keys /
	type_text 838
	keys Enter
	check "$size graph /: frame 838" wait_for '^ frame 838 ' 3
	keys /
	type_text 'Len=528'
	keys Enter
	keys g n
	check "$size graph / n: text, the next match" wait_for '^ frame 838 ' 3
	keys b
	check "$size b: bytes in flight" wait_for 'bytes in flight' 3
	keys '?'
	check "$size graph ?: help at the graphs' section" \
		wait_for '^ Graphs \(s, b\) *$' 3
	keys q q
	check "$size graph q: back to the ladder" wait_for '^ +#  time' 3
	keys p
	check "$size p: follow" wait_for 'follow stream 21' 3
	keys '?'
	check "$size follow ?: help at the follow view's section" \
		wait_for '^ Follow stream \(p\) *$' 3
	keys q
	keys f
	check "$size follow f: one direction" wait_for '^ +[0-9]+ → ' 3
	keys q
	# A message longer than the status line takes two lines, whole.
	keys /
	type_text 'nothing-like-this-anywhere in the capture at all, not a word of it'
	keys Enter
	check "$size a long message: its end is on screen" \
		wait_for 'a word of it' 3
	check "$size a long message: not cut" eval '! screen_has "Not found.*…$"'
	check "$size fits" fits "$W"
	keys Q

	# ---- SACK blocks ----------------------------------------------
	open_view "$size" lab-ooo.pcap
	check "$size SACK on the dup ACK's label, Ack= kept" \
		wait_for '^ +7 .*ACK .*Ack=1 .*SACK 29-59 .*\[TCP Dup ACK 4#1\]' 3
	keys Down
	keys Enter
	check "$size SYN-ACK details: the options, no flag word" \
		wait_for '^ offers MSS=1460 SACK_PERM$' 3
	keys Right Right Right
	check "$size details Right: frame 7" wait_for 'segment details  frame 7 ' 3
	check "$size details: the SACK block" \
		screen_has '^ sack   29-59: 1 block beyond Ack=, 30 bytes'
	keys r
	check "$size details r: absolute blocks" \
		wait_for '^ sack   2986678429-2986678459|^ sack   3468710003-3468710033' 3
	check "$size fits" fits "$W"
	keys Q
done

# Several blocks, relative, joined by commas (tshark: SLE=78541,58549).
open_view 120x40 v6-download-loss.pcapng
keys /
type_text 89
keys Enter
check "two SACK blocks on one label" \
	wait_for '^ frame 89 .*SACK 78541-81397,58549-77113' 3
keys Q

echo "1..$T"
[ "$FAILED" -eq 0 ]
