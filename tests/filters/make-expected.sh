#!/bin/sh
# Writes tests/filters/expected.tsv: tshark 4.0's verdict on every filter
# of filters.list over mix.pcap (tests/filters/README: how mix.pcap was
# made). One line per filter: the filter, a tab, then "error" or the
# frames it selects (space-separated, maybe none). Slow (one tshark run
# per filter); run it again when the list changes.
set -u
dir=$(dirname "$0")
cfg=$(mktemp -d) || exit 1
trap 'rm -rf "$cfg"' EXIT
# list capture expected: the lab's filters on mix.pcap, the analyst's on
# random.pcapng, the HTTP ones on http.pcap (tests/filters/README).
# HTTP_ONLY=1: only the HTTP filters on http.pcap.
sets="filters.list:mix.pcap:expected.tsv analyst.list:random.pcapng:expected-analyst.tsv"
[ -n "${HTTP_ONLY:-}" ] && sets=
for set in $sets http.list:http.pcap:expected-http.tsv; do
	set -- $(echo "$set" | tr : ' ')
	grep -v '^#' "$dir/$1" | grep -v '^$' | while IFS= read -r f; do
		if out=$(WIRESHARK_CONFIG_DIR=$cfg tshark -n -r "$dir/$2" \
		         -Y "$f" -T fields -e frame.number 2>/dev/null); then
			printf '%s\t%s\n' "$f" "$(echo $out)"
		else
			printf '%s\terror\n' "$f"
		fi
	done > "$dir/$3.new" && mv "$dir/$3.new" "$dir/$3"
done
