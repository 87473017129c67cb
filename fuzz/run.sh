#!/bin/sh
# fuzz/run.sh TARGET...: runs each libFuzzer target for FUZZ_SECONDS (default
# 60) on fuzz/corpus/NAME (built by make-corpus.py when missing) and the
# committed seeds in fuzz/seeds/NAME, with the TCP dictionary.
#
# Exit status: 0 when no target found anything; 1 when one crashed, leaked
# or (unless FUZZ_CI=1) hung or ran out of memory; the inputs are kept in
# FUZZ_ARTIFACTS (default fuzz/artifacts under the build directory). With
# FUZZ_CI=1 only crashes and leaks fail: a slow CI machine's timeouts are
# reported but do not fail the run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
seconds=${FUZZ_SECONDS:-60}
artifacts=${FUZZ_ARTIFACTS:-$PWD/fuzz/artifacts}
corpus=${FUZZ_CORPUS:-$PWD/fuzz/corpus}
mkdir -p "$artifacts"
if [ ! -d "$corpus/file" ] && command -v python3 >/dev/null 2>&1; then
	python3 "$here/make-corpus.py" "$corpus" || echo "fuzz: no corpus made" >&2
fi
status=0
for target in "$@"; do
	name=$(basename "$target")
	short=${name#fuzz_}
	mkdir -p "$corpus/$short"
	seeds=
	[ -d "$here/seeds/$short" ] && seeds=$here/seeds/$short
	log=$artifacts/$name.log
	echo "== $name: $seconds s"
	# Stop at a hang (10 s per input) or 2 GB of memory: both are bugs
	# for a tool that reads one packet at a time.
	"$target" -dict="$here/tcp.dict" -max_total_time="$seconds" \
		-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
		"$corpus/$short" $seeds > "$log" 2>&1
	rc=$?
	grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | sed 's/^/   /'
	tail -1 "$log" | grep -q '^Done' || true
	found=$(ls "$artifacts" | grep -E "^$name-(crash|leak|timeout|oom)-" || true)
	if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
		grep -E 'ERROR: |SUMMARY: |runtime error' "$log" | head -5 | sed 's/^/   /'
		echo "   artifacts: $found" | tr '\n' ' '; echo
		case $found in
		*crash-*|*leak-*) status=1 ;;
		*) if [ "${FUZZ_CI:-0}" = 1 ]; then
			echo "   (timeout or memory limit: reported, not failed, in CI)"
		   else status=1; fi ;;
		esac
		[ -z "$found" ] && [ "${FUZZ_CI:-0}" != 1 ] && status=1
	fi
done
exit $status
