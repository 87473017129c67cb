#!/usr/bin/python3
"""follow-check.py TCPLADDER FILE... -- for every connection of every file,
`tcpladder -q -z follow,tcp,MODE,N` must equal tshark's output byte for
byte, in raw and ascii (and hex) modes.

One tshark run and one tcpladder run per file and mode, with one -z per
connection: both print the sections last -z first, so the two outputs are
compared whole, then section by section to name the connections that
differ.

Streams: tshark gives a stream index to the TCP header quoted in an ICMP
error too (tests/data/README.md), and so does tcpladder: the streams that
have a real segment are compared, by their numbers, which must agree.

Prints TAP; exits 1 when a connection differs."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

MODES = ("raw", "ascii", "hex")
RULE = "=" * 67


def sections(data):
    """Follow output cut into sections keyed by (mode, stream); what comes
    before the first one (tshark's fields) is returned too."""
    parts = data.split(b"\n" + RULE.encode() + b"\nFollow: tcp,")
    out = {}
    for p in parts[1:]:
        m = re.match(rb"(\w+)\nFilter: tcp\.stream eq (\d+)\n", p)
        out[(m.group(1).decode(), int(m.group(2)))] = p[m.end():]
    return parts[0], out


def run(cmd):
    r = subprocess.run(cmd, capture_output=True)
    return r.returncode, r.stdout, r.stderr


def zs(modes, streams):
    z = []
    for mode in modes:
        for s in streams:
            z += ["-z", "follow,tcp,%s,%d" % (mode, s)]
    return z


def check_file(binary, path):
    """Compares one file; returns (connections, sections, problems) or None
    when it has no TCP segment."""
    # Our connections, then tshark once: the stream of every real
    # segment (not ICMP quotes) and the sections, with room for the
    # numbers ICMP quotes take.
    rc, tsv, _ = run([binary, "-r", path, "-T", "tsv"])
    ours = sorted({int(l.split(b"\t")[2]) for l in
                   tsv.splitlines()[1:] if l.count(b"\t") > 3})
    if not ours:
        return None
    modes = MODES if len(ours) <= 40 else MODES[:2]
    margin = 8
    while True:
        want_streams = range(len(ours) + margin)
        _, tout, _ = run(["tshark", "-r", path, "-Y",
                          "tcp && !icmp && !icmpv6", "-T", "fields",
                          "-e", "tcp.stream"] + zs(modes, want_streams))
        head, ts = sections(tout)
        theirs = sorted({int(x) for x in head.split()
                         if x.strip().isdigit()})
        if not theirs or theirs[-1] < len(ours) + margin:
            break
        margin = theirs[-1] + 1 - len(ours)
    rc, gout, err = run([binary, "-r", path, "-q"] + zs(modes, ours))
    _, gs = sections(gout)
    bad = []
    total = 0
    if theirs != ours:
        bad.append("tshark's streams with segments %s, tcpladder's %s"
                   % (theirs[:10], ours[:10]))
    for mode in modes:
        for s in ours:
            total += 1
            t = ts.get((mode, s))
            if t is None or gs.get((mode, s)) != t:
                bad.append("%s,%d" % (mode, s))
    if rc not in (0, 1):
        bad.append("exit %d: %s" % (rc, err.decode(errors="replace")
                                     .strip()[:200]))
    return len(ours), "/".join(modes), total, bad


def main():
    binary = sys.argv[1]
    files = sys.argv[2:]
    n = failed = total = 0
    # One file per core: tshark's start dominates.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = pool.map(lambda p: (p, check_file(binary, p)), files)
        for path, r in results:
            if r is None:
                continue
            conns, modes, sections_done, bad = r
            n += 1
            total += sections_done
            if not bad:
                print("ok %d - %s: %d connections, %s" % (n, path, conns,
                                                         modes))
            else:
                failed += 1
                print("not ok %d - %s: %s differ" % (n, path, bad[:12]))
            sys.stdout.flush()
    print("1..%d" % n)
    print("# %d sections compared" % total)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
