#!/bin/sh
# Standard output that cannot be written: /dev/full, a closed stdout (>&-)
# and a full file system (a 64 KiB tmpfs, as root) stop every batch output
# (-T tsv, text, svg, html; --help, --version) with exit status 4 and one
# line naming standard output (and its path) and the reason. A closed pipe
# (| head) is the reader's choice: status 0 and nothing on stderr.
#
# Prints TAP; exits 1 on a failure.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
data="$srcdir/tests/data"
tmp=$(mktemp -d) || exit 99
mnt=
cleanup() {
	[ -n "$mnt" ] && umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0 failed=0

# verdict NAME STATUS WANT-STATUS STDERR-REGEX: one line on stderr matching
# the pattern (or none when it is empty), the status wanted.
verdict() {
	name=$1 got=$2 want=$3 pattern=$4
	n=$((n + 1))
	lines=$(wc -l < "$tmp/err")
	if [ -z "$pattern" ]; then
		[ ! -s "$tmp/err" ]; matched=$?
	else
		[ "$lines" -eq 1 ] && grep -Eq -e "$pattern" "$tmp/err"
		matched=$?
	fi
	if [ "$got" -eq "$want" ] && [ "$matched" -eq 0 ]; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: exit $got (want $want), $lines lines on stderr:"
		sed 's/^/#   /' "$tmp/err"
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

basic="$data/synth/basic.pcap"
big="$data/ppa/http_espn.pcapng"       # 72 KB of tsv, 300 KB of text
nospace='No space left on device'

for fmt in tsv text svg html; do
	"$TCPLADDER" -r "$basic" -T $fmt > /dev/full 2> "$tmp/err" < /dev/null
	verdict "-T $fmt > /dev/full" $? 4 \
		"^tcpladder: cannot write standard output \(/dev/full\): $nospace\$"
	"$TCPLADDER" -r "$basic" -T $fmt 2> "$tmp/err" < /dev/null >&-
	verdict "-T $fmt >&- (closed stdout)" $? 4 \
		"^tcpladder: cannot write standard output \(closed\): Bad file descriptor\$"
	# The reader goes after one byte: the rest meets a closed pipe.
	status=$({ "$TCPLADDER" -r "$big" -T $fmt 2> "$tmp/err" < /dev/null
	           echo $? > "$tmp/status"; } | head -c 1 > /dev/null
	         cat "$tmp/status")
	verdict "-T $fmt | head -c 1: quiet" "$status" 0 ""
done

# A closed stdout must not hand its number to the next open(): the -w file
# (opened first when the capture comes on stdin) would receive the rows.
# (-w's own line, saying what it saved, is not counted.)
"$TCPLADDER" -r - -T tsv -w "$tmp/saved.pcap" 2> "$tmp/err.all" < "$basic" >&-
status=$?
grep -v "saved [0-9]* frames to .*saved.pcap" "$tmp/err.all" > "$tmp/err"
verdict "-T tsv -w FILE >&-" $status 4 "standard output \(closed\)"
n=$((n + 1))
if "$TCPLADDER" -r "$tmp/saved.pcap" -T tsv > "$tmp/out" 2>/dev/null &&
   [ "$(wc -l < "$tmp/out")" -eq "$("$TCPLADDER" -r "$basic" -T tsv | wc -l)" ]
then
	echo "ok $n - ... and the -w copy is a whole capture"
else
	failed=$((failed + 1))
	echo "not ok $n - the -w copy written with a closed stdout is damaged"
fi

# Nowhere to say it either: the status alone tells.
"$TCPLADDER" -r "$basic" -T tsv > /dev/full 2>&- < /dev/null
status=$?
: > "$tmp/err"
verdict "-T tsv > /dev/full 2>&- (closed stderr too)" $status 4 ""

"$TCPLADDER" --help > /dev/full 2> "$tmp/err"
verdict "--help > /dev/full" $? 4 "cannot write standard output.*: $nospace"
"$TCPLADDER" --version 2> "$tmp/err" >&-
verdict "--version >&-" $? 4 "cannot write standard output \(closed\)"
status=$({ "$TCPLADDER" --help 2> "$tmp/err"; echo $? > "$tmp/status"; } |
         head -c 1 > /dev/null; cat "$tmp/status")
verdict "--help | head -c 1: quiet" "$status" 0 ""

# A full file system part way through: the output so far stays, the run
# says it is incomplete.
if [ "$(id -u)" -ne 0 ]; then
	skip "a full tmpfs" "not root (a 64 KiB tmpfs is mounted)"
elif ! mkdir "$tmp/full" || ! mount -t tmpfs -o size=64k tmpfs "$tmp/full" \
	2>/dev/null; then
	skip "a full tmpfs" "cannot mount a tmpfs here"
else
	mnt=$tmp/full
	for fmt in tsv text svg html; do
		rm -f "$mnt/out"
		"$TCPLADDER" -r "$big" -T $fmt > "$mnt/out" 2> "$tmp/err" \
			< /dev/null
		verdict "-T $fmt > full tmpfs" $? 4 \
			"^tcpladder: cannot write standard output \($mnt/out\): $nospace\$"
	done
	umount "$mnt" && mnt=
fi

echo "1..$n"
[ "$failed" -eq 0 ]
