#!/bin/bash
# Details of a capture that cannot be read again (issue 12, item 10): a
# pipe, as a live capture, keeps the raw bytes of recent frames in a ring
# (a 32nd of --max-memory), so their details show every header and the
# payload; an older frame says it was let go from the ring and how many
# are kept; with -w the older frames come back from the file being
# written; a frame larger than the ring keeps per frame says it was cut.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BIN=${1:-${TCPLADDER:-$TOP/tcpladder}}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux missing"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 missing"; exit 77; }
. "$HERE/tmux-lib.sh"

CAP=$TMP/many.pcap
# 16,000 frames of 54-74 bytes: far more than a ring of 512 KiB indexes.
python3 "$TOP/tests/many-conns.py" 2000 "$CAP" || exit 99

start 100 40
stty_before
run "clear; cat $CAP | $BIN -r - --max-memory 16M"
check "pipe: the list of 2,000 connections" wait_for '2,?000 connections' 20
check "pipe: the whole input is read" wait_for '16,?000 frames *$' 20
keys G Enter
check "pipe: the last connection's ladder" wait_for 'stream 1999/2000' 5
keys G Enter
check "pipe: details of the last frame" wait_for 'frame 16000  stream 1999' 5
check "pipe: a recent frame has its IP header" \
	screen_has '^ IPv4   version 4  header 20 B'
check "pipe: and its TCP header" \
	screen_has '^ TCP    source port 1031  destination port 80'
check "pipe: no word of a file to read again" \
	eval '! grep -q "need a capture file" "$SCREEN"'
keys q q g Enter
check "pipe: the first connection's ladder" wait_for 'stream 0/2000' 5
keys Enter
check "pipe: frame 1's details" wait_for 'frame 1  stream 0' 5
check "pipe: frame 1 was let go from the ring, which says what it keeps" \
	screen_has 'frame 1 was let go from the ring of recent frames, which'
grab
tr -s ' \n' ' ' <"$SCREEN" >"$TMP/flat"
check "pipe: the ring keeps the latest frames, up to frame 16,000" \
	grep -Eq 'keeps the latest ([0-9]+), from frame ([0-9]+) on, in [0-9.]+kB' "$TMP/flat"
kept=$(sed -En 's/.*keeps the latest ([0-9]+), from frame ([0-9]+) on.*/\1 \2/p' "$TMP/flat")
set -- $kept
check "pipe: kept and oldest agree ($kept)" test "$(( ${1:-0} + ${2:-0} - 1 ))" -eq 16000
check "pipe: and says -w would keep them" \
	grep -q 'with -w FILE, older frames are read again from FILE' "$TMP/flat"
check "pipe: no header of frame 1" eval '! grep -q "^ IPv4 " "$SCREEN"'
quit_check "pipe: Q" Q

# With -w: the ring misses frame 1, the file being written has it.
start 100 40
stty_before
run "clear; cat $CAP | $BIN -r - --max-memory 16M -w $TMP/saved.pcap"
check "-w: the whole input is read" wait_for '16,?000 frames *$' 20
keys g Enter Enter
check "-w: frame 1's details" wait_for 'frame 1  stream 0' 5
check "-w: frame 1's TCP header, read again from the -w file" \
	wait_for '^ TCP    source port 1024  destination port 80' 5
check "-w: and its SYN's options" screen_has '^ +MSS 1460'
check "-w: nothing said of the ring" eval '! grep -q "ring" "$SCREEN"'
quit_check "-w: Q" Q

# A frame larger than the ring keeps of one (a 64th: 8 KiB here).
BIG=$TMP/big.pcap
python3 - "$BIG" <<'PY' || exit 99
import struct, sys
def pkt(sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64,
                     6, 0, bytes([192, 0, 2, 1]) if sport != 80 else
                     bytes([192, 0, 2, 2]), bytes([192, 0, 2, 2])
                     if sport != 80 else bytes([192, 0, 2, 1]))
    return b"\2\0\0\0\0\2\2\0\0\0\0\1\x08\0" + ip + tcp
frames = [pkt(40000, 80, 100, 0, 0x02), pkt(80, 40000, 500, 101, 0x12),
          pkt(40000, 80, 101, 501, 0x10),
          pkt(80, 40000, 501, 101, 0x18, b"B" * 20000),
          pkt(40000, 80, 101, 20501, 0x10)]
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    for i, p in enumerate(frames):
        f.write(struct.pack("<IIII", 1700000000, i * 1000, len(p), len(p)) + p)
PY
start 100 40
stty_before
run "clear; cat $BIG | $BIN -r - --max-memory 16M"
check "cut: the ladder opens" wait_for 'Len=20000' 10
keys g j j j Enter
check "cut: frame 4's details" wait_for 'frame 4  stream 0' 5
check "cut: its header is shown" \
	screen_has '^ TCP    source port 80  destination port 40000'
check "cut: and the ring says it kept only the first bytes" \
	screen_has 'the ring of recent frames keeps the first 8192 bytes of a frame'
check "cut: the payload says it is partial" \
	screen_has 'data   20000 bytes \(only part captured\)'
quit_check "cut: Q" Q
echo "1..$T"
[ "$FAILED" -eq 0 ]
