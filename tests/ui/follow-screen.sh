#!/bin/bash
# follow-screen.sh -- the follow view (p) under tmux at 80x24 and 120x40:
# the lab's echo and daytime answers, a whole HTTP/1.1 response, both
# directions in their colours, hex dump and raw, a gap with its size,
# search, Enter to the ladder and back, saving the payload (never over a
# file), and the terminal restored after.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
SRC=${srcdir:-$TOP}
HTTP=$SRC/tests/data/ppa/http_espn.pcapng
OOO=$SRC/tests/data/lab-ooo.pcap

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 77
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c "import scapy" 2>/dev/null; then
	echo "1..0 # SKIP python3-scapy not installed (echo/daytime captures)"
	exit 77
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
case $HTTP in /*) ;; *) HTTP=$PWD/$HTTP; OOO=$PWD/$OOO ;; esac

. "$HERE/tmux-lib.sh"
"$PY" "$SRC/tests/follow-synth.py" "$TMP/caps" >/dev/null
C=$TMP/caps

# ---- 80x24: the lab's questions ---------------------------------------------
start 80 24
run "cd $TMP"
launch -r "$C/follow_lab_echo.pcap"
check "echo: ladder drawn" wait_for 'follow_lab_echo\.pcap' 5
keys p
check "p: the follow view of stream 0" wait_for 'follow stream 0  ascii' 3
check "echo: node 0 is the client, with what it sent" \
	screen_has '→ 192\.0\.2\.1:41007 44 bytes  ← 192\.0\.2\.2:7 44 bytes'
check "echo: the message sent (frame 4)" \
	screen_has '^ +4 → Hello, echo server! This is lab exercise 1\.$'
check "echo: the same text echoed back (frame 5)" \
	screen_has '^ +5 ← Hello, echo server! This is lab exercise 1\.$'
tm capture-pane -p -e >"$SCREEN"
check "echo: the two directions in two colours" \
	eval '[ "$(grep -o "38;5;[0-9]*m[^ ]*Hello" "$SCREEN" | cut -d m -f1 | sort -u | wc -l)" -eq 2 ]'
grab
check "80x24: fits" fits 80
keys m
check "m: hex dump, as tshark prints it" \
	wait_for '^→ 00000000  48 65 6c 6c 6f 2c 20 65  63 68 6f 20 73 65 72 76  Hello, e cho serv$' 3
check "m: node 1 offsets count its own bytes" screen_has '^← 00000000  48 65 6c'
keys m
check "m: raw hex" wait_for '^ +4 → 48656c6c6f2c206563686f' 3
keys m
check "m: back to ASCII" wait_for 'follow stream 0  ascii' 3
keys d
check "d: node 0 only" wait_for '\(node 0 only\)' 3
check "d: the echo is hidden" eval '! screen_has "^ +5 ←"'
keys d d
keys Down Enter
check "Enter: the ladder, on the echo's frame" wait_for '^ frame 5 .*192\.0\.2\.2:7 → 192\.0\.2\.1:41007' 3
keys p
check "p on frame 5: back on its chunk" wait_for '^ +5 ← Hello' 3
quit_check "echo" Q

start 80 24
run "cd $TMP"
launch -r "$C/follow_lab_daytime.pcap"
check "daytime: ladder drawn" wait_for 'follow_lab_daytime\.pcap' 5
keys p
check "daytime: the server's answer, and nothing from the client" \
	wait_for '^ +4 ← Saturday, December 5, 2026 06:30:00-UTC$' 3
check "daytime: node 0 sent 0 bytes" screen_has '→ 192\.0\.2\.1:41013 0 bytes'
quit_check "daytime" q Q

# ---- a whole HTTP/1.1 response at 80x24, from the connections list ----------
start 80 24
run "cd $TMP"
launch -r "$HTTP"
check "http: ladder drawn" wait_for 'http_espn\.pcapng' 5
keys c
check "c: connections list" wait_for '199\.181\.132\.250' 3
keys p
check "list p: follow stream 0" wait_for 'follow stream 0  ascii' 3
keys / ; type_text "HTTP/1.1 301"; keys Enter
check "search: the status line" wait_for '^ +7 ← HTTP/1\.1 301 Moved Permanently$' 3
for l in 'Date: Wed, 07 Apr 2010 18:12:05 GMT' 'Location: http://espn\.go\.com/' \
	'Content-Length: 227' '<title>301 Moved Permanently</title>' \
	'<p>The document has moved <a href="http://espn\.go\.com/">here</a>\.</p>' \
	'</body></html>'; do
	check "http: the whole response on one screen: $l" screen_has "^ +$l\$"
done
check "http 80x24: fits" fits 80
# Every line of the response as -z follow prints it, in order, on one screen.
"$BIN" -r "$HTTP" -q -z follow,tcp,ascii,0 | sed -n '/^	430$/,/^====/p' |
	sed '1d;$d' | tr -d '\r' | sed 's/ *$//' | sed '${/^$/d}' >"$TMP/resp.want"
LC_ALL=C.UTF-8 sed -E 's/^.{10}//; s/ *$//' "$SCREEN" |
	sed -n '/^HTTP\/1\.1 301/,$p' | head -n "$(wc -l <"$TMP/resp.want")" >"$TMP/resp.got"
check "http 80x24: the whole response (all $(wc -l <"$TMP/resp.want") lines) on one screen, in order" \
	eval '[ "$(wc -l <"$TMP/resp.want")" -ge 15 ] && cmp -s "$TMP/resp.want" "$TMP/resp.got"'
keys / C-u ; type_text "no such text"; keys Enter
check "search: not found says so" wait_for "'no such text' not found" 3
keys w ; type_text "$TMP/response.bin"; keys Enter
check "w: saved" wait_for 'response\.bin: 809 bytes saved' 3
check "w: both directions' bytes, no more" eval '[ "$(wc -c <"$TMP/response.bin")" -eq 809 ]'
keys d d
keys w ; type_text "$TMP/response.bin"; keys Enter
check "w: never over an existing file" wait_for 'response\.bin exists: not writing over it' 3
keys w ; type_text "$TMP/only-server.bin"; keys Enter
check "w with node 1 only: the response alone" wait_for 'only-server\.bin: 430 bytes saved' 3
check "w: the file is the response" eval 'head -c 31 "$TMP/only-server.bin" | grep -q "^HTTP/1.1 301 Moved Permanently"'
keys w ; type_text "$TMP/no/such/dir/x.bin"; keys Enter
check "w: a failure names the path and the reason" \
	wait_for 'cannot write .*x\.bin: No such' 3
ln -s "$TMP/response.bin" "$TMP/link.bin"
keys w ; type_text "$TMP/link.bin"; keys Enter
check "w: never through a symbolic link" \
	wait_for 'cannot write .*link\.bin: it is a symbolic' 3
keys q
check "q: back to the connections list" wait_for '199\.181\.132\.250' 3
quit_check "http" Q

# ---- 120x40: hex dump beside the frame numbers, a gap with its size ---------
start 120 40
run "cd $TMP"
launch -r "$C/follow_gap_acked.pcap"
check "gap: ladder drawn" wait_for 'follow_gap_acked\.pcap' 5
keys p
check "gap: marked with its size" wait_for '\[100 bytes missing in capture file\]' 3
check "gap: counted on the node line" screen_has '1 gap, 100 B missing'
keys m
check "120x40: the hex dump keeps the frame numbers" wait_for '^ +4 → 00000024  57 58 59 5a' 3
check "120x40: the gap's text counts in the offsets, as in tshark" \
	screen_has '^ +5 → \[100 bytes missing in capture file\]'
check "120x40: fits" fits 120
quit_check "gap" Q

start 120 40
run "cd $TMP"
launch -r "$OOO"
check "ooo: ladder drawn" wait_for 'lab-ooo\.pcap' 5
keys p
check "ooo: the halves in sequence order: frame 8's first" \
	wait_for '^ +8 → The two halves of this messa$' 3
check "ooo: then frame 6's, on the next line" \
	eval 'grep -A1 "^ *8 → The two" "$SCREEN" | grep -q "^ *6 → ge arrive in the wrong order\.$"'
quit_check "ooo" Q

# ---- HTTP/2 as bytes and as frames (h), linked both ways to the ladder ----
# The body's reverse-video line (the cursor), without the colours.
cursor_line() {
	tm capture-pane -p -e | sed -n '3,$p' | grep $'\e\[7m' |
		sed 's/\x1b\[[0-9;]*m//g' | head -1
}
start 80 24
run "cd $TMP"
launch -r "$C/follow_http2.pcap"
check "h2: ladder drawn" wait_for 'follow_http2\.pcap' 5
keys Down Down Down Down Down
check "h2: the ladder on frame 6" wait_for '^ frame 6 ' 3
keys p
check "h2: p opens the bytes, with the preface" wait_for '^ +4 → PRI \* HTTP/2\.0' 3
check "h2: p on frame 6 puts the cursor on frame 6's chunk" \
	eval 'cursor_line | grep -q "^ *6 ←"'
keys h
check "h: the frame view" wait_for 'follow stream 0  HTTP/2 frames' 3
check "h: the preface" screen_has '^ +4 → PREFACE \(PRI \* HTTP/2\.0, 24 bytes\)$'
check "h: the client's SETTINGS in the preface's segment" screen_has '^ +4 → SETTINGS\[0\] len=0$'
check "h: a HEADERS split over two segments, on the segment that completed it, headers decoded" \
	screen_has '^ +5 → HEADERS\[1\] len=3 END_STREAM END_HEADERS :method GET :path /index\.html$'
check "h: the server's SETTINGS with its value, then its ACK" \
	eval 'grep -A1 "^ *6 ← SETTINGS\[0\] len=6 MAX_CONCURRENT_STREAMS=100$" "$SCREEN" | grep -q "^ *6 ← SETTINGS\[0\] len=0 ACK$"'
check "h: the answer's HEADERS (status decoded) and DATA in one segment" \
	eval 'grep -A1 "^ *8 ← HEADERS\[1\] len=1 END_HEADERS :status 200$" "$SCREEN" | grep -q "^ *8 ← DATA\[1\] len=27 END_STREAM$"'
check "h: GOAWAY with its words" screen_has '^ +9 → GOAWAY\[0\] len=8 last=0 NO_ERROR$'
check "h: the cursor stays on frame 6" eval 'cursor_line | grep -q "^ *6 ← SETTINGS\[0\] len=6"'
grab
check "h2 80x24: fits" fits 80
keys j j j j
check "h: moving down to the answer's DATA" eval 'sleep 0.2; cursor_line | grep -q "^ *8 ← DATA"'
keys q
check "q: the ladder's cursor followed the follow view to frame 8" wait_for '^ frame 8 ' 3
keys Up Up
check "h2: the ladder on frame 6 again" wait_for '^ frame 6 ' 3
keys p
check "p again: still the frame view, on frame 6's first frame" \
	eval 'wait_for "HTTP/2 frames" 3 && cursor_line | grep -q "^ *6 ← SETTINGS\[0\] len=6"'
keys Enter
check "h, Enter: the ladder on the frame's segment" wait_for '^ frame 6 ' 3
keys p G
check "G in the frame view: the last frame" eval 'sleep 0.2; cursor_line | grep -q "^ *9 → GOAWAY"'
keys m
check "m: from frames back to the bytes" wait_for 'follow stream 0  ascii' 3
check "m: the cursor on the same chunk" eval 'cursor_line | grep -q "^ *9 →"'
quit_check "h2" q Q

start 120 40
run "cd $TMP"
launch -r "$C/follow_http2.pcap"
check "h2 120x40: ladder drawn" wait_for 'follow_http2\.pcap' 5
keys p h
check "h2 120x40: the frame view" wait_for '^ +9 → GOAWAY\[0\] len=8 last=0 NO_ERROR$' 3
check "h2 120x40: the cursor on the first frame" eval 'cursor_line | grep -q "^ *4 → PREFACE"'
keys d
check "h2 120x40, d: node 0's frames only" \
	eval 'wait_for "node 0 only" 3 && ! grep -q "^ *[0-9]* ←" "$SCREEN" && grep -q "^ *5 → HEADERS\[1\]" "$SCREEN"'
keys / ; type_text ":status"; keys Enter
check "h2 120x40: search finds nothing hidden by d" wait_for "':status' not found" 3
keys d
keys / C-u ; type_text ":status"; keys Enter
check "h2 120x40: search in the frames" eval 'sleep 0.2; cursor_line | grep -q "^ *8 ← HEADERS\[1\] len=1 END_HEADERS :status 200"'
grab
check "h2 120x40: fits" fits 120
quit_check "h2 120x40" q Q

start 80 24
run "cd $TMP"
launch -r "$C/follow_http2_upgrade.pcap"
check "h2c: ladder drawn" wait_for 'follow_http2_upgrade\.pcap' 5
keys p h
check "h2c: the request's HTTP/1.1 head, then the answer's" \
	wait_for '^ +5 ← the answer \(HTTP/1\.1 before the h2c upgrade: m shows it\)$' 3
check "h2c: the request first" screen_has '^ +4 → the request \(HTTP/1\.1 before the h2c upgrade'
check "h2c: the server's frames after its 101" \
	eval 'grep -A3 "^ *5 ← the answer" "$SCREEN" | grep -q "^ *5 ← HEADERS\[1\] len=1 END_HEADERS :status 200$"'
check "h2c: the client's preface after its GET" screen_has '^ +6 → PREFACE'
check "h2c: the client's SETTINGS ACK" screen_has '^ +6 → SETTINGS\[0\] len=0 ACK$'
quit_check "h2c" q Q

start 80 24
run "cd $TMP"
launch -r "$C/follow_lab_echo.pcap"
check "echo again: ladder drawn" wait_for 'follow_lab_echo\.pcap' 5
keys p h
check "h on a connection that is not HTTP/2 says so" \
	wait_for 'Not HTTP/2: the ladder decodes no HTTP/2 frames' 3
check "h: the bytes stay" screen_has 'follow stream 0  ascii'
quit_check "not h2" q Q

# ---- growing as the segments arrive (a replay) --------------------------
start 80 24
run "cd $TMP"
launch --replay -r "$C/follow_slow_chat.pcap"
check "replay: the first line arrives (frame 4)" wait_for '^ +4  0\.60' 5
keys p
check "replay: the follow view, with the first line" wait_for '^ +4 → line one$' 3
check "replay: the last line has not come yet (1.8 s to go)" eval '! grep -q "line four" "$SCREEN"'
check "replay: later lines appear in the open view" \
	wait_for '^ +7 ← line four$' 6
check "replay: both sides, in order" \
	eval 'grep -q "^ *5 ← line two$" "$SCREEN" && grep -q "^ *6 → line three$" "$SCREEN"'
quit_check "replay" Q

echo "1..$T"
[ "$FAILED" -eq 0 ]
