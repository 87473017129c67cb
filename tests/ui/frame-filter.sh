#!/bin/bash
# frame-filter.sh -- display filters naming fields the view's rows do not
# keep (ip.ttl, ip.id, options, checksum, payload, slices of frame, ip and
# tcp, http.*) under tmux at 120x40: the frames are read again, and the
# rows the ladder shows, the connections the list shows, are the frames
# (streams) tcpladder -Y FILTER -T fields -e frame.number (tcp.stream)
# selects; from a pipe the ring answers while it holds every frame, and
# when it does not the prompt says which field and why; -Y with a pipe
# reads every frame as it comes; a long pass (600,000 frames) draws its
# progress and stops at Esc.
# Prints TAP; 77 (skip) when tmux is missing.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
SRC=${srcdir:-$TOP}
CUBIC=$SRC/tests/data/cubic-sender-loss.pcap
LOOP=$SRC/tests/data/null-loopback.pcap
BIG=$SRC/tests/data/ppa/http_espn.pcapng
LOSS=$SRC/tests/data/v6-download-loss.pcapng
GRE=$SRC/tests/data/encap/gre_teb.pcap

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
case $CUBIC in
/*) ;;
*) CUBIC=$PWD/$CUBIC; LOOP=$PWD/$LOOP; BIG=$PWD/$BIG; LOSS=$PWD/$LOSS
	GRE=$PWD/$GRE ;;
esac

. "$HERE/tmux-lib.sh"

# want FILE FILTER [FIELD]: what the batch path selects, one line.
want() {
	"$BIN" -r "$1" -Y "$2" -T fields -e "${3:-frame.number}" | sort -nu |
		tr '\n' ' ' | sed 's/ $//'
}

# count N: as the title writes it (1,400).
count() {
	printf "%'d" "$1" 2>/dev/null || echo "$1"
}

# rows: the frame numbers of the ladder rows on screen.
rows() {
	grab
	sed -nE 's/^ *([0-9]+)◀? +[0-9][0-9.:+]* +[├│].*/\1/p' "$SCREEN"
}

# frames N: every row's frame, page by page from the first (N rows).
frames() {
	local pages=$(( $1 / 25 + 1 ))
	keys g
	sleep 0.1
	{
		rows
		while [ $pages -gt 0 ]; do
			keys NPage
			sleep 0.05
			rows
			pages=$((pages - 1))
		done
	} | sort -nu | tr '\n' ' ' | sed 's/ $//'
}

# answer TEXT: f, the prompt emptied, TEXT typed, Enter.
answer() {
	keys f C-u
	[ -n "$1" ] && type_text "$1"
	keys Enter
}

# streams: the stream numbers of the list's rows on screen.
streams() {
	grab
	sed -nE 's/^ \[[ x]\] +([0-9]+) .*/\1/p' "$SCREEN" | sort -nu |
		tr '\n' ' ' | sed 's/ $//'
}

LADDER=(
	'tcp.option_kind == 5'
	'ip.ttl == 64 and tcp.len == 0'
	'ip.id < 0x0100'
	'len(tcp) > 40'
	'tcp.options.sack_le and tcp.analysis.duplicate_ack'
	'tcp.payload[0:1] == 00 and tcp.seq < 20000'
	'frame.len > 1000 and tcp.analysis.out_of_order'
	'tcp.checksum == 0x0000 or tcp.flags.syn == 1'
	'frame[23] == 6 and tcp.analysis.retransmission'
	'tcp.options.timestamp.tsecr > 0 && !(ip.ttl == 64)'
	'tcp.analysis.retransmission'
)

# IPv6, pcapng: values worked out per frame (bytes in flight, deltas).
LADDER6=(
	'tcp.options.sack_le > 0'
	'tcp.analysis.bytes_in_flight > 20000'
	'tcp.analysis.initial_rtt and tcp.len == 0'
	'tcp.time_delta > 0.01'
	'frame.time_delta > 0.02'
	'ipv6.plen > 1000 and tcp.seq > 200000'
	'frame.cap_len < 100'
	'tcp.flags.str contains "P"'
)

export LC_ALL=C.UTF-8
start 120 40
run "cd $TMP"

# ---- the ladder: rows as -Y selects them --------------------------------
launch -r "$CUBIC"
check "ladder drawn" wait_for 'cubic-sender-loss\.pcap' 5
for f in "${LADDER[@]}"; do
	w=$(want "$CUBIC" "$f")
	n=$(echo $w | wc -w)
	answer "$f"
	check "$f: $n of 1,400 in the title" \
		wait_for " $(count "$n") of 1,400 segments" 5
	got=$(frames "$n")
	check "$f: the rows are -Y's frames" test "$got" = "$w"
done
quit_check "ladder" q

launch -r "$LOSS"
check "IPv6 ladder drawn" wait_for 'v6-download-loss\.pcapng' 5
for f in "${LADDER6[@]}"; do
	w=$(want "$LOSS" "$f")
	n=$(echo $w | wc -w)
	answer "$f"
	check "$f: $n of 296 in the title" wait_for " $n of 296 segments" 5
	got=$(frames "$n")
	check "$f: the rows are -Y's frames" test "$got" = "$w"
done
# A filter that does not parse is refused as before.
answer 'ip.ttl == 64 and'
check "a filter that does not parse: the prompt stays" \
	wait_for 'Filter rows' 3
keys Escape
quit_check "IPv6 ladder" q

# ---- addresses in a tunnel: the rows keep the inner ones -----------------
# ip.src has the outer header's too: read from the frames, whether typed
# or given with -Y (then the first frame shows the tunnel, and the rows
# are matched again from the frames).
f='ip.src == 198.51.100.1'
w=$(want "$GRE" "$f")
n=$(echo $w | wc -w)
total=$("$BIN" -r "$GRE" -T fields -e frame.number | wc -l)
launch -r "$GRE"
check "tunnel: ladder drawn" wait_for 'gre_teb\.pcap' 5
answer "$f"
check "tunnel: $f: $n of $total" wait_for " $n of $total segments" 5
got=$(frames "$n")
check "tunnel: $f: the rows are -Y's frames" test "$got" = "$w"
quit_check "tunnel" q
launch -Y "'$f'" -r "$GRE"
check "tunnel, -Y: $n of $total" wait_for " $n of $total segments" 5
got=$(frames "$n")
check "tunnel, -Y: the rows are -Y's frames" test "$got" = "$w"
quit_check "tunnel, -Y" q

# ---- the list: a connection passes when one of its segments does ---------
launch -r "$LOOP"
check "list drawn" wait_for 'null-loopback\.pcap' 5
for f in 'ip.ttl == 64' 'ipv6.hlim == 64 and tcp.srcport == 5005' \
	 'http.request.method == "GET" and ip.id > 0' \
	 'tcp.payload contains "HTTP"' 'frame[0:4] == 02:00:00:00' \
	 'tcp[0:2] == 13:8d'; do
	w=$(want "$LOOP" "$f" tcp.stream)
	answer "$f"
	check "list: $f: the filter named" wait_for "filter: " 3
	sleep 0.2
	got=$(streams)
	check "list: $f: streams [$got] are -Y's [$w]" test "$got" = "$w"
done
quit_check "list" q

# ---- connections the view let go: the frames' streams are the view's ------
# --max-segments 100 lets the first connection go once it closed; its late
# ACK then opens stream 61 in the view, and the filter that reads the
# frames must number it so too (not as stream 0, as a model that never
# lets go would).
FORGET=$TMP/forget.pcap
if python3 "$HERE/forget-gen.py" "$FORGET"; then
	launch --max-segments 100 -r "$FORGET"
	check "let go: list drawn" wait_for 'connections \([0-9]+ let go\)' 5
	answer 'ip.ttl == 64 and tcp.stream == 61'
	sleep 0.3
	got=$(streams)
	check "let go: the late ACK's stream [$got] is the view's 61" \
		test "$got" = 61
	answer 'ip.ttl == 64 and tcp.stream == 0'
	sleep 0.3
	got=$(streams)
	check "let go: stream 0 [$got] is not the late ACK's" test "$got" != 61
	quit_check "let go" q
fi

# ---- a pipe: the ring answers while it holds every frame ----------------
launch "-r - < $LOOP"
check "pipe: list drawn" wait_for ' 0 .*40404' 5
f='ip.ttl == 64'
w=$(want "$LOOP" "$f" tcp.stream)
answer "$f"
sleep 0.3
got=$(streams)
check "pipe, ring whole: streams [$got] are -Y's [$w]" test "$got" = "$w"
quit_check "pipe, ring whole" q

# When the ring let the first frames go: which field, and why.
launch "--max-memory 16M -r - < $BIG"
check "pipe: big list drawn" wait_for 'segments|connections' 5
sleep 0.5
answer 'tcp.len > 0 and ip.ttl == 64'
check "pipe, ring not whole: refused, the field named" \
	wait_for '^ ip\.ttl is read from the frame.s bytes' 5
check "pipe, ring not whole: why" \
	screen_has 'the view keeps only recent'
check "pipe, ring not whole: what to do" screen_has 'give the filter with -Y'
check "pipe: the message fits" fits 120
keys Escape
# A filter the rows answer is taken at once.
answer 'tcp.stream == 3'
check "pipe: a filter on what the rows keep applies" \
	wait_for 'filter: tcp\.stream == 3' 3
quit_check "pipe, ring not whole" q

# -Y with a pipe: each frame read as it comes.
f='tcp.option_kind == 5'
w=$(want "$CUBIC" "$f")
n=$(echo $w | wc -w)
launch "-Y '$f' -r - < $CUBIC"
check "-Y, pipe: $n of 1,400" wait_for " $n of 1,400 segments" 5
got=$(frames "$n")
check "-Y, pipe: the rows are -Y's frames" test "$got" = "$w"
quit_check "-Y, pipe" q

# ---- a long pass: a progress line, Esc stops it -------------------------
if command -v python3 >/dev/null 2>&1 &&
   python3 "$HERE/frame-filter-gen.py" "$TMP/long.pcap" 600000; then
	launch -r "$TMP/long.pcap"
	check "long: all read" wait_for ' 600,000 segments' 20
	keys f C-u
	type_text 'ip.ttl == 64'
	keys Enter Escape
	check "long: Esc stops the pass, said under the prompt" \
		wait_for '^ Esc: stopped at frame [0-9,]+ of 600,000; ip\.ttl' 10
	check "long: the rows as they were" screen_has ' 600,000 segments '
	keys Escape
	answer 'ip.ttl == 64'
	check "long: read whole, the rows as -Y's" \
		wait_for ' 300,000 of 600,000 segments' 20
	quit_check "long" q
fi

echo "1..$T"
[ "$FAILED" -eq 0 ]
