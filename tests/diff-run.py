#!/usr/bin/env python3
"""Differential run against tshark 4.0 on generated captures.

Usage:  tests/diff-run.py TCPLADDER FIRST_SEED COUNT [OUTDIR] [--plain]
        [--filters FILE] [--filters-only] [--keep]

For each seed, tests/data/tools/randcap.py writes a capture; then
  * `-T tsv` is compared with tests/tshark-table.py (every column), and
  * `-T fields` with every field of the table (tests/fields-compare.py).
With --filters FILE, every filter of FILE (one a line, # comments) is run
on the captures merged into one pcapng, and the frames `-Y` selects are
compared with `tshark -Y` per (capture, filter) pair.
Prints one line per disagreement and totals at the end.  Not part of make
check (it is slow: minutes); tests/data/random/ keeps a few seeds that are.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "data", "tools", "randcap.py")


def sh(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace", **kw)
    return p.returncode, p.stdout, p.stderr


def tsv_compare(ours, cap):
    _, want, _ = sh([sys.executable, os.path.join(HERE, "tshark-table.py"),
                     cap])
    rc, got, err = sh([ours, "-r", cap, "-T", "tsv"])
    w, g = want.splitlines(), got.splitlines()
    wm = {l.split("\t")[0]: l for l in w[1:]}
    gm = {l.split("\t")[0]: l for l in g[1:]}
    cols = w[0].split("\t") if w else []
    bad = []
    for fr in sorted(set(wm) | set(gm), key=lambda x: int(x or 0)):
        a, b = wm.get(fr), gm.get(fr)
        if a == b:
            continue
        if a is None or b is None:
            bad.append((fr, "row", a or "(none)", b or "(none)"))
            continue
        for c, x, y in zip(cols, a.split("\t"), b.split("\t")):
            if x != y:
                bad.append((fr, c, x, y))
    return len(wm), bad, err.strip()


def main(argv):
    plain = "--plain" in argv
    keep = "--keep" in argv
    only_filters = "--filters-only" in argv
    filters = None
    if "--filters" in argv:
        i = argv.index("--filters")
        filters = argv[i + 1]
        del argv[i:i + 2]
    argv = [a for a in argv if not a.startswith("--")]
    ours, first, count = argv[0], int(argv[1]), int(argv[2])
    out = argv[3] if len(argv) > 3 else tempfile.mkdtemp(prefix="diff-run-")
    os.makedirs(out, exist_ok=True)
    rows = rows_bad = cells = cells_bad = 0
    bycause = {}
    caps = []
    for seed in range(first, first + count):
        cap = os.path.join(out, "r%d.pcapng" % seed)
        rc, _, err = sh(["/usr/bin/python3", GEN, str(seed), cap] +
                        (["--plain"] if plain else []))
        if rc:
            print("seed %d: generator failed: %s" % (seed, err[-300:]))
            continue
        caps.append((seed, cap))
        if only_filters:
            continue
        n, bad, err = tsv_compare(ours, cap)
        rows += n
        frames = set()
        for fr, c, x, y in bad:
            frames.add(fr)
            key = "tsv." + c
            bycause.setdefault(key, []).append((seed, fr, x, y))
        rows_bad += len(frames)
        rc, fo, _ = sh([sys.executable, os.path.join(HERE,
                                                     "fields-compare.py"),
                        ours, cap])
        for line in fo.splitlines():
            f = line.split("\t")
            if f[0] == "rows":
                cells += int(f[3])
                cells_bad += int(f[5])
            else:
                bycause.setdefault(f[0], []).append((seed, f[2], f[1], ""))
        if bad or rc:
            print("seed %d: %d tsv rows differ%s" % (
                seed, len(frames), ", fields differ" if rc else ""),
                flush=True)
    print("# %d segments, %d tsv rows differ; %d cells, %d differ" % (
        rows, rows_bad, cells, cells_bad))
    for k, v in sorted(bycause.items(), key=lambda kv: -len(kv[1])):
        print("%-34s %4d  e.g. seed %s %s %s %s" % (
            (k, len(v)) + tuple(v[0])))
    if filters:
        filter_pairs(ours, caps, filters, out)
    if not keep and len(argv) <= 3:
        import shutil
        shutil.rmtree(out)


def filter_pairs(ours, caps, ffile, out):
    """Merge the captures, run each filter once on both sides, compare the
    frames chosen per (capture, filter) pair."""
    merged = os.path.join(out, "merged.pcapng")
    sh(["mergecap", "-a", "-w", merged] + [c for _, c in caps])
    # frame ranges per capture
    ranges = []
    start = 1
    for seed, c in caps:
        rc, o, _ = sh(["capinfos", "-M", "-c", "-T", "-r", c])
        n = int(o.strip().split("\t")[-1]) if o.strip() else 0
        ranges.append((seed, start, start + n - 1))
        start += n
    rc, rows, _ = sh([ours, "-r", merged, "-T", "fields", "-e",
                      "frame.number"])
    shown = set(rows.split())
    flist = []
    for ff in ffile.split(","):
        flist += [l.strip() for l in open(ff) if l.strip() and
                  not l.startswith("#")]
    pairs = bad = 0
    env = dict(os.environ, LC_ALL="C.UTF-8")
    for f in flist:
        rc, o, _ = sh(["tshark", "-n", "-r", merged, "-Y", "tcp && (%s)" % f,
                       "-T", "fields", "-e", "frame.number"], env=env)
        want = None if rc else set(o.split()) & shown
        rc2, o2, e2 = sh([ours, "-r", merged, "-Y", f, "-T", "fields", "-e",
                          "frame.number"])
        got = None if rc2 else set(o2.split())
        if want is None or got is None:
            pairs += len(ranges)
            if (want is None) != (got is None):
                bad += len(ranges)
                print("filter %r: tshark %s, tcpladder %s" % (
                    f, "rejects" if want is None else "accepts",
                    "rejects: " + e2.strip() if got is None else "accepts"))
            continue
        for seed, a, b in ranges:
            pairs += 1
            w = {x for x in want if a <= int(x) <= b}
            g = {x for x in got if a <= int(x) <= b}
            if w != g:
                bad += 1
                print("filter %r seed %d: only tshark %s, only tcpladder %s"
                      % (f, seed, sorted(w - g, key=int)[:5],
                         sorted(g - w, key=int)[:5]))
    print("# filters: %d (capture, filter) pairs, %d differ" % (pairs, bad))


if __name__ == "__main__":
    main(sys.argv[1:])
