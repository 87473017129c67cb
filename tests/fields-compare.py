#!/usr/bin/env python3
"""Compare `tcpladder -T fields` with `tshark -T fields` on one capture.

Usage:  tests/fields-compare.py TCPLADDER CAPTURE [FIELD...]

One tshark run and one tcpladder run with every field of the table (or
the FIELDs given), both with -E occurrence=a.  Rows are matched by
frame.number; tshark's rows are only those of real TCP segments, chosen
as tests/tshark-table.py chooses them (no ICMP-quoted headers, no TCP
header cut by the snap length).  Prints one line per field that differs
somewhere ("field<TAB>differing rows<TAB>first frame: tshark | ours"),
then "rows<TAB>N<TAB>cells<TAB>C<TAB>bad<TAB>B".  Exit 0 when every cell
agrees, 1 otherwise, 2 on usage errors, 77 without tshark.

        tests/fields-compare.py --out-dir DIR [--list FILE] TCPLADDER
                                [CAPTURE...]

compares every field of the table on each capture (those one a line in
FILE, then those named), several at a time
($TL_JOBS, default one per core), and writes the i-th capture's report
(from 1) to DIR/i.out.

tshark's run is the one tests/tshark_dump.py makes (every field the
agreement and fields tests read, one command line), so that
tests/bin/tshark's cache answers the second of them.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_dump as td  # noqa: E402  (the one tshark run, shared)

ICMP_LAYERS = ("icmp", "icmpv6")
# The field table's fields (the list is in tests/tshark_dump.py, with the
# agreement test's, so that one tshark run answers both).
FIELDS = td.COMPARE_FIELDS

EXTRA = ["frame.protocols", "_ws.short"]


def run(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, text=True, errors="replace")
    return p.stdout.splitlines()


def tshark_rows(cap, allf):
    """tshark's rows with the columns allf: cut from the shared run when it
    holds them all (it does for the table's fields), else a run of its own
    (FIELD arguments outside the table)."""
    if all(f in td.INDEX for f in allf):
        rows, _, _ = td.dump(cap, td.tshark_path("tshark"))
        return [[r[td.INDEX[f]] for f in allf] for r in rows]
    with tempfile.TemporaryDirectory(prefix="fields-cmp-") as cfg:
        env = dict(os.environ, WIRESHARK_CONFIG_DIR=cfg, LC_ALL="C.UTF-8")
        cmd = ["tshark", "-n", "-r", cap, "-T", "fields", "-E",
               "occurrence=a"]
        for f in allf:
            cmd += ["-e", f]
        out = []
        for line in run(cmd, env):
            cols = line.split("\t")
            out.append(cols + [""] * (len(allf) - len(cols)))
        return out


def compare(ours, cap, fields):
    """The report of one capture (lines) and whether every cell agrees."""
    if fields[0] != "frame.number":
        fields = ["frame.number"] + [f for f in fields if f != "frame.number"]
    allf = fields + EXTRA
    if "tcp.flags" not in fields:
        allf.append("tcp.flags")
    iflags = allf.index("tcp.flags")
    if "tcp.len" not in allf:
        allf.append("tcp.len")
    ilen = allf.index("tcp.len")
    want = {}
    cut = set()
    for cols in tshark_rows(cap, allf):
        protos = cols[len(fields)]
        if "tcp" not in protos.split(":"):
            continue
        if not cols[iflags].split(",")[0]:
            continue
        # A first fragment never reassembled: tshark reads its TCP
        # header without analysis (no tcp.len); no row
        # (tests/tshark-table.py).
        if not cols[ilen].split(",")[0]:
            continue
        # A header cut inside its options has its row (tshark-table.py,
        # the agreement test, compares it), but which of its fields
        # tshark still prints is not settled here yet: left out on
        # both sides.
        if "TCP truncated" in cols[len(fields) + 1]:
            cut.add(cols[0])
            continue
        if any(l in ICMP_LAYERS for l in
                    protos.split(":")[:protos.split(":").index("tcp")]):
            continue
        want[cols[0]] = cols[:len(fields)]
    cmd = [ours, "-r", cap, "-T", "fields", "-E", "occurrence=a"]
    for f in fields:
        cmd += ["-e", f]
    got = {}
    for line in run(cmd):
        cols = line.split("\t")
        if cols[0] in cut:
            continue
        got[cols[0]] = cols + [""] * (len(fields) - len(cols))
    bad = {}
    cells = nbad = 0
    for fr in sorted(set(want) | set(got), key=lambda x: int(x or 0)):
        w = want.get(fr)
        g = got.get(fr)
        for i, f in enumerate(fields):
            wv = w[i] if w else "(no row)"
            gv = g[i] if g else "(no row)"
            cells += 1
            if wv != gv:
                nbad += 1
                if f not in bad:
                    bad[f] = [0, fr, wv, gv]
                bad[f][0] += 1
    lines = ["%s\t%d\tframe %s: %s | %s" % (f, n, fr, wv, gv)
             for f, (n, fr, wv, gv) in bad.items()]
    lines.append("rows\t%d\tcells\t%d\tbad\t%d"
                 % (len(set(want) | set(got)), cells, nbad))
    return lines, nbad == 0


def batch(out_dir, ours, caps):
    """compare() on many captures, several at a time: the i-th report (from
    1) in OUT_DIR/i.out."""
    def one(item):
        i, cap = item
        lines, ok = compare(ours, cap, FIELDS)
        with open(os.path.join(out_dir, "%d.out" % i), "w") as f:
            f.write("".join(l + "\n" for l in lines))
        return ok
    return 0 if all(td.in_parallel(one, list(enumerate(caps, 1)))) else 1


def main(argv):
    out_dir = None
    listed = []
    while len(argv) >= 2 and argv[0] in ("--out-dir", "--list"):
        if argv[0] == "--out-dir":
            out_dir = argv[1]
        else:
            with open(argv[1]) as f:
                listed += [l.rstrip("\n") for l in f if l.strip()]
        argv = argv[2:]
    if out_dir is not None and len(argv) == 1:
        return batch(out_dir, argv[0], listed) if td.tshark_path("tshark") \
            else 77
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    if not td.tshark_path("tshark"):
        return 77
    if out_dir is not None:
        return batch(out_dir, argv[0], listed + argv[1:])
    ours, cap = argv[0], argv[1]
    lines, ok = compare(ours, cap, argv[2:] or FIELDS)
    sys.stdout.write("".join(l + "\n" for l in lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
