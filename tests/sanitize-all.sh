#!/bin/bash
# Every capture we have through every output, for the sanitizer pass: the
# comparisons with tshark (agreement, fields, filters, text-width,
# sack-text) run once in the plain build, and this runs the same inputs
# through the sanitized binary, where a memory or undefined-behaviour error
# ends the run with a report (ASAN_OPTIONS=abort_on_error=1). Prints TAP.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
: "${SHARED_CAPTURES:=$srcdir/../shared/captures}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
for dir in "$SHARED_CAPTURES" "$srcdir/tests/data" "$srcdir/tests/filters"; do
	[ -d "$dir" ] && find "$dir" -type f \( -name '*.pcap' -o -name '*.pcapng' \
		-o -name '*.cap' \) | sort
done > "$tmp/list"
# The field table's fields, as the fields test names them.
fields=$(python3 - "$srcdir/tests/tshark_dump.py" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
names = re.search(r'COMPARE_FIELDS = """(.*?)"""', text, re.S).group(1).split()
print(" ".join("-e " + f for f in names))
PY
) || fields="-e frame.number -e tcp.analysis.flags"
echo "1..$(wc -l < "$tmp/list")"
# check N CAPTURE: every output of one capture; its TAP line and what went
# wrong in $tmp/res/N.
check() {
	local n=$1 cap=$2 bad= mode rc
	for mode in "-T tsv" "-T text --width 80" "-T fields $fields" \
	            "-T svg" "-T html" "-T sender" \
	            "-Y tcp.analysis.flags||tcp.payload~\"GET\" -T tsv" \
	            "-z follow,tcp,hex,0 -q"; do
		# Word splitting is wanted: each mode is several arguments.
		eval "\"\$TCPLADDER\" -r \"\$cap\" $mode" >/dev/null 2>"$tmp/err.$n"
		rc=$?
		if [ "$rc" -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$tmp/err.$n"; then
			bad="$bad [$mode: exit $rc]"
			sed 's/^/#   /' "$tmp/err.$n" | head -20 >> "$tmp/res/$n.why"
		fi
	done
	if [ -z "$bad" ]; then
		echo "ok $n - $(basename "$cap")" > "$tmp/res/$n"
	else
		echo "not ok $n - $(basename "$cap"):$bad" > "$tmp/res/$n"
	fi
}
# The captures are independent and each run is one process on one core:
# one shard of them per core ($TL_JOBS), the results printed in order.
jobs=${TL_JOBS:-$(nproc 2>/dev/null || echo 1)}
mkdir "$tmp/res" || exit 99
for j in $(seq 0 $((jobs - 1))); do
	n=0
	while IFS= read -r cap; do
		n=$((n + 1))
		[ $((n % jobs)) -eq "$j" ] && check "$n" "$cap"
	done < "$tmp/list" &
done
wait
n=0 failed=0
while IFS= read -r cap; do
	n=$((n + 1))
	[ -f "$tmp/res/$n.why" ] && cat "$tmp/res/$n.why"
	if [ -f "$tmp/res/$n" ]; then
		cat "$tmp/res/$n"
		grep -q '^not ok' "$tmp/res/$n" && failed=$((failed + 1))
	else
		failed=$((failed + 1))
		echo "not ok $n - $(basename "$cap"): no result"
	fi
done < "$tmp/list"
[ "$failed" -eq 0 ]
