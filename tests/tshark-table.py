#!/usr/bin/env python3
"""Print tshark's view of a capture as tcpladder's segment table (`-T tsv`).

Usage:  tests/tshark-table.py [--dense-stream] [--tshark PATH] CAPTURE
        tests/tshark-table.py [--dense-stream] --out-dir DIR [--list FILE]
                              CAPTURE...

The second form (captures named, and/or one a line in FILE, in that
order) writes the i-th capture's table (from 1) to DIR/i.tsv,
what it would print on stderr to DIR/i.err and its exit status to
DIR/i.rc, several captures at a time ($TL_JOBS, default one per core);
it exits 0 when every one did.

Output (stdout): exactly the table of docs/segment-table.md -- a header line

    frame time stream src srcport dst dstport flags seq ack len win analysis

(tab-separated) and one row per TCP segment in capture order.  It is the
reference that tcpladder's `-T tsv` output is compared with.

How each column is obtained (one `tshark -n -r FILE -T fields` run, the
one tests/tshark_dump.py makes for the fields test too):

  frame     frame.number (every packet counts, TCP or not)
  time      frame.time_relative (nanoseconds as printed by tshark) rounded
            to microseconds, round half up (towards +inf) on the nanosecond
            integer: floor((ns + 500) / 1000).  Negative values (packets
            out of time order) keep their sign: -0.000001500 -> -0.000001,
            -0.000000400 -> 0.000000 (never "-0.000000").
  stream    tcp.stream as tshark numbers it (see "ICMP" below;
            --dense-stream renumbers densely in order of first appearance
            of the rows printed).
  src/dst   ip.src/ip.dst or ipv6.src/ipv6.dst of the IP header that
            directly encloses the TCP header (see "Tunnels").
  flags     tcp.flags bits as FIN SYN RST PSH ACK URG ECE CWR joined by '|',
            '-' if none (the AE/NS bit 0x100 is not a column flag).
  seq       tcp.seq (relative, tshark default)
  ack       tcp.ack (relative) when the ACK flag is set, else 0
  len       tcp.len (from the IP lengths, not the captured length)
  win       tcp.window_size (scaled as tshark does)
  analysis  names of the present tcp.analysis.<name> fields, alphabetical,
            comma-joined, '-' if none.

Which packets get a row -- only real TCP segments:

  * ICMP/ICMPv6 error payloads: tshark dissects the quoted IP+TCP header
    inside an ICMP error as TCP.  It does not run sequence analysis on it,
    shows the raw (absolute) seq, and leaves tcp.len empty, BUT it does
    look up / create the TCP conversation once the quote holds 16 bytes of
    TCP header: an ICMP error quoting a flow that was not seen before
    consumes a tcp.stream index.  Such packets have no row (a packet is
    skipped when any icmp/icmpv6 layer comes before its first tcp layer in
    frame.protocols); the stream numbers are tshark's, gaps included
    (tcpladder opens a connection for such a quote too).
  * Truncated TCP header (snap length): tshark reads the fixed header
    field by field; if the capture ends before the whole header
    (th_off*4 bytes, options included) the TCP dissector stops with a
    "[Packet size limited during capture: TCP truncated]" exception.
    When the fixed fields up to the window (16 bytes) are there it still
    prints tcp.stream, tcp.flags, seq, ack, len and window, and analyses
    the segment (later segments are judged relative to it), but shows no
    analysis field for it: such a packet has a row with analysis '-'.
    A packet is skipped when tcp.flags is absent (the cut came earlier).
    A truncated *payload* (header complete) keeps its row and its true
    len.
  * Tunnels (IP-in-IP, GRE, 6in4, VXLAN ...): tshark dissects the inner
    TCP and files it in the same conversation as the same 4-tuple seen
    without encapsulation (the encapsulation is ignored for tcp.stream and
    for the analysis).  We print the addresses of the IP header directly
    before the TCP header (the innermost one), i.e. the last ip/ipv6
    layer before the first tcp layer in frame.protocols.  If a packet
    carries TCP inside TCP, only the outer (first) TCP header is used.
  * IP fragments: tshark reassembles IPv4/IPv6 fragments by default and
    shows the TCP segment on the frame that completes the datagram; the
    other fragments have no TCP layer and no row.  A fragment the snap
    length cut is never added, so its datagram never completes; when it
    is the first one, tshark reads the TCP header in it without analysis
    (absolute seq, tcp.len empty), filing it under its connection as it
    does an ICMP quote: no row either.

tshark runs with WIRESHARK_CONFIG_DIR pointing at an empty directory so
that personal preferences cannot change the analysis (4.0 defaults: the
sequence analysis and relative sequence numbers are on), and with -n (no
name resolution).

Exit status: 0 ok; 2 usage or tshark missing; 3 tshark failed (rows that
tshark did print are still written, e.g. for a capture that is cut short).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_dump  # noqa: E402  (the one tshark run, shared with fields)

ANALYSIS = tshark_dump.ANALYSIS
FLAGNAMES = [(0x01, "FIN"), (0x02, "SYN"), (0x04, "RST"), (0x08, "PSH"),
             (0x10, "ACK"), (0x20, "URG"), (0x40, "ECE"), (0x80, "CWR")]
HEADER = ("frame\ttime\tstream\tsrc\tsrcport\tdst\tdstport\tflags\tseq\t"
          "ack\tlen\twin\tanalysis")

FIELDS = tshark_dump.TABLE_FIELDS
IDX = tshark_dump.INDEX
ICMP_LAYERS = ("icmp", "icmpv6")


def fmt_time(s):
    """'1.234567890' -> '1.234568' (round half up on the ns integer)."""
    s = s.strip()
    neg = s.startswith("-")
    if neg or s.startswith("+"):
        s = s[1:]
    ip_, _, fp = s.partition(".")
    fp = (fp + "000000000")[:9]
    ns = int(ip_ or "0") * 1000000000 + int(fp)
    if neg:
        ns = -ns
    us = (ns + 500) // 1000          # floor division: half up towards +inf
    sign = "-" if us < 0 else ""
    us = abs(us)
    return "%s%d.%06d" % (sign, us // 1000000, us % 1000000)


def fmt_flags(hexstr):
    v = int(hexstr, 16)
    names = [n for bit, n in FLAGNAMES if v & bit]
    return "|".join(names) if names else "-"


def first(val):
    return val.split(",", 1)[0] if val else ""


def nth(val, n):
    parts = val.split(",") if val else []
    return parts[n] if 0 <= n < len(parts) else ""


def pick_addrs(protos, cols):
    """Addresses of the IP layer directly before the first tcp layer.
    Returns (src, dst) or None if this is not a real TCP segment."""
    layers = protos.split(":")
    try:
        t = layers.index("tcp")
    except ValueError:
        return None
    before = layers[:t]
    if any(l in ICMP_LAYERS for l in before):
        return None
    for i in range(t - 1, -1, -1):
        l = before[i]
        if l in ("ip", "ipv6"):
            k = before[:i].count(l)          # occurrence index of that layer
            if l == "ip":
                return (nth(cols[IDX["ip.src"]], k),
                        nth(cols[IDX["ip.dst"]], k))
            return (nth(cols[IDX["ipv6.src"]], k),
                    nth(cols[IDX["ipv6.dst"]], k))
    return None                              # TCP without IP: not ours


def table(path, exe, raw_stream=True):
    """The table of one capture: (lines, tshark's stderr lines worth
    showing, exit status as main's)."""
    rows, err, rc = tshark_dump.dump(path, exe)
    out = [HEADER]
    streams = {}
    for cols in rows:
        protos = cols[IDX["frame.protocols"]]
        if "tcp" not in protos.split(":"):
            continue
        flags = first(cols[IDX["tcp.flags"]])
        if not flags:
            continue
        addrs = pick_addrs(protos, cols)
        if addrs is None:
            continue
        # No length: a first fragment tshark never reassembled (see
        # "IP fragments" above).
        if not first(cols[IDX["tcp.len"]]):
            continue
        st = first(cols[IDX["tcp.stream"]])
        if not raw_stream:
            st = streams.setdefault(st, len(streams))
        fl = int(flags, 16)
        ack = first(cols[IDX["tcp.ack"]]) if fl & 0x10 else "0"
        an = [n for n in ANALYSIS
              if first(cols[IDX["tcp.analysis." + n]])]
        row = [cols[IDX["frame.number"]],
               fmt_time(first(cols[IDX["frame.time_relative"]])),
               str(st), addrs[0], first(cols[IDX["tcp.srcport"]]),
               addrs[1], first(cols[IDX["tcp.dstport"]]),
               fmt_flags(flags), first(cols[IDX["tcp.seq"]]),
               ack or "0", first(cols[IDX["tcp.len"]]),
               first(cols[IDX["tcp.window_size"]]),
               ",".join(an) if an else "-"]
        out.append("\t".join(row))
    errlines = [l for l in err.splitlines()
                if "dangerous" not in l and l.strip()]
    if rc != 0:
        msgs = ["tshark-table.py: tshark exited with %d" % rc]
        msgs += ["  " + l for l in errlines]
        return out, msgs, 3
    return out, ["tshark: " + l for l in errlines], 0


def batch(out_dir, exe, raw_stream, paths):
    """The tables of many captures, several at a time: the i-th (from 1)
    in OUT_DIR/i.tsv, its messages in i.err, its exit status in i.rc."""
    def one(item):
        i, path = item
        if not os.path.exists(path):
            lines, msgs, rc = [], ["tshark-table.py: %s: no such file" % path], 2
        else:
            lines, msgs, rc = table(path, exe, raw_stream)
        base = os.path.join(out_dir, str(i))
        for ext, text in (("tsv", lines), ("err", msgs)):
            with open(base + "." + ext, "w") as f:
                f.write("".join(l + "\n" for l in text))
        with open(base + ".rc", "w") as f:
            f.write("%d\n" % rc)
        return rc
    rcs = tshark_dump.in_parallel(one, list(enumerate(paths, 1)))
    return 0 if all(rc == 0 for rc in rcs) else max(rcs)


def main(argv):
    raw_stream = True
    tshark = None
    out_dir = None
    args = list(argv)
    paths = []
    while args:
        a = args.pop(0)
        if a == "--raw-stream":
            raw_stream = True
        elif a == "--dense-stream":
            raw_stream = False
        elif a == "--tshark" and args:
            tshark = args.pop(0)
        elif a == "--out-dir" and args:
            out_dir = args.pop(0)
        elif a == "--list" and args:
            with open(args.pop(0)) as f:
                paths += [l.rstrip("\n") for l in f if l.strip()]
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-") and a != "-":
            sys.stderr.write("tshark-table.py: unknown option %s\n" % a)
            return 2
        else:
            paths.append(a)
    if (not paths and out_dir is None) or (len(paths) > 1 and
                                            out_dir is None):
        sys.stderr.write("usage: tshark-table.py [--dense-stream] CAPTURE\n"
                         "       tshark-table.py [--dense-stream] --out-dir "
                         "DIR [--list FILE] CAPTURE...\n")
        return 2
    exe = tshark_dump.tshark_path(tshark)
    if exe is None:
        sys.stderr.write("tshark-table.py: tshark not found (%s); install "
                         "tshark (Wireshark 4.0) or set TSHARK\n"
                         % (tshark or os.environ.get("TSHARK") or "tshark"))
        return 2
    if out_dir is not None:
        return batch(out_dir, exe, raw_stream, paths)
    path = paths[0]
    if not os.path.exists(path):
        sys.stderr.write("tshark-table.py: %s: no such file\n" % path)
        return 2
    lines, msgs, rc = table(path, exe, raw_stream)
    sys.stdout.write("".join(l + "\n" for l in lines))
    sys.stdout.flush()
    for l in msgs:
        sys.stderr.write(l + "\n")
    return rc


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        sys.exit(0)
