#!/bin/sh
# text-width.sh -- --width bounds -T text: no line of any capture in
# tests/data (all its folders) is wider than --width (60, 80, 120, 200
# columns), no Wireshark word ("[TCP ...]") is broken across lines, and
# the application labels wrapped onto lines of their own keep every
# number (the HTTP/2 head-of-line capture). Prints TAP.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
exec python3 - "$TCPLADDER" "$srcdir" <<'PY'
import glob, os, subprocess, sys
binary, top = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(top + "/tests/data/**/*.pcap*", recursive=True))
env = dict(os.environ, LC_ALL="C.UTF-8")
n = failed = 0
for w in (60, 80, 120, 200):
    for f in files:
        n += 1
        out = subprocess.run([binary, "-r", f, "-T", "text", "--width", str(w)],
                             capture_output=True, env=env).stdout
        bad = ""
        for i, l in enumerate(out.decode("utf-8", "replace").split("\n")):
            if len(l) > w:
                bad = "line %d is %d wide" % (i + 1, len(l))
                break
            s = l.rfind("[TCP ")
            if s >= 0 and "]" not in l[s:]:
                bad = "line %d breaks a word: %s" % (i + 1, l[s:])
                break
        name = "--width %d %s" % (w, os.path.basename(f))
        if bad:
            failed += 1
            print("not ok %d - %s: %s" % (n, name, bad))
        else:
            print("ok %d - %s" % (n, name))
# Wrapped, not cut: joined again, the lines hold each label whole.
for w in (60, 80):
    out = subprocess.run([binary, "-r", top + "/tests/data/app/h2-hol.pcap",
                          "-T", "text", "--width", str(w)],
                         capture_output=True, env=env).stdout.decode()
    flat = " ".join(l.strip(" \u2502") for l in out.split("\n"))
    flat = " ".join(flat.split())
    n += 1
    want = ["DATA[1] len=1024 END_STREAM", "releases frame 7 (2057 B)",
            "frame 7: DATA[3] len=2048 END_STREAM, (held until frame 9)",
            "2057 bytes held back", "[3] GET /files/2KB"]
    missing = [x for x in want if x not in flat]
    if missing:
        failed += 1
        print("not ok %d - --width %d h2-hol.pcap keeps %s" % (n, w, missing))
    else:
        print("ok %d - --width %d h2-hol.pcap: labels wrapped whole" % (n, w))
print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
