#!/usr/bin/env bash
# bench/run.sh - tcpladder throughput benchmark (issue 5).
#
# Builds the harness into bench/build/, generates deterministic captures into
# bench/data/ when they are missing, then measures on the same files, median
# of N runs, wall time and peak RSS:
#   (1) floor       bare pcap_next_ex loop
#   (2) parse_loop  + Ethernet/IP/TCP parse + 4-tuple hash lookup/insert
#   (3) tcpladder   -T tsv and -T text, -Y tcp.analysis.flags -T tsv, and
#                   -T fields with ten fields, output to /dev/null
#   (4) tshark      -T fields (frame.number, tcp.stream, tcp.analysis.flags)
#                   and -z flow,tcp,standard, on a prefix of the file
#   (5) tcpdump -nn and tcptrace -n -l -r
# and writes the table to bench/RESULTS.md between markers, keeping any
# hand-written text (e.g. the "Profile notes" section) around them.
#
# Environment:
#   BENCH_SIZES          files to measure (default "2M 10M"; "200k" is quick)
#   BENCH_RUNS           runs per measurement, median is reported (default 3)
#   BENCH_SEED           generator seed (default 1)
#   BENCH_VARIANT_SIZES  sizes that also get a pcapng and a Linux-cooked copy
#                        (default "200k 2M")
#   BENCH_TSHARK_PREFIX  packets given to tshark (default 200000)
#   BENCH_SKIP           tools to skip: any of floor parse_loop tcpladder
#                        tshark tcpdump tcptrace variants ui many search
#                        dfilter (default none)
#   TCPLADDER            binary under test (default ./tcpladder at repo top)
#   CC, CFLAGS           compiler for the harness (default cc, -O2)
#   BENCH_RESULTS        output file (default bench/RESULTS.md); "-" = none
#   BENCH_MANY           connections of the select-all capture (gen-capture
#                        -m, timed by bench/many-conns.sh; default 100k)
#
# Needs: a C compiler, libpcap headers (libpcap-dev), GNU time (/usr/bin/time)
# for peak RSS. Optional: tshark + editcap, tcpdump, tcptrace. Missing tools are
# skipped with a note; this script never installs anything.
set -euo pipefail

cd "$(dirname "$0")/.."
TOP=$PWD
B=bench
BUILD=$B/build
DATA=$B/data
RUNS=${BENCH_RUNS:-3}
SIZES=${BENCH_SIZES:-"2M 10M"}
SEED=${BENCH_SEED:-1}
VARIANT_SIZES=${BENCH_VARIANT_SIZES:-"200k 2M"}
TSHARK_PREFIX=${BENCH_TSHARK_PREFIX:-200000}
SKIP=" ${BENCH_SKIP:-} "
TCPLADDER=${TCPLADDER:-./tcpladder}
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2}
RESULTS=${BENCH_RESULTS:-$B/RESULTS.md}
MANY=${BENCH_MANY:-100k}

log() { printf '%s\n' "$*" >&2; }
die() { log "run.sh: $*"; exit 1; }
skipped() { [[ $SKIP == *" $1 "* ]]; }
have() { command -v "$1" > /dev/null 2>&1; }

mkdir -p "$BUILD" "$DATA"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tcpladder-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ------------------------------------------------------------------ build --
build() { # out src libs...
    local out=$1 src=$2
    shift 2
    if [[ ! -x $out || $src -nt $out ]]; then
        log "building $out"
        $CC $CFLAGS -o "$out" "$src" "$@" || die "cannot build $out (libpcap-dev installed?)"
    fi
}
build "$BUILD/gen-capture" "$B/gen-capture.c" -lm
build "$BUILD/floor" "$B/floor.c" -lpcap
build "$BUILD/parse_loop" "$B/parse_loop.c" -lpcap

# ------------------------------------------------------------------- data --
count_of() { # 200k -> 200000, 2M -> 2000000
    local s=$1 n m=1
    case $s in
        *[kK]) n=${s%?}; m=1000 ;;
        *[mM]) n=${s%?}; m=1000000 ;;
        *) n=$s ;;
    esac
    [[ $n =~ ^[0-9]+$ ]] || die "bad size '$s' in BENCH_SIZES"
    echo $((n * m))
}

GEN_SUM=$( (cat "$B/gen-capture.c"; echo "seed=$SEED") | cksum | cut -d' ' -f1)

gen() { # file count extra-args...
    local f=$1 n=$2
    shift 2
    local stamp="$GEN_SUM n=$n $*"
    if [[ -f $f && -f $f.stamp && $(cat "$f.stamp") == "$stamp" ]]; then
        return
    fi
    log "generating $f ($n packets $*)"
    local t0
    t0=$(date +%s%N)
    "$BUILD/gen-capture" -q -n "$n" -s "$SEED" "$@" -w "$f.tmp"
    mv "$f.tmp" "$f"
    echo "$stamp" > "$f.stamp"
    log "  done in $(( ($(date +%s%N) - t0) / 1000000 )) ms, $(du -h "$f" | cut -f1)"
}

# ---------------------------------------------------------------- measure --
TIME_BIN=
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' -o /dev/null true 2> /dev/null; then
    TIME_BIN=/usr/bin/time
fi

ROWS=$TMP/rows.tsv # group file tool packets runs wall_s rss_kb note cpu_s
: > "$ROWS"

median() { sort -g | awk '{a[NR]=$1} END{if(NR==0){print "nan"; exit}; if(NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# measure GROUP FILE TOOL PACKETS NOTE -- CMD...   (stdout of CMD -> /dev/null)
measure() {
    local group=$1 file=$2 tool=$3 pk=$4 note=$5
    shift 6
    local i rc walls=() rsss=() cpus=() fail=
    log "  $tool: $* (x$RUNS)"
    for ((i = 0; i < RUNS; i++)); do
        local t0 t1
        t0=$(date +%s%N)
        if [[ -n $TIME_BIN ]]; then
            rc=0
            "$TIME_BIN" -f '%e %M %U %S' -o "$TMP/time" "$@" > /dev/null 2> "$TMP/err" || rc=$?
        else
            rc=0
            "$@" > /dev/null 2> "$TMP/err" || rc=$?
        fi
        t1=$(date +%s%N)
        if ((rc != 0)); then
            local why
            why=$(grep -v -e '^Command exited' -e '^Command terminated' "$TMP/err" | tail -1 | tr '\t|' '  ' | cut -c1-80 || true)
            if ((rc > 128)); then why="killed by signal $((rc - 128))${why:+: $why}"; fi
            fail="FAILED (exit $rc${why:+: $why})"
            log "    $fail"
            break
        fi
        walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b-a)/1e9}')")
        if [[ -n $TIME_BIN ]]; then
            rsss+=("$(tail -1 "$TMP/time" | awk '{print $2}')")
            cpus+=("$(tail -1 "$TMP/time" | awk '{printf "%.2f", $3 + $4}')")
        fi
    done
    local wall=nan rss=nan cpu=nan
    if [[ -z $fail ]]; then
        wall=$(printf '%s\n' "${walls[@]}" | median)
        ((${#rsss[@]})) && rss=$(printf '%s\n' "${rsss[@]}" | median)
        ((${#cpus[@]})) && cpu=$(printf '%s\n' "${cpus[@]}" | median)
        log "    median ${wall}s, peak RSS ${rss} KiB"
    else
        note="$fail${note:+; $note}"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$group" "$file" "$tool" "$pk" "$RUNS" "$wall" "$rss" "$note" "$cpu" >> "$ROWS"
}

note_row() { # GROUP FILE TOOL NOTE
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "-" "0" "nan" "nan" "$4" "nan" >> "$ROWS"
}

TCPLADDER_OK=
TCPLADDER_SUM=
TCPLADDER_RUN=
GIT_TREE=$(git -C "$TOP" describe --always --dirty 2> /dev/null || echo '?')
if skipped tcpladder; then
    :
elif [[ -x $TCPLADDER ]]; then
    TCPLADDER_OK=1
    TCPLADDER_SUM=$(cksum < "$TCPLADDER" | cut -d' ' -f1)
    # measure a snapshot, so that a rebuild during the run cannot mix binaries
    # (a libtool wrapper script is run in place)
    if [[ $(head -c4 "$TCPLADDER" | od -An -c | tr -d ' ') == '177ELF' ]]; then
        cp "$TCPLADDER" "$TMP/tcpladder"
        TCPLADDER_RUN=$TMP/tcpladder
    else
        TCPLADDER_RUN=$TCPLADDER
    fi
fi

HAVE_TSHARK=; have tshark && have editcap && HAVE_TSHARK=1

run_local_tools() { # group file packets
    local g=$1 f=$2 n=$3
    skipped floor || measure "$g" "$f" "(1) floor" "$n" "" -- "$BUILD/floor" "$f"
    skipped parse_loop || measure "$g" "$f" "(2) parse_loop" "$n" "" -- "$BUILD/parse_loop" "$f"
    if skipped tcpladder; then
        :
    elif [[ -n $TCPLADDER_OK ]]; then
        measure "$g" "$f" "(3) tcpladder -T tsv" "$n" "" -- "$TCPLADDER_RUN" -r "$f" -T tsv
        measure "$g" "$f" "(3) tcpladder -T text" "$n" "" -- "$TCPLADDER_RUN" -r "$f" -T text
        # Issue 13: a display filter over the segment table, and ten
        # Wireshark fields.
        measure "$g" "$f" "(3) tcpladder -Y tcp.analysis.flags -T tsv" "$n" "" -- \
            "$TCPLADDER_RUN" -r "$f" -Y tcp.analysis.flags -T tsv
        measure "$g" "$f" "(3) tcpladder -T fields (10 fields)" "$n" "" -- \
            "$TCPLADDER_RUN" -r "$f" -T fields -e frame.number \
            -e frame.time_relative -e ip.src -e tcp.srcport -e ip.dst \
            -e tcp.dstport -e tcp.stream -e tcp.seq -e tcp.len \
            -e tcp.analysis.ack_rtt
    else
        note_row "$g" "$f" "(3) tcpladder" "skipped: $TCPLADDER not found (build it, or set TCPLADDER)"
    fi
}

UI_TIMING_FILE=
for size in $SIZES; do
    n=$(count_of "$size")
    f=$DATA/cap-$size.pcap
    gen "$f" "$n"
    UI_TIMING_FILE=$f   # the largest size, measured last

    variants=
    if [[ " $VARIANT_SIZES " == *" $size "* ]] && ! skipped variants; then
        gen "$DATA/cap-$size.pcapng" "$n" -f pcapng
        gen "$DATA/cap-$size-sll.pcap" "$n" -l sll
        variants="$DATA/cap-$size.pcapng $DATA/cap-$size-sll.pcap"
    fi

    log "measuring $f"
    cat "$f" > /dev/null # warm the page cache: every tool reads from memory
    run_local_tools "$size" "$f" "$n"

    # (4) tshark on a prefix
    if skipped tshark; then
        :
    elif [[ -n $HAVE_TSHARK ]]; then
        pf=$f
        pn=$n
        pnote=
        if ((n > TSHARK_PREFIX)); then
            pf=$DATA/cap-$size.prefix-$TSHARK_PREFIX.pcap
            pn=$TSHARK_PREFIX
            if [[ ! -f $pf || $f -nt $pf ]]; then
                log "  making $pf"
                editcap -r "$f" "$pf.tmp" "1-$TSHARK_PREFIX" 2> /dev/null
                mv "$pf.tmp" "$pf"
            fi
            pnote="first $pn packets only; packets/s extrapolated to the whole file"
        fi
        cat "$pf" > /dev/null
        measure "$size" "$f" "(4) tshark -T fields" "$pn" "$pnote" -- \
            tshark -n -r "$pf" -T fields -e frame.number -e tcp.stream -e tcp.analysis.flags
        measure "$size" "$f" "(4) tshark -z flow,tcp" "$pn" "$pnote" -- \
            tshark -n -q -r "$pf" -z flow,tcp,standard
    else
        note_row "$size" "$f" "(4) tshark" "skipped: tshark/editcap not installed"
    fi

    # (5) tcpdump, tcptrace
    if skipped tcpdump; then :; elif have tcpdump; then
        measure "$size" "$f" "(5) tcpdump -nn" "$n" "" -- tcpdump -nn -r "$f"
    else
        note_row "$size" "$f" "(5) tcpdump" "skipped: tcpdump not installed"
    fi
    if skipped tcptrace; then :; elif have tcptrace; then
        measure "$size" "$f" "(5) tcptrace -l" "$n" "-n added: without it tcptrace stalls on reverse DNS" -- \
            tcptrace -n -l -r "$f"
    else
        note_row "$size" "$f" "(5) tcptrace" "skipped: tcptrace not installed"
    fi

    for vf in $variants; do
        log "measuring $vf"
        cat "$vf" > /dev/null
        run_local_tools "$size" "$vf" "$n"
    done
done

# ----------------------------------------------------------------- report --
cpu_model=$(awk -F': *' '/^model name/{print $2; exit}' /proc/cpuinfo 2> /dev/null || true)
[[ -n $cpu_model ]] || cpu_model=$(uname -m)
mem=$(awk '/^MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo 2> /dev/null || echo "?")
{
    libpcap_v=$(tcpdump --version 2>&1 | awk '/libpcap version/{print $3; exit}' || true)
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) CPUs, $cpu_model, $mem RAM, $(uname -sr)"
    tl_v="tcpladder: not measured"
    if [[ -n $TCPLADDER_OK ]]; then
        tl_v="tcpladder ($TCPLADDER, cksum $TCPLADDER_SUM, tree $GIT_TREE at start)"
    fi
    ts_v="no tshark"; have tshark && ts_v=$(tshark --version 2> /dev/null | head -1 | sed 's/ (Git.*//')
    td_v="no tcpdump"; have tcpdump && td_v=$(tcpdump --version 2>&1 | head -1)
    tt_v="no tcptrace"; have tcptrace && tt_v="tcptrace $(tcptrace -v 2>&1 | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -1)"
    echo "- tools: $tl_v; libpcap ${libpcap_v:-?}; $ts_v; $td_v; $tt_v; $($CC --version | head -1)"
    echo "- settings: BENCH_SIZES=\"$SIZES\" BENCH_RUNS=$RUNS BENCH_SEED=$SEED BENCH_TSHARK_PREFIX=$TSHARK_PREFIX"
} > "$TMP/machine.md"

awk -F'\t' '
function fmt(x, d) { return (x == "nan" || x == "") ? "-" : sprintf("%." d "f", x) }
function si(x) { if (x == "nan" || x == "") return "-"; if (x >= 1e6) return sprintf("%.2f M", x/1e6); if (x >= 1e3) return sprintf("%.1f k", x/1e3); return sprintf("%.0f", x) }
{
    g[NR]=$1; f[NR]=$2; t[NR]=$3; n[NR]=$4; r[NR]=$5; w[NR]=$6; m[NR]=$7; note[NR]=$8; c[NR]=$9
    pps[NR] = (w[NR] != "nan" && w[NR] > 0 && n[NR] != "-") ? n[NR] / w[NR] : "nan"
    if (t[NR] == "(1) floor") floor[f[NR]] = pps[NR]
    if (t[NR] == "(2) parse_loop") { pl[f[NR]] = pps[NR]; plc[f[NR]] = c[NR] }
    if (t[NR] == "(4) tshark -T fields") tsh[g[NR]] = pps[NR]
}
END {
    print "| file | tool | packets | runs | wall s (median) | CPU s (median) | packets/s | × floor | × parse_loop | × parse_loop CPU | × tshark | peak RSS MiB | RSS B/packet | note |"
    print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for (i = 1; i <= NR; i++) {
        p = pps[i]
        fl = floor[f[i]]; pq = pl[f[i]]; ts = tsh[g[i]]
        xf = (p != "nan" && fl != "" && fl != "nan") ? fmt(fl / p, 2) : "-"
        xp = (p != "nan" && pq != "" && pq != "nan") ? fmt(pq / p, 2) : "-"
        xt = (p != "nan" && ts != "" && ts != "nan") ? fmt(p / ts, 1) : "-"
        pc = plc[f[i]]
        xc = (c[i] != "nan" && c[i] > 0 && pc != "" && pc != "nan" && n[i] != "-") ? fmt(c[i] / pc, 2) : "-"
        mib = (m[i] != "nan") ? fmt(m[i] / 1024, 1) : "-"
        bpp = (m[i] != "nan" && n[i] != "-" && n[i] > 0) ? fmt(m[i] * 1024 / n[i], 1) : "-"
        fname = f[i]; sub(/.*\//, "", fname)
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", fname, t[i], (n[i] == "-" ? "-" : si(n[i])), r[i], fmt(w[i], 3), fmt(c[i], 2), si(p), xf, xp, xc, xt, mib, bpp, note[i]
    }
}' "$ROWS" > "$TMP/table.md"

{
    echo "<!-- BEGIN bench/run.sh output: regenerated on every run, edit outside the markers -->"
    echo "## Results"
    echo
    cat "$TMP/machine.md"
    echo
    cat "$TMP/table.md"
    echo
    echo "Columns: wall time is the median of the runs, measured around the whole process (start-up included), with the file in the page cache;"
    echo "CPU s = user + system seconds of all the process's threads (tcpladder reads a file ahead on a second thread, so its wall time can be less than its CPU time);"
    echo "packets/s = packets / wall time; × floor and × parse_loop = how many times slower than (1) and (2) on the same file (per packet), by wall time; × parse_loop CPU = the same by CPU time (same packets; tshark rows read a prefix, so theirs is not comparable);"
    echo "× tshark = how many times faster than \`tshark -T fields\` per packet (tshark reads a prefix of the file, see note);"
    echo "peak RSS = max resident set size from GNU time; RSS B/packet = peak RSS / packets read."
    echo "Files are made by bench/gen-capture (seed $SEED): Ethernet pcap, snap length 128, plus a pcapng and a Linux-cooked (SLL) copy of the same traffic for the sizes in BENCH_VARIANT_SIZES."
    if [[ -n ${UI_TIMING_FILE:-} && -n ${TCPLADDER_OK:-} ]] && have tmux && ! skipped ui; then
        echo
        echo "### The full-screen view (bench/ui-timing.sh under tmux, 120x40)"
        echo
        echo '```'
        bash "$B/ui-timing.sh" "$UI_TIMING_FILE" "${TCPLADDER_RUN:-$TCPLADDER}" 2>&1
        echo
        UI_ARGS='--max-memory 64M' bash "$B/ui-timing.sh" "$UI_TIMING_FILE" "${TCPLADDER_RUN:-$TCPLADDER}" 2>&1
        echo '```'
    fi
    if [[ -n ${TCPLADDER_OK:-} ]] && have tmux && ! skipped many; then
        many_n=$(count_of "$MANY")
        gen "$DATA/many-$MANY.pcap" 0 -m "$many_n"
        echo
        echo "### Select-all on $MANY connections (bench/many-conns.sh under tmux, 120x40; goal: Enter under 500 ms)"
        echo
        echo '```'
        bash "$B/many-conns.sh" "$DATA/many-$MANY.pcap" "${TCPLADDER_RUN:-$TCPLADDER}" 2>&1
        echo '```'
    fi
    if [[ -x $B/search ]] && ! skipped search; then
        echo
        echo "### Search with no match over 10M segments (bench/search, best of 3)"
        echo
        echo "A text query (\"no such text\") decides once that it cannot be in a label or an address, so no label is formatted;"
        echo "a query made of label characters (\"Win=99999\") formats every label."
        echo
        echo '```'
        "$B/search" 10000000 2>&1
        echo '```'
    fi
    if [[ -x $B/dfilter ]] && ! skipped dfilter; then
        echo
        echo "### Display filters in the view over 10M segments (bench/dfilter, best of 3; goal: under 0.5 s)"
        echo
        echo "What the connection list's / does: every kept segment through tl_dfilter_match_seg."
        echo
        echo '```'
        "$B/dfilter" 10000000 2>&1
        echo '```'
    fi
    echo "<!-- END bench/run.sh output -->"
} > "$TMP/generated.md"

cat "$TMP/generated.md"

if [[ $RESULTS != - ]]; then
    BEGIN_RE='^<!-- BEGIN bench/run.sh output'
    END_RE='^<!-- END bench/run.sh output'
    if [[ -f $RESULTS ]] && grep -q "$BEGIN_RE" "$RESULTS" && grep -q "$END_RE" "$RESULTS"; then
        awk -v gen="$TMP/generated.md" -v b="$BEGIN_RE" -v e="$END_RE" '
            $0 ~ b { while ((getline l < gen) > 0) print l; skip = 1; next }
            $0 ~ e { skip = 0; next }
            !skip { print }' "$RESULTS" > "$TMP/results.md"
    else
        {
            echo "# tcpladder benchmark results"
            echo
            echo "Made by \`bench/run.sh\` (see the comment at its top; quick run: \`BENCH_SIZES=200k bench/run.sh\`)."
            echo "The section between the markers is regenerated; everything else is hand-written and kept."
            echo
            cat "$TMP/generated.md"
            echo
            if [[ -f $RESULTS ]] && grep -q '^## Profile notes' "$RESULTS"; then
                sed -n '/^## Profile notes/,$p' "$RESULTS"
            else
                echo "## Profile notes"
                echo
                echo "_Hand-written (perf, callgrind, heap notes); bench/run.sh keeps this section as it is._"
            fi
        } > "$TMP/results.md"
    fi
    cp "$TMP/results.md" "$RESULTS"
    log "wrote $RESULTS"
fi
