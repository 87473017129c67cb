#!/bin/sh
# Hostile and broken captures (tests/hostile, listed with what must happen
# in tests/hostile/cases.list), then two large ones made at test time: a SYN
# flood of HOSTILE_BIG_N connections and one connection of HOSTILE_BIG_N
# segments. Every run: the documented exit status, at most one line on
# stderr, no crash (the sanitizer build turns any memory error into one),
# done within the time limit, under the memory limit. Peak RSS is printed
# as a TAP comment when GNU time is there.
#
# Environment: TCPLADDER, srcdir; HOSTILE_BIG_N (default 1000000, 0 skips
# the large cases); HOSTILE_TIMEOUT seconds per small file (default 30);
# HOSTILE_MAX_KB peak RSS for a small file (default 262144).
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
dir="$srcdir/tests/hostile"
big_n=${HOSTILE_BIG_N:-1000000}
limit=${HOSTILE_TIMEOUT:-30}
max_kb=${HOSTILE_MAX_KB:-262144}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0 failed=0
tab=$(printf '\t')
timed=
[ -x /usr/bin/time ] && timed=1

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	sed 's/^/#   stderr: /' "$tmp/err" | head -5
}

# run SECONDS ARGS...: tcpladder with a time limit, peak RSS in $tmp/rss.
run() {
	secs=$1
	shift
	: > "$tmp/rss"
	if [ -n "$timed" ]; then
		timeout -s KILL "$secs" /usr/bin/time -q -f %M -o "$tmp/rss" \
			"$TCPLADDER" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	else
		timeout -s KILL "$secs" "$TCPLADDER" "$@" \
			> "$tmp/out" 2> "$tmp/err" < /dev/null
	fi
	status=$?
	rss=$(cat "$tmp/rss" 2>/dev/null)
	rss=${rss:-0}
	case $rss in *[!0-9]*) rss=0 ;; esac
}

rows_of() {
	if [ -s "$tmp/out" ]; then echo $(($(wc -l < "$tmp/out") - 1))
	else echo -; fi
}

# check_run NAME WANT-STATUS STDERR-REGEX ROWS MAX-KB
check_run() {
	name=$1 want=$2 pat=$3 want_rows=$4 kb=$5
	why=
	[ "$status" -eq 137 ] && why="$why killed after the time limit (a hang?);"
	[ "$status" -ne "$want" ] && why="$why exit $status, want $want;"
	grep -Eq 'runtime error|Sanitizer|LeakSanitizer' "$tmp/err" &&
		why="$why a sanitizer report;"
	lines=$(wc -l < "$tmp/err")
	[ "$lines" -le 1 ] || why="$why $lines lines on stderr, want at most 1;"
	if [ "$pat" = - ]; then
		[ -s "$tmp/err" ] && why="$why stderr not empty;"
	elif ! grep -Eq -e "$pat" "$tmp/err"; then
		why="$why stderr does not match /$pat/;"
	fi
	got_rows=$(rows_of)
	[ "$want_rows" = "$got_rows" ] || why="$why $got_rows rows, want $want_rows;"
	[ "$rss" -gt "$kb" ] && why="$why peak RSS $rss KB over $kb KB;"
	if [ -z "$why" ]; then ok "$name"; else not_ok "$name:$why"; fi
}

while IFS="$tab" read -r file want pat rows outpat; do
	case $file in ''|'#'*) continue ;; esac
	path="$dir/$file"
	if [ ! -r "$path" ]; then
		not_ok "$file: missing (python3 tests/hostile/make-hostile.py)"
		continue
	fi
	run "$limit" -r "$path" -T tsv
	check_run "$file" "$want" "$pat" "$rows" "$max_kb"
	if [ -n "$outpat" ]; then
		todo=
		case $outpat in TODO:*) todo=" # TODO known bug"; outpat=${outpat#TODO:} ;; esac
		neg=
		case $outpat in '!'*) neg=1; outpat=${outpat#!} ;; esac
		if grep -Eq -e "$outpat" "$tmp/out"; then found=1; else found=0; fi
		what="output matches /$outpat/"
		[ -n "$neg" ] && what="output does not match /$outpat/"
		if [ -n "$neg" ]; then [ "$found" = 0 ]; else [ "$found" = 1 ]; fi
		if [ $? -eq 0 ]; then ok "$file: $what"
		elif [ -n "$todo" ]; then
			n=$((n + 1)); echo "not ok $n - $file: $what$todo"
		else not_ok "$file: $what"; fi
	fi
	# The text ladder reads the same packets: same status, no crash.
	want_text=$want
	run "$limit" -r "$path" -T text --width 100
	if [ "$status" -eq "$want_text" ]; then ok "$file: -T text exits $status"
	else not_ok "$file: -T text exits $status, want $want_text"; fi
done < "$dir/cases.list"

# Inputs the fuzzers found. tests/hostile/fuzz-file-*: capture files that
# once crashed; now any documented status will do, without a sanitizer
# report. tests/hostile/fuzz-TARGET-*: inputs of another fuzz target, run
# through it when the build has the targets (--enable-fuzzing).
for path in "$dir"/fuzz-*; do
	name=$(basename "$path")
	target=${name#fuzz-}
	target=fuzz_${target%%-*}
	bin="$(dirname "$TCPLADDER")/fuzz/$target"
	if [ -x "$bin" ]; then
		"$bin" "$path" > "$tmp/out" 2> "$tmp/err"
		status=$?
		grep -v -e '^INFO:' -e 'Running' -e '^Executed' "$tmp/err" \
			> "$tmp/err2"; mv "$tmp/err2" "$tmp/err"
		if [ $status -eq 0 ]; then ok "$name through $target"
		else not_ok "$name through $target: exit $status"; fi
	fi
done
for path in "$dir"/fuzz-file-*; do
	[ -r "$path" ] || continue
	for fmt in tsv text; do
		run "$limit" -r "$path" -T $fmt
		if grep -Eq 'runtime error|Sanitizer' "$tmp/err"; then
			not_ok "$(basename "$path") -T $fmt: a sanitizer report"
			continue
		fi
		case $status in
		0|1|2) ok "$(basename "$path") -T $fmt: exit $status" ;;
		*) not_ok "$(basename "$path") -T $fmt: exit $status" ;;
		esac
	done
done

# Reading a capture through a pipe that is cut part way (-r -).
basic="$srcdir/tests/data/synth/basic.pcap"
size=$(wc -c < "$basic")
head -c $((size - 30)) "$basic" > "$tmp/cut.pcap"
timeout -s KILL "$limit" sh -c 'cat "$1" | "$2" -r - -T tsv' sh "$tmp/cut.pcap" "$TCPLADDER" > "$tmp/out" 2> "$tmp/err"
status=$? rss=0
check_run "-r - from a pipe cut part way" 1 "^[^ ]+: -: truncated dump file.*after packet 9; everything before it was shown" 9 "$max_kb"
# A writer that dies mid-record: the reader sees end of file there.
timeout -s KILL "$limit" sh -c '{ head -c 100 "$1"; sleep 0.3; head -c 200 "$1" | tail -c 100; } | "$2" -r - -T tsv' sh "$basic" "$TCPLADDER" > "$tmp/out" 2> "$tmp/err"
status=$? rss=0
check_run "-r - from a writer that stops mid-record" 1 "truncated dump file.*after packet 2" 2 "$max_kb"

# Large inputs, made here rather than committed.
if [ "$big_n" -gt 0 ] && command -v python3 >/dev/null 2>&1; then
	gen="$dir/make-hostile.py"
	big_secs=$((limit * 10))
	for kind in syn-flood one-conn; do
		python3 "$gen" --big $kind "$big_n" "$tmp/big.pcap" || {
			not_ok "$kind: cannot generate"; continue; }
		run "$big_secs" -r "$tmp/big.pcap" -T tsv
		[ -n "$timed" ] && echo "# $kind, $big_n packets: peak RSS $rss KB"
		# The flood may be told it dropped idle connections.
		pat=-
		[ $kind = syn-flood ] && [ -s "$tmp/err" ] &&
			pat='idle connections were forgotten'
		check_run "$kind ($big_n packets)" 0 "$pat" "$big_n" \
			"${HOSTILE_BIG_MAX_KB:-1048576}"
		rm -f "$tmp/big.pcap"
	done
else
	echo "# large cases skipped (HOSTILE_BIG_N=0 or no python3)"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
