#!/bin/sh
# Nothing is dropped silently: every packet that carries TCP and gets no
# row is counted by cause in one warning at the end (stderr), with exit 0;
# captures with nothing unread print no warning. The rows themselves are
# checked against tshark by tests/agreement.sh.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
d="$srcdir/tests/data"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0 failed=0

# expect NAME CAPTURE ROWS STDERR-REGEX ("-": stderr must be empty)
expect() {
	n=$((n + 1))
	"$TCPLADDER" -r "$2" -T tsv > "$tmp/out" 2> "$tmp/err"
	rc=$?
	rows=$(($(wc -l < "$tmp/out") - 1))
	lines=$(wc -l < "$tmp/err")
	why=""
	[ "$rc" -eq 0 ] || why="$why exit $rc, want 0;"
	[ "$rows" -eq "$3" ] || why="$why $rows rows, want $3;"
	if [ "$4" = "-" ]; then
		[ "$lines" -eq 0 ] || why="$why stderr not empty;"
	else
		[ "$lines" -eq 1 ] || why="$why $lines lines on stderr, want 1;"
		grep -Eq "$4" "$tmp/err" || why="$why stderr does not match /$4/;"
	fi
	if [ -z "$why" ]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1:$why"
		sed 's/^/#   stderr: /' "$tmp/err"
	fi
}

expect "fragments never completed" "$d/encap/frag_ipv4.pcap" 13 \
	'frag_ipv4.pcap: not shown: 2 IP fragments never reassembled'
expect "IPv6 fragments never completed" "$d/encap/frag_ipv6.pcap" 13 \
	'not shown: 3 IP fragments never reassembled'
# first pieces cut at 68 and 96 bytes (one of them all its connection
# shows), a last piece cut, a first piece
# alone (IPv4 and IPv6): tshark adds no cut piece, so none completes
expect "fragments cut by the snap length" "$d/encap/frag_cut.pcap" 52 \
	'not shown: 20 IP fragments never reassembled \(the rest of their datagram never came whole\), 8 IP fragments cut by the snap length \(tshark cannot reassemble them either\)$'
# a last piece sent again after its datagram completed (IPv4 and IPv6)
expect "overlapping fragments" "$d/encap/frag_overlap.pcap" 12 \
	'not shown: 2 IP fragments never reassembled'
expect "A-MSDU segments after the first" "$d/encap/wifi_amsdu.pcap" 9 \
	'not shown: 4 TCP segments after the first in an 802.11 A-MSDU \(analysed, but a frame has one row: its first\)$'
expect "GRE payload type nobody reads" "$d/encap/unread_gre_type.pcap" 0 \
	'not shown: 13 packets inside a GRE tunnel of an unsupported payload type \(0x88b6\)$'
expect "nested past 500 layers" "$d/encap/unread_too_deep.pcap" 7 \
	'not shown: 6 packets nested deeper than tshark reads'
expect "pcapng interface of an unknown link type" \
	"$d/encap/unread_pcapng_link.pcapng" 7 \
	'not shown: 6 packets on an interface of an unsupported link type \(147\)$'
expect "TCP headers cut before 16 bytes" "$d/synth/truncated_headers.pcap" 10 \
	'not shown: 3 packets cut short before a TCP header could be read$'
# Two pcap files of the same link type, one after the other.
{ cat "$d/encap/frag_ipv4.pcap"; tail -c +25 "$d/encap/unread_gre_type.pcap"; } \
	> "$tmp/all.pcap"
expect "all causes in one line" "$tmp/all.pcap" 13 \
	'not shown: 2 IP fragments never reassembled .*, 13 packets inside a GRE tunnel'
# CAPWAP fragments (the F bit set on frames 5 and 6 of udp_capwap.pcap,
# neither the last one): put back together as tshark does, these never
# complete and are counted.
python3 - "$d/encap/udp_capwap.pcap" "$tmp/capwap_frag.pcap" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
at, k = 24, 0
while at + 16 <= len(b):
    k += 1
    caplen = struct.unpack_from("<I", b, at + 8)[0]
    if k in (5, 6):
        b[at + 16 + 14 + 20 + 8 + 3] |= 0x80     # CAPWAP's F bit
    at += 16 + caplen
open(sys.argv[2], "wb").write(b)
PY
expect "CAPWAP fragments" "$tmp/capwap_frag.pcap" 11 \
	'not shown: 2 CAPWAP fragments never reassembled \(the rest of their packet never came\)$'
expect "MACsec encrypted" "$d/encap/unread_macsec_encrypted.pcap" 0 \
	'not shown: 13 MACsec frames encrypted \(tshark cannot read them either\)$'
# nothing unread: no warning
expect "tunnels read whole" "$d/encap/nested_vxlan_gre_mpls.pcap" 13 -
expect "several link types in one pcapng" "$d/encap/pcapng_multi.pcapng" 14 -
expect "fragments reassembled" "$d/encap/frag_gre_outer.pcap" 13 -
expect "1100 datagrams in flight, all reassembled" "$d/encap/frag_many.pcap" 1104 -
# -w from a pcapng of several link types: a pcap file takes one; the frames
# of the others are named as not saved.
n=$((n + 1))
"$TCPLADDER" -r "$d/encap/pcapng_multi.pcapng" -T tsv -w "$tmp/saved.pcap" \
	> /dev/null 2> "$tmp/err"
if grep -q "saved.pcap: 11 frames of interfaces whose link type is not EN10MB (1) were not saved" "$tmp/err" &&
   [ "$("$TCPLADDER" -r "$tmp/saved.pcap" -T tsv | wc -l)" -eq 4 ]; then
	echo "ok $n - -w says which frames a pcap file cannot hold"
else
	failed=$((failed + 1))
	echo "not ok $n - -w says which frames a pcap file cannot hold"
	sed 's/^/#   stderr: /' "$tmp/err"
fi
echo "1..$n"
[ "$failed" -eq 0 ]
