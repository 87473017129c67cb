#!/bin/bash
# sender-screen.sh -- the sender model where a teacher points, under tmux
# like screen-tests.sh, at 120x40 and 80x24: the phase band in the ladder's
# left gutter (letters, bars, colours), its legend in the help, the details
# saying why the window changed (fast retransmit, timeout), and the cwnd
# and ssthresh lines on the bytes-in-flight graph.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
SRC=${srcdir:-$TOP}
OOO=$SRC/tests/data/lab-ooo.pcap
ZW=$SRC/tests/data/lab-zerowin.pcap
LOSS=$SRC/tests/data/v4-upload-loss.pcap

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
case $OOO in /*) ;; *) OOO=$PWD/$OOO; ZW=$PWD/$ZW; LOSS=$PWD/$LOSS ;; esac

. "$HERE/tmux-lib.sh"

# Colours on the screen (capture-pane -e says only what changed since the
# cell before, so the attributes are followed from the top of the screen):
#   colours gutter PATTERN INDEX: the first cell of the line matching
#     PATTERN is reversed in 256-colour INDEX (the phase band);
#   colours first PATTERN INDEX: its first visible glyph is in INDEX;
#   colours braille - INDEX: a braille dot below the legend is in INDEX.
colours() {
	tm capture-pane -p -e >"$SCREEN.e"
	python3 - "$SCREEN.e" "$@" <<'PY'
import re, sys
path, mode, pat, want = sys.argv[1:5]
fg, rev = None, False
for row, raw in enumerate(open(path, encoding="utf-8", errors="replace")):
    raw = raw.rstrip("\n")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", raw)
    first = gutter = None
    for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b])", raw):
        ch = m.group(2)
        if ch is not None:
            if gutter is None:
                gutter = (fg, rev)
            if first is None and ch != " ":
                first = fg
            if (mode == "braille" and row >= 2 and fg == want
                    and 0x2801 <= ord(ch) <= 0x28ff):
                sys.exit(0)
            continue
        ps = (m.group(1) or "0").split(";")
        i = 0
        while i < len(ps):
            if ps[i] in ("", "0"):
                fg, rev = None, False
            elif ps[i] == "39":
                fg = None
            elif ps[i] == "7":
                rev = True
            elif ps[i] == "27":
                rev = False
            elif ps[i] in ("38", "48") and i + 2 < len(ps):
                if ps[i] == "38":
                    fg = ps[i + 2]
                i += 2
            i += 1
    if mode != "braille" and re.search(pat, plain):
        if mode == "gutter":
            sys.exit(0 if gutter == (want, True) else 1)
        sys.exit(0 if first == want else 1)
sys.exit(1)
PY
}

# Moves the ladder's cursor down to frame N (one row per segment).
to_frame() {
	local i
	for i in $(seq 1 40); do
		grab
		grep -Eq "^ frame $1 " "$SCREEN" && return 0
		keys j
		sleep 0.03
	done
	return 1
}

for size in "120 40" "80 24"; do
	set -- $size
	W=$1
	start "$1" "$2"
	run "cd $TMP"

	# ---- the band: lab-ooo has slow start, recovery, avoidance ----------
	launch -r "$OOO"
	check "$W: ladder drawn" wait_for 'lab-ooo\.pcap' 5
	# With colour the band is the gutter's colour alone (the dark
	# theme's): the text of the rows is what it was without it.
	check "$W: the rows' text unchanged (frame 3 in column 3)" screen_has '^ +3 +0\.0158'
	check "$W: band: slow start green (frame 3)" colours gutter ' 3 +0\.0158' 34
	check "$W: band: slow start lasts (frame 7)" colours gutter ' 7 +0\.0720' 34
	check "$W: band: fast recovery yellow (frame 8)" colours gutter ' 8 +0\.0759' 178
	check "$W: band: avoidance orange (frame 9)" colours gutter ' 9 +0\.0759' 208
	check "$W: band: avoidance lasts (frame 10)" colours gutter ' 10 +0\.3001' 208
	check "$W: band: the server's slow start (frame 11)" colours gutter ' 11 +0\.3003' 34
	check "$W: screen fits $W columns" fits "$W"

	# The details of the fast retransmission say why.
	to_frame 8 >/dev/null
	keys Enter
	check "$W: details of frame 8" wait_for 'segment details  frame 8' 3
	check "$W: details: the state" \
		screen_has 'sender cwnd 1 \(1460 B\)  ssthresh 7  recovery, fast_recovery'
	check "$W: details: sent again by fast retransmit" \
		screen_has 'sent again: fast retransmit \(fast\)'
	check "$W: details: why (a duplicate ACK and RACK)" \
		screen_has '1 duplicate ACK and the hole waited past the RTT'
	check "$W: details: why (the reduction)" \
		screen_has 'ssthresh (inf|∞) -> 7, cwnd 1$'
	keys q
	wait_for '^ +#  time ' 3 >/dev/null

	# The legend in the help.
	keys '?'
	check "$W: ? help opens" wait_for 'keys' 3
	# The legend follows the ladder's keys: scroll down to it.
	for i in $(seq 1 40); do
		grab
		grep -q 'T  timeout' "$SCREEN" && break
		keys j
		sleep 0.03
	done
	check "$W: help: phase band legend" wait_for 'Phase band' 3
	check "$W: help: S slow start" screen_has '^   S  slow start'
	check "$W: help: A avoidance" screen_has '^   A  congestion avoidance'
	check "$W: help: R recovery" screen_has '^   R  fast recovery'
	check "$W: help: T timeout" screen_has '^   T  timeout'
	check "$W: help: legend in the colours" \
		colours first 'R  fast recovery: a loss' 178
	keys q
	quit_check "$W band and help" q

	# ---- a timeout: lab-zerowin ----------------------------------------
	launch -r "$ZW"
	check "$W: lab-zerowin drawn" wait_for 'lab-zerowin\.pcap' 5
	to_frame 18
	check "$W: band: the timeout red (frame 18)" colours gutter ' 18 +0\.8400' 196
	check "$W: band: the timeout lasts (frame 19)" colours gutter ' 19 +0\.8400' 196
	keys Enter
	check "$W: details of frame 18" wait_for 'segment details  frame 18' 3
	check "$W: details: timeout why" \
		screen_has 'no ACK for [0-9]+ ms, RTO [0-9]+ ms: timeout'
	check "$W: details: sent again after a timeout" \
		screen_has 'sent again: after a timeout \(rto\)'
	keys q
	wait_for '^ +#  time ' 3 >/dev/null
	to_frame 22
	check "$W: band: slow start again once open (frame 22)" colours gutter ' 22 ' 34
	quit_check "$W timeout" q

	# ---- the bytes-in-flight graph: cwnd and ssthresh ------------------
	launch -r "$LOSS"
	wait_for 'v4-upload-loss\.pcap' 5 >/dev/null
	keys b
	check "$W: b: bytes in flight" wait_for 'bytes in flight|byt' 3
	check "$W: b: legend names cwnd and ssthresh" \
		screen_has '─ cwnd +─ ssthresh'
	# ssthresh (window blue) is drawn in the plot, not only the legend.
	check "$W: b: the ssthresh line is drawn (window blue)" \
		colours braille - 33
	check "$W: b: screen fits $W columns" fits "$W"
	quit_check "$W graph" Q
done

# ---- --no-color: letters where a phase starts, bars while it lasts --------
start 120 40
launch --no-color -r "$OOO"
check "--no-color: ladder drawn" wait_for 'lab-ooo\.pcap' 5
check "--no-color: band: S where slow start starts (frame 3)" screen_has '^S +3 '
check "--no-color: band: a bar while it lasts (frame 4)" screen_has '^┃ +4 '
check "--no-color: band: R at the fast retransmission (frame 8)" screen_has '^R +8 '
check "--no-color: band: A in avoidance after it (frame 9)" screen_has '^A +9 '
check "--no-color: band: a bar again (frame 10)" screen_has '^┃ +10 '
check "--no-color: band: the server's S (frame 11)" screen_has '^S +11 '
quit_check "--no-color band" q
launch --no-color -r "$ZW"
check "--no-color: lab-zerowin drawn" wait_for 'lab-zerowin\.pcap' 5
to_frame 18
check "--no-color: band: T at the timeout (frame 18)" screen_has '^T +18 '
quit_check "--no-color timeout" q
launch --no-color --ascii -r "$OOO"
check "--no-color --ascii: ladder drawn" wait_for 'lab-ooo\.pcap' 5
check "--no-color --ascii: band: S then |" eval "screen_has '^S +3 ' && screen_has '^\\| +4 '"
quit_check "--no-color --ascii band" q

echo "1..$T"
[ "$FAILED" -eq 0 ]
