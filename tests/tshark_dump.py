"""One `tshark -T fields` run per capture, shared by the tests that compare
tcpladder with tshark 4.0 (tests/tshark-table.py for the agreement test,
tests/fields-compare.py for the fields test).

tshark's start-up is most of the time of those tests, and each used to ask
its own question of the same capture.  Here every field either of them
reads is asked for in one run with one command line, so tests/bin/tshark
(TL_TSHARK_CACHE) answers the second test, and the sanitizer pass, from
the first one's run.  Asking for more fields changes nothing of what
tshark prints for the others: each -e is a column of its own, and the
dissection does not depend on which fields are printed.

The output options are those both scripts used before: tab-separated, all
occurrences joined by ',', no quotes, no header; WIRESHARK_CONFIG_DIR is
an empty directory (personal preferences cannot change the analysis),
LC_ALL=C.UTF-8, -n (no name resolution).

in_parallel() runs a function over many captures on every core: the
comparisons wait on tshark's start-up, one capture at a time left the
second core idle.
"""
import concurrent.futures
import os
import shutil
import subprocess
import tempfile

ANALYSIS = [
    "ack_lost_segment", "duplicate_ack", "fast_retransmission",
    "keep_alive", "keep_alive_ack", "lost_segment", "out_of_order",
    "retransmission", "reused_ports", "spurious_retransmission",
    "window_full", "window_update", "zero_window", "zero_window_probe",
    "zero_window_probe_ack",
]

# The segment table's fields (tests/tshark-table.py).
TABLE_FIELDS = [
    "frame.number", "frame.time_relative", "frame.protocols", "_ws.short",
    "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
    "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq",
    "tcp.ack", "tcp.len", "tcp.window_size",
] + ["tcp.analysis." + n for n in ANALYSIS]

# Every field of tcpladder's field table that the fields test compares
# (tests/fields-compare.py; tests/sanitize-all.sh reads this list too).
COMPARE_FIELDS = """frame.number frame.time_relative frame.time_delta frame.time_epoch
frame.len frame.cap_len ip.src ip.dst ip.addr ip.ttl ip.id ip.len ip.proto
ip.hdr_len ip.flags.df ip.flags.mf ipv6.src ipv6.dst ipv6.addr ipv6.hlim
ipv6.plen ipv6.flow tcp.srcport tcp.dstport tcp.port tcp.stream tcp.len
tcp.seq tcp.seq_raw tcp.ack tcp.ack_raw tcp.nxtseq tcp.hdr_len tcp.flags
tcp.flags.res tcp.flags.ae tcp.flags.cwr tcp.flags.ece tcp.flags.urg
tcp.flags.ack tcp.flags.push tcp.flags.reset tcp.flags.syn tcp.flags.fin
tcp.flags.str tcp.window_size_value tcp.window_size
tcp.window_size_scalefactor tcp.checksum tcp.checksum.status
tcp.urgent_pointer tcp.option_kind tcp.options.mss_val
tcp.options.wscale.shift tcp.options.wscale.multiplier
tcp.options.sack_perm tcp.options.sack_le tcp.options.sack_re
tcp.options.sack.count tcp.options.timestamp.tsval
tcp.options.timestamp.tsecr tcp.options tcp.options.mss tcp.options.wscale
tcp.options.sack tcp.options.timestamp tcp.time_relative tcp.time_delta
tcp.analysis.flags tcp.analysis.acks_frame tcp.analysis.ack_rtt
tcp.analysis.initial_rtt tcp.analysis.bytes_in_flight
tcp.analysis.push_bytes_sent tcp.analysis.duplicate_ack_num
tcp.analysis.duplicate_ack_frame tcp.analysis.rto tcp.analysis.rto_frame
http http.request http.response http.request.method http.request.uri
http.request.version http.host http.response.version http.response.phrase
http.response.code http.content_length http.user_agent http.server
http.content_type http.location http.referer http.connection
""".split() + ["tcp.analysis." + n for n in ANALYSIS]

# The union, each field once, in a fixed order: the command line, and so
# tests/bin/tshark's cache key, is the same for every caller.
ALL_FIELDS = list(dict.fromkeys(TABLE_FIELDS + COMPARE_FIELDS))
INDEX = {f: i for i, f in enumerate(ALL_FIELDS)}


def tshark_path(tshark=None):
    """The tshark to run (PATH lookup of $TSHARK or 'tshark'), or None."""
    return shutil.which(tshark or os.environ.get("TSHARK") or "tshark")


def dump(path, exe):
    """Run tshark once on PATH with every field of ALL_FIELDS.
    Returns (rows, stderr text, exit status); each row is a list of
    len(ALL_FIELDS) strings (short lines padded with empty cells)."""
    cmd = [exe, "-n", "-r", path, "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,",
           "-E", "quote=n", "-E", "header=n"]
    for f in ALL_FIELDS:
        cmd += ["-e", f]
    with tempfile.TemporaryDirectory(prefix="tshark-dump-") as cfg:
        env = dict(os.environ)
        env["WIRESHARK_CONFIG_DIR"] = cfg
        env.pop("WIRESHARK_RUN_FROM_BUILD_DIRECTORY", None)
        env["LC_ALL"] = "C.UTF-8"
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, text=True,
                              errors="replace")
    nf = len(ALL_FIELDS)
    rows = []
    for line in proc.stdout.splitlines():
        cols = line.split("\t")
        if len(cols) < nf:
            cols += [""] * (nf - len(cols))
        rows.append(cols)
    return rows, proc.stderr, proc.returncode


def jobs():
    """How many captures at a time: $TL_JOBS, else one per core."""
    try:
        n = int(os.environ.get("TL_JOBS", ""))
    except ValueError:
        n = 0
    return n if n > 0 else (os.cpu_count() or 1)


def in_parallel(func, items):
    """func(item) for every item, jobs() at a time (threads: the work is
    in the child processes); the results in the items' order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs()) as pool:
        return list(pool.map(func, items))
