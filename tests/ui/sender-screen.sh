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
# cell before, so the colour is followed from the top of the screen):
#   colours first PATTERN INDEX: the first visible glyph of the line matching
#     PATTERN is in 256-colour INDEX;
#   colours braille - INDEX: a braille dot below the legend is in INDEX.
colours() {
	tm capture-pane -p -e >"$SCREEN.e"
	python3 - "$SCREEN.e" "$@" <<'PY'
import re, sys
path, mode, pat, want = sys.argv[1:5]
fg = None
for row, raw in enumerate(open(path, encoding="utf-8", errors="replace")):
    raw = raw.rstrip("\n")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", raw)
    first = None
    for m in re.finditer(r"\x1b\[([0-9;]*)m|([^\x1b])", raw):
        ch = m.group(2)
        if ch is not None:
            if first is None and ch != " ":
                first = fg
            if (mode == "braille" and row >= 2 and fg == want
                    and 0x2801 <= ord(ch) <= 0x28ff):
                sys.exit(0)
            continue
        ps = (m.group(1) or "0").split(";")
        i = 0
        while i < len(ps):
            if ps[i] in ("", "0", "39"):
                fg = None
            elif ps[i] in ("38", "48") and i + 2 < len(ps):
                if ps[i] == "38":
                    fg = ps[i + 2]
                i += 2
            i += 1
    if mode == "first" and re.search(pat, plain):
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
	check "$W: band: S where slow start starts (frame 3)" screen_has '^S +3 '
	check "$W: band: a bar while it lasts (frame 4)" screen_has '^┃ +4 '
	check "$W: band: R at the fast retransmission (frame 8)" screen_has '^R +8 '
	check "$W: band: A in congestion avoidance after it (frame 9)" screen_has '^A +9 '
	check "$W: band: bar again (frame 10)" screen_has '^┃ +10 '
	# The dark theme's colours: dup ACK yellow for recovery, the graph's
	# ACK green for slow start.
	check "$W: band: R drawn in the recovery colour (yellow)" \
		colours first '^R +8 ' 178
	check "$W: band: S drawn in the slow start colour (green)" \
		colours first '^S +3 ' 34
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
	keys G
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
	check "$W: band: T at the timeout (frame 18)" screen_has '^T +18 '
	check "$W: band: T drawn in the timeout colour (red)" \
		colours first '^T +18 ' 196
	keys Enter
	check "$W: details of frame 18" wait_for 'segment details  frame 18' 3
	check "$W: details: timeout why" \
		screen_has 'no ACK for [0-9]+ ms, RTO [0-9]+ ms: timeout'
	check "$W: details: sent again after a timeout" \
		screen_has 'sent again: after a timeout \(rto\)'
	keys q
	wait_for '^ +#  time ' 3 >/dev/null
	to_frame 22
	check "$W: band: S again once open (frame 22)" screen_has '^S +22 '
	quit_check "$W timeout" q

	# ---- the bytes-in-flight graph: cwnd and ssthresh ------------------
	launch -r "$LOSS"
	wait_for 'v4-upload-loss\.pcap' 5 >/dev/null
	keys G
	check "$W: G: bytes in flight" wait_for 'bytes in flight|byt' 3
	check "$W: G: legend names cwnd and ssthresh" \
		screen_has '─ cwnd +─ ssthresh'
	# ssthresh (window blue) is drawn in the plot, not only the legend.
	check "$W: G: the ssthresh line is drawn (window blue)" \
		colours braille - 33
	check "$W: G: screen fits $W columns" fits "$W"
	quit_check "$W graph" Q
done

# ---- --ascii: letters and bars without UTF-8 -----------------------------
start 120 40
launch --ascii -r "$OOO"
check "--ascii: ladder drawn" wait_for 'lab-ooo\.pcap' 5
check "--ascii: band: S then |" eval "screen_has '^S +3 ' && screen_has '^\\| +4 '"
check "--ascii: band: R at frame 8" screen_has '^R +8 '
quit_check "--ascii band" q

echo "1..$T"
[ "$FAILED" -eq 0 ]
