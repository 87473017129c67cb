#!/bin/sh
# Random display filters (tests/filter-fuzz.py, seed 13, 500 of them,
# about three in four invalid) must be accepted or rejected as tshark 4.0
# does: tests/filters/fuzz-13.tsv holds 4.0's verdicts, so this needs no
# tshark. A rejection must be exit 2 and one line. To regenerate it (with
# libwireshark 4.0 installed):
#   tests/filter-fuzz.py expect 13 500 > tests/filters/fuzz-13.tsv
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP no python3"; exit 77; }
exec python3 "$srcdir/tests/filter-fuzz.py" check "$TCPLADDER" \
	"$srcdir/tests/data/lab-handshake.pcap" "$srcdir/tests/filters/fuzz-13.tsv"
