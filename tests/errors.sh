#!/bin/sh
# Bad input: every case gets one clear line on stderr naming the problem, the
# documented exit status, and nothing half-written on stdout.
#   0 success, 1 capture damaged part way (everything before it shown),
#   2 cannot start (usage, file, filter, link type, permission),
#   4 output could not be written (tests/saving.sh has those cases).
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
data="$srcdir/tests/data"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0 failed=0

# expect NAME STATUS STDERR-REGEX CMD...
expect() {
	name=$1 want=$2 pattern=$3
	shift 3
	n=$((n + 1))
	"$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	got=$?
	lines=$(wc -l < "$tmp/err")
	if [ -z "$pattern" ]; then
		[ ! -s "$tmp/err" ]; matched=$?
	else
		grep -Eq -e "$pattern" "$tmp/err"; matched=$?
	fi
	if [ "$got" -eq "$want" ] && [ "$matched" -eq 0 ]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: exit $got (want $want), stderr:"
		sed 's/^/#   /' "$tmp/err"
	fi
	[ "$lines" -le 2 ] || { echo "#   (more than two lines of messages)"; }
}

basic="$data/synth/basic.pcap"
head -c 24 "$basic" > "$tmp/header-only.pcap"
size=$(wc -c < "$basic")
head -c $((size - 30)) "$basic" > "$tmp/cut-in-data.pcap"
head -c $((24 + 16 + 54 + 8)) "$basic" > "$tmp/cut-in-record-header.pcap"
: > "$tmp/empty.pcap"
printf 'this is not a capture file at all\n' > "$tmp/text.pcap"
# A valid pcap header with link type 147 (USER0), then one record.
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\223\000\000\000' > "$tmp/user0.pcap"
printf '\000\000\000\000\000\000\000\000\004\000\000\000\004\000\000\000abcd' >> "$tmp/user0.pcap"

expect "missing file" 2 "cannot read .*nonexistent.pcap: No such file" \
	"$TCPLADDER" -r "$tmp/nonexistent.pcap" -T tsv
expect "directory" 2 "is a directory" "$TCPLADDER" -r "$tmp" -T tsv
expect "empty file" 2 "empty.pcap" "$TCPLADDER" -r "$tmp/empty.pcap" -T tsv
expect "not a capture" 2 "not a capture file" "$TCPLADDER" -r "$tmp/text.pcap" -T tsv
expect "header only" 0 "" "$TCPLADDER" -r "$tmp/header-only.pcap" -T tsv
expect "cut in packet data" 1 "truncated.*after packet 9.*everything before it was shown" \
	"$TCPLADDER" -r "$tmp/cut-in-data.pcap" -T tsv
rows=$(($(wc -l < "$tmp/out") - 1))
n=$((n + 1))
if [ "$rows" -eq 9 ]; then echo "ok $n - the 9 packets before the cut are shown"
else failed=$((failed + 1)); echo "not ok $n - $rows rows before the cut, want 9"; fi
expect "cut in a record header" 1 "truncated" \
	"$TCPLADDER" -r "$tmp/cut-in-record-header.pcap" -T tsv
expect "unsupported link type" 2 "unsupported link type 147" \
	"$TCPLADDER" -r "$tmp/user0.pcap" -T tsv
expect "bad filter" 2 "bad filter expression 'tcp and and'" \
	"$TCPLADDER" -r "$basic" -T tsv tcp and and
expect "filter given twice" 2 "either with -f or after" \
	"$TCPLADDER" -r "$basic" -f tcp -T tsv port 80
expect "unknown option" 2 "unknown option '--bogus'" "$TCPLADDER" --bogus
expect "missing value" 2 "option '-r' needs a value" "$TCPLADDER" -r
expect "--max-memory not a size" 2 "bad size '12Q' \\(like 512M or 2G\\)" \
	"$TCPLADDER" --max-memory 12Q -r "$basic" -T tsv
expect "--max-memory negative" 2 "bad size '-5M'" \
	"$TCPLADDER" --max-memory -5M -r "$basic" -T tsv
expect "--max-memory too small" 2 "--max-memory 1M: at least 16M" \
	"$TCPLADDER" --max-memory 1M -r "$basic" -T tsv
expect "--max-segments too small" 2 "--max-segments 99: keep at least 100" \
	"$TCPLADDER" --max-segments 99 -r "$basic" -T tsv
expect "-c past the last frame number" 2 "-c must be a number from 1 to 4294967295" \
	"$TCPLADDER" -c 4294967296 -r "$basic" -T tsv
expect "bad output format" 2 "unknown output format 'xml'" \
	"$TCPLADDER" -r "$basic" -T xml
expect "bad count" 2 "-c must be a number" "$TCPLADDER" -r "$basic" -c abc
expect "nothing to read" 2 "nothing to read" "$TCPLADDER" -T tsv
expect "both file and device" 2 "not both" "$TCPLADDER" -r "$basic" -i lo
expect "no such device" 2 "cannot capture on nosuchdev0" \
	"$TCPLADDER" -i nosuchdev0 -T tsv
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	expect "no permission to capture" 2 "needs root or CAP_NET_RAW" \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$TCPLADDER" -i lo -T tsv
fi
: > "$tmp/exists.pcap"
expect "-w does not write over a file" 2 "exists: not writing over it" \
	"$TCPLADDER" -r "$basic" -w "$tmp/exists.pcap" -T tsv
expect "-w with --force" 0 "saved 10 frames to .*exists.pcap$" \
	"$TCPLADDER" -r "$basic" -w "$tmp/exists.pcap" --force -T tsv
n=$((n + 1))
if "$TCPLADDER" -r "$tmp/exists.pcap" -T tsv | cmp -s - "$tmp/out"; then
	echo "ok $n - the -w copy reads back the same"
else failed=$((failed + 1)); echo "not ok $n - the -w copy differs"; fi
expect "-c stops early" 0 "" "$TCPLADDER" -r "$basic" -c 3 -T tsv
n=$((n + 1))
if [ "$(wc -l < "$tmp/out")" -eq 4 ]; then echo "ok $n - -c 3 gives 3 rows"
else failed=$((failed + 1)); echo "not ok $n - -c 3 gave $(wc -l < "$tmp/out") lines"; fi
# A closed pipe ends the run quietly, without a message.
n=$((n + 1))
"$TCPLADDER" -r "$srcdir/tests/data/synth/fast_retrans.pcap" -T text 2> "$tmp/err" | head -1 > /dev/null
if [ ! -s "$tmp/err" ]; then echo "ok $n - closed pipe ends quietly"
else failed=$((failed + 1)); echo "not ok $n - closed pipe:"; sed 's/^/#   /' "$tmp/err"; fi

# -w while reading a capture that is still being written (a FIFO whose
# writer pauses): stopped by SIGINT it publishes what was read; killed
# outright it leaves nothing under the final name (only the temporary
# NAME.partXXXXXX); a start that fails leaves neither.
# slow_reader NAME: tcpladder -w NAME on a FIFO, once it has read the file.
slow_reader() {
	rm -f "$tmp/fifo" "$1" "$1".part*
	# Emptied here: the reader's own redirection runs in the background,
	# and the last run's rows must not pass for this one's.
	: > "$tmp/out"
	mkfifo "$tmp/fifo" || return 1
	{ cat "$basic"; exec sleep 10; } > "$tmp/fifo" &
	writer=$!
	"$TCPLADDER" -r "$tmp/fifo" -w "$1" -T tsv > "$tmp/out" 2> "$tmp/err" &
	reader=$!
	tries=50
	while [ $tries -gt 0 ] && [ "$(wc -l < "$tmp/out")" -lt 11 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
}
finish_slow_reader() {
	wait "$reader" 2>/dev/null
	status=$?
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	return 0
}
slow_reader "$tmp/int.pcap"
kill -INT "$reader"
finish_slow_reader
n=$((n + 1))
if [ "$status" -eq 0 ] &&
   grep -q "saved 10 frames to .*int.pcap (the input was not read to its end)" "$tmp/err" &&
   "$TCPLADDER" -r "$tmp/int.pcap" -T tsv 2>&1 | cmp -s - "$tmp/out" &&
   ! ls "$tmp"/int.pcap.part* >/dev/null 2>&1; then
	echo "ok $n - -w stopped by SIGINT: exit 0, the file reads back whole, no temporary left"
else failed=$((failed + 1)); echo "not ok $n - -w stopped by SIGINT: exit $status"; sed 's/^/#   /' "$tmp/err"; ls "$tmp" | sed 's/^/#   /'; fi
for sig in TERM HUP; do
	slow_reader "$tmp/sig.pcap"
	kill -$sig "$reader"
	finish_slow_reader
	n=$((n + 1))
	if [ "$status" -eq 0 ] && [ -s "$tmp/sig.pcap" ]; then
		echo "ok $n - -w stopped by SIG$sig: exit 0, file published"
	else failed=$((failed + 1)); echo "not ok $n - -w stopped by SIG$sig: exit $status"; fi
done
slow_reader "$tmp/killed.pcap"
kill -KILL "$reader"
finish_slow_reader
n=$((n + 1))
if [ ! -e "$tmp/killed.pcap" ]; then
	echo "ok $n - -w killed outright: nothing under the final name"
else failed=$((failed + 1)); echo "not ok $n - -w killed: $tmp/killed.pcap exists"; fi
rm -f "$tmp"/killed.pcap.part*
expect "-w with a bad filter" 2 "bad filter expression" \
	"$TCPLADDER" -r "$basic" -w "$tmp/badf.pcap" -T tsv "tcp and and"
n=$((n + 1))
if ! ls "$tmp"/badf.pcap* >/dev/null 2>&1; then echo "ok $n - ... and leaves no file"
else failed=$((failed + 1)); echo "not ok $n - a failed start left $(ls "$tmp"/badf.pcap*)"; fi
expect "-w into a missing directory" 2 "cannot write .*nodir/x.pcap" \
	"$TCPLADDER" -r "$basic" -w "$tmp/nodir/x.pcap" -T tsv
# A damaged input: what was read before the damage is saved, exit 1.
expect "-w from a capture cut in packet data" 1 "truncated" \
	"$TCPLADDER" -r "$tmp/cut-in-data.pcap" -w "$tmp/cut-copy.pcap" -T tsv
n=$((n + 1))
if [ "$("$TCPLADDER" -r "$tmp/cut-copy.pcap" -T tsv | wc -l)" -eq 10 ]; then
	echo "ok $n - ... and the copy holds the 9 packets before the cut"
else failed=$((failed + 1)); echo "not ok $n - the copy of a cut capture is wrong"; fi
# A directory in the way of the rename: the temporary is removed.
mkdir -p "$tmp/isdir.pcap"
expect "-w onto a directory with --force" 2 "cannot write .*isdir.pcap" \
	"$TCPLADDER" -r "$basic" -w "$tmp/isdir.pcap" --force -T tsv
n=$((n + 1))
if ! ls "$tmp"/isdir.pcap.part* >/dev/null 2>&1; then echo "ok $n - ... and leaves no temporary"
else failed=$((failed + 1)); echo "not ok $n - a failed rename left $(ls "$tmp"/isdir.pcap.part*)"; fi

# Display filters and -T fields (issue 13).
expect "-Y with an unknown word" 2 "-Y 'tcp.port xor 1': \"xor\" was unexpected in this context \(column 10: 'xor'\)" \
	"$TCPLADDER" -r "$basic" -Y 'tcp.port xor 1' -T tsv
expect "-Y with an unknown field" 2 "foo is neither a field nor a protocol name" \
	"$TCPLADDER" -r "$basic" -Y 'foo' -T tsv
expect "-Y cut short" 2 "Unexpected end of filter expression" \
	"$TCPLADDER" -r "$basic" -Y 'tcp.port ==' -T text
expect "a display filter given as BPF" 2 "give it with -Y 'tcp.analysis.retransmission'" \
	"$TCPLADDER" -r "$basic" -T tsv tcp.analysis.retransmission
expect "a bad BPF filter gets no -Y hint" 2 "bad filter expression 'tcp port 9 zz': [^;]*$" \
	"$TCPLADDER" -r "$basic" -T tsv tcp port 9 zz
expect "-T fields without -e" 2 "-T fields needs at least one -e FIELD" \
	"$TCPLADDER" -r "$basic" -T fields
expect "-e an unknown field" 2 "-e tcp.nope: no such field" \
	"$TCPLADDER" -r "$basic" -T fields -e tcp.nope
expect "-E occurrence=2" 2 "-E occurrence=2: not one of" \
	"$TCPLADDER" -r "$basic" -T fields -e tcp.port -E occurrence=2
expect "-E without =" 2 "-E header: give KEY=VALUE" \
	"$TCPLADDER" -r "$basic" -T fields -e tcp.port -E header
expect "-e without -T fields" 2 "-e goes with -T fields" \
	"$TCPLADDER" -r "$basic" -T tsv -e tcp.port
expect "-T fields with -E" 0 "" \
	"$TCPLADDER" -r "$basic" -T fields -e frame.number -e tcp.port \
	-E header=y -E separator=/s -E occurrence=l -E quote=d
n=$((n + 1))
if [ "$(sed -n '1p;3p' "$tmp/out" | tr '\n' '|')" = 'frame.number tcp.port|"2" "40000"|' ]; then
	echo "ok $n - ... prints the header, the last occurrence, quoted"
else failed=$((failed + 1)); echo "not ok $n - -E output: $(head -3 "$tmp/out" | tr '\n' '|')"; fi

echo "1..$n"
[ "$failed" -eq 0 ]
