#!/bin/sh
# pcapng from a pipe (`dumpcap -w - | tcpladder -r -`, a FIFO) is read by
# tcpladder's own pcapng reader, as a pcapng file is: interfaces of other
# link types and snap lengths, several sections. Rows, warnings and exit
# status must be those of the same file read as a file.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
d="$srcdir/tests/data"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0 failed=0

# run NAME WHAT: compares $tmp/file.* with $tmp/pipe.* (the capture's name
# in messages is the one given: "-" or the FIFO's path)
report() {
	n=$((n + 1))
	if cmp -s "$tmp/file.out" "$tmp/pipe.out" &&
	   cmp -s "$tmp/file.err" "$tmp/pipe.err" &&
	   [ "$(cat "$tmp/file.rc")" = "$(cat "$tmp/pipe.rc")" ]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1: exit $(cat "$tmp/file.rc") | $(cat "$tmp/pipe.rc")"
		diff "$tmp/file.out" "$tmp/pipe.out" | head -5 | sed 's/^/#   /'
		diff "$tmp/file.err" "$tmp/pipe.err" | head -5 | sed 's/^/#   /'
	fi
}

# as_file CAPTURE ARGS...: the reference run (the name replaced by "-")
as_file() {
	cap=$1
	shift
	"$TCPLADDER" -r "$cap" "$@" > "$tmp/file.out" 2> "$tmp/err"
	echo $? > "$tmp/file.rc"
	sed "s|$cap|-|" "$tmp/err" > "$tmp/file.err"
}

for cap in "$d/encap/pcapng_multi.pcapng" "$d/encap/pcapng_snaplen.pcapng" \
	"$d/encap/unread_pcapng_link.pcapng" "$d/v6-download-loss.pcapng"; do
	name=$(basename "$cap")
	as_file "$cap" -T tsv
	cat "$cap" | "$TCPLADDER" -r - -T tsv > "$tmp/pipe.out" 2> "$tmp/pipe.err"
	echo $? > "$tmp/pipe.rc"
	report "$name from standard input"
done

# Standard input redirected from a file (no pipe: a stream of its own).
cap="$d/encap/pcapng_multi.pcapng"
as_file "$cap" -T tsv
"$TCPLADDER" -r - -T tsv < "$cap" > "$tmp/pipe.out" 2> "$tmp/pipe.err"
echo $? > "$tmp/pipe.rc"
report "pcapng_multi.pcapng: standard input redirected from the file"

# -T fields (per-interface time resolution and link type), and a BPF
# filter compiled for each interface's link type.
cap="$d/encap/pcapng_multi.pcapng"
as_file "$cap" -T fields -e frame.number -e frame.time_epoch -e ip.src \
	-e tcp.stream
cat "$cap" | "$TCPLADDER" -r - -T fields -e frame.number \
	-e frame.time_epoch -e ip.src -e tcp.stream > "$tmp/pipe.out" \
	2> "$tmp/pipe.err"
echo $? > "$tmp/pipe.rc"
report "pcapng_multi.pcapng: fields from standard input"
as_file "$cap" -T tsv 'tcp port 80'
cat "$cap" | "$TCPLADDER" -r - -T tsv 'tcp port 80' > "$tmp/pipe.out" \
	2> "$tmp/pipe.err"
echo $? > "$tmp/pipe.rc"
report "pcapng_multi.pcapng: BPF filter from standard input"

# A writer that pauses (the reader thread waits for it), through a FIFO.
mkfifo "$tmp/fifo" || exit 99
as_file "$cap" -T tsv
sed "s|^tcpladder: -:|tcpladder: $tmp/fifo:|" "$tmp/file.err" > "$tmp/e" &&
	mv "$tmp/e" "$tmp/file.err"
{ head -c 300 "$cap"; sleep 1; tail -c +301 "$cap"; } > "$tmp/fifo" &
"$TCPLADDER" -r "$tmp/fifo" -T tsv > "$tmp/pipe.out" 2> "$tmp/pipe.err"
echo $? > "$tmp/pipe.rc"
wait
report "pcapng_multi.pcapng through a FIFO, the writer pausing"

# Cut short: what came before is shown, the damage reported (exit 1).
size=$(wc -c < "$cap")
head -c $((size - 10)) "$cap" > "$tmp/cut.pcapng"
as_file "$tmp/cut.pcapng" -T tsv
head -c $((size - 10)) "$cap" | "$TCPLADDER" -r - -T tsv \
	> "$tmp/pipe.out" 2> "$tmp/pipe.err"
echo $? > "$tmp/pipe.rc"
report "a pcapng cut short, from standard input"
n=$((n + 1))
if [ "$(cat "$tmp/pipe.rc")" = 1 ] && grep -q 'damaged pcapng' "$tmp/pipe.err" &&
   [ "$(wc -l < "$tmp/pipe.out")" -gt 10 ]; then
	echo "ok $n - the cut pcapng: rows before the damage, exit 1"
else
	failed=$((failed + 1))
	echo "not ok $n - the cut pcapng: exit $(cat "$tmp/pipe.rc")"
fi

# The hostile pcapng files: the same rows, messages and status by pipe.
for cap in "$srcdir"/tests/hostile/*.pcapng; do
	[ -e "$cap" ] || continue
	as_file "$cap" -T tsv
	cat "$cap" | "$TCPLADDER" -r - -T tsv > "$tmp/pipe.out" \
		2> "$tmp/pipe.err"
	echo $? > "$tmp/pipe.rc"
	report "hostile $(basename "$cap") from standard input"
done

# pcap from a pipe still goes to libpcap.
cap="$d/v4-upload-loss.pcap"
as_file "$cap" -T tsv
cat "$cap" | "$TCPLADDER" -r - -T tsv > "$tmp/pipe.out" 2> "$tmp/pipe.err"
echo $? > "$tmp/pipe.rc"
report "pcap from standard input (libpcap)"

echo "1..$n"
[ "$failed" -eq 0 ]
