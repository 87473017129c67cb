#!/bin/sh
# text-width.sh -- --width bounds -T text: no line of any capture in
# tests/data is wider than --width (60, 80, 120, 200 columns), and no
# Wireshark word ("[TCP ...]") is broken across lines. Prints TAP.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
exec python3 - "$TCPLADDER" "$srcdir" <<'PY'
import glob, os, subprocess, sys
binary, top = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(top + "/tests/data/*.pcap*") +
               glob.glob(top + "/tests/data/ppa/*.pcapng") +
               glob.glob(top + "/tests/data/synth/*.pcap"))
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
print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
