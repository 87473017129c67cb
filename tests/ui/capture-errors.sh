#!/bin/bash
# capture-errors.sh -- capture errors part way through a run: they are
# reported (status line, or one line on stderr), tcpladder neither crashes
# nor hangs, what was captured before stays on screen and can be moved
# through, the exit status is the documented one (man/tcpladder.1: 1, the
# capture broke part way and everything before it was shown) and the
# terminal is restored.
#
#  1. Live, full-screen view, on one end of a veth pair (two network
#     namespaces, 192.0.2.1/192.0.2.2 only) while TCP connections trickle:
#     - `ip link set DEV down`: libpcap 1.10 keeps the capture open on
#       Linux, as tcpdump does, and packets come again after
#       `ip link set DEV up`. The status line says "LIVE DEV (link down,
#       waiting)" (tcpladder asks the interface's flags once a second);
#       still running, not spinning, rows kept, the capture goes on once
#       the interface is up again.
#     - `ip link del DEV`: libpcap says "The interface disappeared"; the
#       status line shows "DEV: The interface disappeared after frame N;
#       everything before it is shown", once. The rows stay and Home/End
#       move through them; q exits with status 1 and prints the warning
#       again on the restored terminal. After a key clears the message,
#       the status line still says "STOPPED DEV".
#  2. Live, -T text -w FILE: down and up change nothing (no message, the
#     capture goes on); deleting the interface ends the run at once with
#     one line on stderr naming it (plus the usual packets-captured line),
#     status 1, and -w keeps every packet captured before.
#  3. A capture file that is still being written (a writer appends one
#     record at a time, flushing each, then a last record whose header
#     claims 100 bytes of which it writes 30, then stops):
#     - read while the writer pauses between records: like tcpdump -r,
#       tcpladder reads what is there and ends cleanly (status 0, no
#       warning); the view does not follow the file as it grows (run it
#       again to see more). That is what a user of tcpdump -r expects: a
#       file that ends on a record boundary is a complete capture.
#     - read after the cut record: libpcap says "truncated dump file; tried
#       to read 100 captured bytes, only got 30"; -T tsv prints every
#       packet before it, one warning, status 1; the view shows the rows,
#       the warning and "read error after frame N", the last good frame's
#       details open, q exits with status 1.
#  4. The same writer into a pipe (-r -), the form a capture still being
#     written usually takes (tcpdump -w - | tcpladder -r -): the view reads
#     what comes as it comes. While the writer pauses it is drawn, keys
#     work and a terminal resize is no read error (src/capture/capture.c reads a
#     pipe in a thread of its own); a cut last record is no error while the
#     writer may still finish it, and is reported as for a file once the
#     writer has gone (q: status 1). q while the writer pauses ends
#     tcpladder at once (status 0).
#
#   tests/ui/capture-errors.sh [TCPLADDER]
#
# Prints TAP; exits 1 on a failure, 77 (skip)
# when not root or tmux, ip or python3 is missing.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
skip() { echo "1..0 # SKIP $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
for t in tmux ip python3; do
	command -v $t >/dev/null 2>&1 || skip "$t is not installed"
done
if [ ! -x "$BIN" ]; then
	echo "Bail out! no tcpladder binary at $BIN"
	exit 1
fi

NS_A=tlce-a$$ NS_B=tlce-b$$ NS_C=tlce-c$$ NS_D=tlce-d$$
DEV_A=cea$$ DEV_B=ceb$$ DEV_C=cec$$ DEV_D=ced$$
PIDS=
. "$HERE/tmux-lib.sh"
. "$TOP/tests/veth-pair.sh"
cleanup() {
	local p
	for p in $PIDS $(cat "$TMP"/*.pid 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	tm kill-server >/dev/null 2>&1
	for p in $NS_A $NS_B $NS_C $NS_D; do
		ip netns del "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap "exit 1" INT TERM HUP

# ---- helpers ----------------------------------------------------------------

# A TCP sink, and a client that sends 100 bytes every 20 ms for SECONDS
# (errors end it quietly: the interface may vanish under it).
cat >"$TMP/sink.py" <<'EOF'
import socket, sys, threading
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(16)
def drain(c):
    try:
        while c.recv(65536):
            pass
    except OSError:
        pass
while True:
    c, _ = s.accept()
    threading.Thread(target=drain, args=(c,), daemon=True).start()
EOF
cat >"$TMP/trickle.py" <<'EOF'
import socket, sys, time
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    end = time.time() + float(sys.argv[3])
    while time.time() < end:
        s.sendall(b"x" * 100)
        time.sleep(0.02)
    s.close()
except OSError:
    pass
EOF

# The pcap writer: a handshake and data segments (192.0.2.1:40000 ->
# 192.0.2.2:9, frame i at i/10 s), FIRST records one by one, flushed; it
# touches PREFIX.stage1 and waits for PREFIX.go; then REST more records
# and one that claims 100 bytes and has 30; touches PREFIX.done and waits
# for PREFIX.stop before it closes the file.
cat >"$TMP/grow.py" <<'EOF'
import os, struct, sys, time
out, first, rest, mark = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] + "."
open(mark + "pid", "w").write("%d\n" % os.getpid())

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    a, b = bytes([192, 0, 2, src]), bytes([192, 0, 2, dst])
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      64240, 0, 0) + payload
    ph = a + b + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64,
                     6, 0, a, b)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + tcp

c, s = 1000, 5000
pkts = [frame(1, 2, 40000, 9, c, 0, 0x02), frame(2, 1, 9, 40000, s, c + 1, 0x12),
        frame(1, 2, 40000, 9, c + 1, s + 1, 0x10)]
for i in range(first + rest):
    pkts.append(frame(1, 2, 40000, 9, c + 1 + 10 * i, s + 1, 0x18, b"%010d" % i))

def wait(name):
    for _ in range(600):
        if os.path.exists(mark + name):
            return
        time.sleep(0.05)
    sys.exit("grow.py: no " + mark + name)

f = open(out, "wb")
f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
f.flush()
def record(i, data, claimed):
    f.write(struct.pack("<IIII", 1700000000 + i // 10, (i % 10) * 100000,
                        claimed, claimed) + data)
    f.flush()
for i in range(first):
    record(i, pkts[i], len(pkts[i]))
    time.sleep(0.02)
open(mark + "stage1", "w").close()
wait("go")
for i in range(first, first + rest):
    record(i, pkts[i], len(pkts[i]))
    time.sleep(0.02)
record(first + rest, pkts[-1][:30], 100)
open(mark + "done", "w").close()
wait("stop")
f.close()
EOF

# wait_file FILE [SECONDS]
wait_file() {
	local tries=$(( ${2:-10} * 20 ))
	while [ $tries -gt 0 ] && [ ! -e "$1" ]; do
		sleep 0.05
		tries=$((tries - 1))
	done
	[ -e "$1" ]
}

# The tcpladder started from the pane's shell (ip netns exec execs it).
child_pid() {
	local shell pid tries=40
	shell=$(tm display-message -p '#{pane_pid}')
	while [ $tries -gt 0 ]; do
		for pid in $(pgrep -P "$shell"); do
			if [ "$(cat /proc/$pid/comm 2>/dev/null)" = tcpladder ]; then
				echo "$pid"
				return 0
			fi
		done
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

alive() {
	[ -n "$1" ] && [ "$(cat /proc/$1/comm 2>/dev/null)" = tcpladder ]
}

# cpu_ticks PID: user + system clock ticks so far.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# idle PID SECONDS: used under half a CPU over that time (no busy loop).
idle() {
	local t0 t1 hz
	hz=$(getconf CLK_TCK)
	t0=$(cpu_ticks "$1")
	sleep "$2"
	t1=$(cpu_ticks "$1")
	echo "# cpu: $((t1 - t0)) ticks of $hz/s over $2 s"
	awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$2" 'BEGIN { exit !(d < hz * s / 2) }'
}

# The screen's last line, for the log.
status_line() {
	grep -v '^ *$' "$SCREEN" | tail -1 | sed 's/^/# status line: /'
}

# The live status line's "captured N".
captured() {
	grab
	sed -n 's/.*captured \([0-9,]*\).*/\1/p' "$SCREEN" | tr -d , | tail -1
}

# ---- 1. live view: the interface goes down, comes back, is deleted ---------
veth_pair $NS_A $NS_B $DEV_A $DEV_B ||
	skip "cannot create network namespaces and a veth pair here"
ip netns exec $NS_B python3 "$TMP/sink.py" 192.0.2.2 5005 &
PIDS="$PIDS $!"

start 120 30
run "cd $TMP"
stty_before
run "clear; ip netns exec $NS_B $BIN --no-drop -i $DEV_B tcp port 5005"
check "live: the view starts" wait_for "LIVE $DEV_B" 5
pid=$(child_pid) || pid=
ip netns exec $NS_A python3 "$TMP/trickle.py" 192.0.2.2 5005 25 &
PIDS="$PIDS $!"
check "live: segments are drawn as they come" wait_for 'PSH, ACK Seq=' 5

ip -n $NS_B link set $DEV_B down
sleep 0.3
check "link down: tcpladder still runs" alive "$pid"
check "link down: it does not spin" idle "$pid" 1.5
check "link down: the rows captured before stay" screen_has 'PSH, ACK Seq='
check "link down: the status line says the interface is down" \
	wait_for "LIVE $DEV_B \\(link down" 3
status_line
n_down=$(captured)

ip -n $NS_B link set $DEV_B up
ip netns exec $NS_A python3 "$TMP/trickle.py" 192.0.2.2 5005 25 &
PIDS="$PIDS $!"
resumed() {
	local n tries=160
	while [ $tries -gt 0 ]; do
		n=$(captured)
		[ "${n:-0}" -gt "${n_down:-0}" ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}
check "link up again: the capture goes on (captured ${n_down:-?} before)" \
	resumed
check "link up again: new segments are drawn" wait_for 'PSH, ACK Seq=' 5

ip -n $NS_B link del $DEV_B
check "link deleted: the status line names the problem" \
	wait_for "$DEV_B: The interface disappeared after frame [0-9]+" 5
status_line
n=$(grep -Ec 'disappeared' "$SCREEN")
check "link deleted: one message ($n)" [ "$n" -eq 1 ]
last=$(sed -n 's/.*disappeared after frame \([0-9]*\).*/\1/p' "$SCREEN" |
	tail -1)
check "link deleted: tcpladder still runs" alive "$pid"
check "link deleted: it does not spin" idle "$pid" 1
check "link deleted: the rows captured before stay" screen_has 'PSH, ACK Seq='
keys Home
check "link deleted: Home goes to the first row (the SYN)" \
	wait_for '^ frame 1 +stream 0 .*SYN Seq=0' 5
check "link deleted: after a key the status line still says the capture stopped" \
	wait_for "STOPPED $DEV_B " 3
keys End
check "link deleted: End goes to the last frame (${last:-?})" \
	wait_for "^ frame ${last:-none} +stream " 5
keys q
after "link deleted, q" 1 "tcpladder: $DEV_B: The interface disappeared after frame ${last:-none}\$"
for p in $PIDS; do kill "$p" 2>/dev/null; done
PIDS=

# ---- 2. live, -T text -w: down and up, then deleted -------------------------
veth_pair $NS_C $NS_D $DEV_C $DEV_D ||
	skip "cannot create a second veth pair here"
ip netns exec $NS_D python3 "$TMP/sink.py" 192.0.2.2 5006 &
PIDS="$PIDS $!"
ip netns exec $NS_D timeout -s KILL 25 "$BIN" --no-drop -i $DEV_D -T text \
	-w "$TMP/saved.pcap" tcp port 5006 >"$TMP/text.out" 2>"$TMP/text.err" &
tpid=$!
sleep 0.5
ip netns exec $NS_C python3 "$TMP/trickle.py" 192.0.2.2 5006 25 &
PIDS="$PIDS $!"
has_rows() {   # ten data segments
	local tries=100
	while [ $tries -gt 0 ]; do
		[ "$(grep -c 'PSH, ACK' "$TMP/text.out")" -ge 10 ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}
check "text: rows are printed as segments come" has_rows
ip -n $NS_D link set $DEV_D down
sleep 1
check "text, link down: still running" kill -0 $tpid
check "text, link down: nothing on stderr" [ ! -s "$TMP/text.err" ]
ip -n $NS_D link set $DEV_D up
sleep 0.3
ip -n $NS_D link del $DEV_D
ended() {
	local tries=100
	while [ $tries -gt 0 ] && kill -0 $tpid 2>/dev/null; do
		sleep 0.05
		tries=$((tries - 1))
	done
	! kill -0 $tpid 2>/dev/null
}
if ended; then
	ok "text, link deleted: the run ends at once (no hang)"
else
	not_ok "text, link deleted: the run ends at once (no hang)"
	kill -KILL $tpid 2>/dev/null
fi
wait $tpid
rc=$?
check "text, link deleted: exit status 1 (got $rc)" [ $rc -eq 1 ]
sed 's/^/# stderr: /' "$TMP/text.err"
n=$(grep -c 'disappeared' "$TMP/text.err")
check "text, link deleted: one line on stderr names the interface ($n)" \
	[ "$n" -eq 1 ]
check "text, link deleted: and says the packets before were shown" \
	grep -Eq "^tcpladder: $DEV_D: The interface disappeared after packet [0-9]+; everything before it was shown\$" "$TMP/text.err"
n=$(grep -Evc 'disappeared|packets captured, [0-9]+ dropped by the kernel|saved [0-9]+ frames? to ' \
	"$TMP/text.err")
check "text, link deleted: nothing else on stderr ($n other lines)" \
	[ "$n" -eq 0 ]
tlast=$(sed -n 's/.*after packet \([0-9]*\);.*/\1/p' "$TMP/text.err")
rows=$("$BIN" -r "$TMP/saved.pcap" -T tsv 2>/dev/null | tail -n +2 | wc -l)
check "text, link deleted: -w kept the ${tlast:-?} packets ($rows)" \
	[ "$rows" = "${tlast:-none}" ]
for p in $PIDS; do kill "$p" 2>/dev/null; done
PIDS=

# ---- 3. a capture file still being written ---------------------------------
G=$TMP/grow.pcap
python3 "$TMP/grow.py" "$G" 6 4 "$TMP/g" &
PIDS="$PIDS $!"
check "growing file: the writer has written 6 records" \
	wait_file "$TMP/g.stage1" 10

"$BIN" -r "$G" -T tsv >"$TMP/g1.tsv" 2>"$TMP/g1.err"
rc=$?
rows=$(tail -n +2 "$TMP/g1.tsv" | wc -l)
check "growing, tsv: the 6 records there now ($rows rows)" [ "$rows" -eq 6 ]
check "growing, tsv: status 0 (got $rc), nothing on stderr" \
	[ $rc -eq 0 -a ! -s "$TMP/g1.err" ]

stty_before
run "clear; $BIN -r grow.pcap"
check "growing, view: the 6 frames there now" wait_for ' 6 frames *$' 5
check "growing, view: frame 6 is drawn" screen_has '^ +6 +0\.500000 '
touch "$TMP/g.go"
check "growing file: the writer adds 4 records and a cut one" \
	wait_file "$TMP/g.done" 10
sleep 0.3
check "growing, view: it does not follow the file (still 6 frames)" \
	wait_for ' 6 frames *$' 2
check "growing, view: and reports no error for what it did not read" \
	wait_gone 'truncated|error' 2
keys q
after "growing, q" 0

"$BIN" -r "$G" -T tsv >"$TMP/g2.tsv" 2>"$TMP/g2.err"
rc=$?
rows=$(tail -n +2 "$TMP/g2.tsv" | wc -l)
sed 's/^/# stderr: /' "$TMP/g2.err"
check "cut record, tsv: the 10 packets before it ($rows rows)" [ "$rows" -eq 10 ]
check "cut record, tsv: exit status 1 (got $rc)" [ $rc -eq 1 ]
check "cut record, tsv: one line on stderr" [ "$(wc -l <"$TMP/g2.err")" -eq 1 ]
check "cut record, tsv: it names the truncation" \
	grep -Eq "^tcpladder: $G: truncated dump file; tried to read 100 captured bytes, only got 30 after packet 10; everything before it was shown\$" "$TMP/g2.err"

stty_before
run "clear; $BIN -r grow.pcap"
check "cut record, view: the warning names the truncation" \
	wait_for 'grow\.pcap: truncated dump file; tried to read 100 captured bytes' 5
check "cut record, view: the status line says where" \
	screen_has 'read error after frame 10 *$'
check "cut record, view: frame 10 is drawn" screen_has '^ +10 +0\.900000 '
keys Home
check "cut record, view: Home goes to frame 1" \
	wait_for '^ frame 1 +stream 0' 5
check "cut record, view: the status line still says where" \
	screen_has 'read error after frame 10 *$'
keys End
check "cut record, view: End goes to frame 10" wait_for '^ frame 10 +stream 0' 5
keys Enter
check "cut record, view: frame 10's details open" \
	wait_for 'PSH, ACK|0x018' 5
keys q
wait_for '^ frame 10 +stream 0' 3 || true
keys q
after "cut record, q" 1 "tcpladder: grow\\.pcap: truncated dump file; tried to read 100 captured bytes, only got 30 after frame 10\$"
touch "$TMP/g.stop"
for p in $PIDS; do kill "$p" 2>/dev/null; done
PIDS=

# ---- 4. the same writer into a pipe (-r -) ----------------------------------
stty_before
run "clear; python3 $TMP/grow.py /dev/stdout 6 4 $TMP/p | $BIN -r -"
check "pipe: the writer has written 6 records" wait_file "$TMP/p.stage1" 10
check "pipe: the 6 frames are drawn while the writer pauses" \
	wait_for 'reading 6 frames *$' 5
keys End
check "pipe: End goes to frame 6 while the writer pauses" \
	wait_for '^ frame 6 +stream 0' 5
tm resize-window -x 110 -y 30 >/dev/null 2>&1
sleep 0.5
check "pipe: a resize while the writer pauses is not a read error" \
	wait_for 'reading 6 frames *$' 5
check "pipe: (no error on screen)" wait_gone 'error|Interrupted' 2
tm resize-window -x 120 -y 30 >/dev/null 2>&1
touch "$TMP/p.go"
check "pipe: the writer adds 4 records and a cut one" \
	wait_file "$TMP/p.done" 10
check "pipe: the 4 are drawn as they come" wait_for 'reading 10 frames *$' 5
check "pipe: the view follows them (the cursor is on frame 10)" \
	wait_for '^ frame 10 +stream 0' 5
check "pipe: a cut record the writer may still finish is no error yet" \
	wait_gone 'truncated|error' 2
touch "$TMP/p.stop"
check "pipe, writer gone: the warning names the truncation" \
	wait_for '-: truncated dump file; tried to read 100 captured bytes' 5
check "pipe, writer gone: frame 10 is drawn" screen_has '^ +10 +0\.900000 '
keys q
after "pipe, q" 1 "tcpladder: -: truncated dump file; tried to read 100 captured bytes, only got 30 after frame 10\$"

# q while the writer pauses: tcpladder ends at once; the shell then waits
# for the writer, which is stopped here.
stty_before
run "clear; python3 $TMP/grow.py /dev/stdout 6 4 $TMP/q | $BIN -r -"
check "pipe again: the 6 frames are drawn while the writer pauses" \
	wait_for 'reading 6 frames *$' 5
pid=$(child_pid) || pid=
check "pipe again: it does not spin while it waits" idle "$pid" 1
keys q
gone() {
	local tries=60
	while [ $tries -gt 0 ] && alive "$pid"; do
		sleep 0.05
		tries=$((tries - 1))
	done
	! alive "$pid"
}
check "pipe again: q ends tcpladder while the writer pauses" gone
kill "$(cat "$TMP/q.pid" 2>/dev/null)" 2>/dev/null
after "pipe again, q" 0

# -T tsv from the pipe: the rows there are written out while the writer
# pauses, not when the buffer fills or the input ends.
python3 "$TMP/grow.py" /dev/stdout 6 4 "$TMP/t" | "$BIN" -r - -T tsv \
	>"$TMP/t.tsv" 2>"$TMP/t.err" &
PIDS="$PIDS $!"
check "pipe, tsv: the writer has written 6 records" wait_file "$TMP/t.stage1" 10
six_rows() {
	local tries=40
	while [ $tries -gt 0 ]; do
		[ "$(tail -n +2 "$TMP/t.tsv" | wc -l)" -eq 6 ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}
check "pipe, tsv: the 6 rows are out while the writer pauses" six_rows
touch "$TMP/t.go" "$TMP/t.stop"
wait_file "$TMP/t.done" 10 >/dev/null
for p in $PIDS; do wait "$p" 2>/dev/null; done
PIDS=
check "pipe, tsv: then the other 4 ($(tail -n +2 "$TMP/t.tsv" | wc -l) rows)" \
	[ "$(tail -n +2 "$TMP/t.tsv" | wc -l)" -eq 10 ]

echo "1..$T"
[ "$FAILED" -eq 0 ]
