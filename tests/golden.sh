#!/bin/sh
# Golden tests: run the real binary on captures and compare with the output
# kept in tests/golden/NAME.out. Cases are in tests/golden/cases.list:
#   NAME  CAPTURE  ARGS...      (CAPTURE relative to the source tree, or
#                               shared:FILE for ../shared/captures/FILE)
# REGEN=1 rewrites the expected files (read the diff before committing!).
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
: "${SHARED_CAPTURES:=$srcdir/../shared/captures}"
dir="$srcdir/tests/golden"
tmp=$(mktemp) || exit 99
trap 'rm -f "$tmp"' EXIT INT TERM
n=0 failed=0 skipped=0
while read -r name cap args; do
	case "$name" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	case "$cap" in
	shared:*) path="$SHARED_CAPTURES/${cap#shared:}" ;;
	*) path="$srcdir/$cap" ;;
	esac
	if [ ! -f "$path" ]; then
		echo "ok $n - $name # SKIP $path not found"
		skipped=$((skipped + 1))
		continue
	fi
	# shellcheck disable=SC2086 # args are word-split on purpose
	TZ=UTC LC_ALL=C.UTF-8 COLUMNS=120 "$TCPLADDER" -r "$path" $args > "$tmp.raw" 2>&1
	echo "exit $?" >> "$tmp.raw"
	# Warnings name the file: keep the name relative to the source tree.
	sed "s|$srcdir/||g" "$tmp.raw" > "$tmp"
	rm -f "$tmp.raw"
	if [ -n "${REGEN:-}" ]; then
		cp "$tmp" "$dir/$name.out"
		echo "ok $n - $name # regenerated"
	elif cmp -s "$tmp" "$dir/$name.out"; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name"
		diff "$dir/$name.out" "$tmp" | head -20 | sed 's/^/#   /'
	fi
done < "$dir/cases.list"
echo "1..$n"
[ "$failed" -eq 0 ]
