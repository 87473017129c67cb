#!/bin/sh
# sack-text.sh -- SACK blocks in -T text and in the pictures agree with
# tshark 4.0: for every capture in tests/data and ../shared/captures whose
# segments carry SACK blocks, every block tshark shows (tcp.options.sack_le
# and sack_re, relative) is in that frame's -T text label at --width 200,
# 120, 80 and 60 (wrapped onto lines of its own when it must be, never
# dropped: -T text marks nothing cut), in that frame's label of -T svg
# and in its row of the -T html segment table. No line passes --width.
# Prints TAP; skips without tshark.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
: "${SHARED_CAPTURES:=$srcdir/../shared/captures}"
if ! command -v tshark >/dev/null 2>&1; then
	echo "1..0 # SKIP tshark not installed"
	exit 77
fi
exec python3 - "$TCPLADDER" "$srcdir" "$SHARED_CAPTURES" <<'PY'
import glob, html, os, re, subprocess, sys
binary, top, shared = sys.argv[1:4]
files = []
for d in (top + "/tests/data", shared):
    for ext in ("pcap", "pcapng", "cap"):
        files += glob.glob(d + "/**/*." + ext, recursive=True)
files = sorted(set(files))
env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC")
n = failed = 0
checked_blocks = 0

def result(ok, name, why=""):
    global n, failed
    n += 1
    if ok:
        print("ok %d - %s" % (n, name))
    else:
        failed += 1
        print("not ok %d - %s: %s" % (n, name, why))

def tshark_sacks(f):
    out = subprocess.run(["tshark", "-r", f, "-Y", "tcp.options.sack_le",
                          "-T", "fields", "-e", "frame.number",
                          "-e", "tcp.options.sack_le",
                          "-e", "tcp.options.sack_re"],
                         capture_output=True, env=env).stdout.decode()
    sacks = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[1]:
            continue
        le = parts[1].split(",")
        re_ = parts[2].split(",")
        sacks[int(parts[0])] = ["%s-%s" % b for b in zip(le, re_)]
    return sacks

# A row's lines: from the line that names its frame to the next one.
# Lifelines and blanks go, so a label wrapped mid-number reads whole
# again; arrows part what they separate (the endpoint names beside them).
BLANK = re.compile("[\\s\u2502]")
ARROW = re.compile("[\u251c\u2524\u2500\u25b6\u25c0]+")

def text_rows(out):
    rows, cur = {}, None
    for line in out.split("\n"):
        m = re.match(r"^ {0,3}\S* +(\d+) ", line)
        if m and not line.startswith("stream "):
            cur = int(m.group(1))
            rows[cur] = ""
        if cur is not None:
            rows[cur] += BLANK.sub("", ARROW.sub("|", line))
    return rows

def blocks_after_sack(s):
    i = s.find("SACK")
    while i >= 0 and s[i:i + 9] == "SACK_PERM":
        i = s.find("SACK", i + 1)
    if i < 0:
        return []
    m = re.match(r"\d+-\d+(?:,\d+-\d+)*", s[i + 4:].lstrip())
    return m.group(0).split(",") if m else []

# tshark takes seconds a file: it reads the captures that may carry SACK
# blocks, those where tcpladder finds any or whose bytes hold the option
# as stacks send it (NOP, NOP, kind 5, 1 to 4 blocks).
OPTION = re.compile(rb"\x01\x01\x05[\x0a\x12\x1a\x22]")
def rows_of(f):
    p = subprocess.run([binary, "-r", f, "-T", "tsv"], capture_output=True,
                       env=env)
    return {int(l.split("\t", 1)[0])
            for l in p.stdout.decode().splitlines()[1:] if l}

def may_sack(f):
    with open(f, "rb") as fh:
        if OPTION.search(fh.read()):
            return True
    p = subprocess.run([binary, "-r", f, "-T", "fields", "-e",
                        "frame.number", "-Y", "tcp.options.sack_le"],
                       capture_output=True, env=env)
    return bool(p.stdout.strip())

for f in files:
    if not may_sack(f):
        continue
    sacks = tshark_sacks(f)
    # Frames that are no row of their own (a header quoted in an ICMP
    # error, a first fragment cut short: see the agreement test, which
    # checks the rows themselves) are not the ladder's to label.
    rowed = rows_of(f)
    sacks = {k: v for k, v in sacks.items() if k in rowed}
    if not sacks:
        continue
    name = os.path.relpath(f, top) if f.startswith(top) else os.path.basename(f)
    for w in (200, 120, 80, 60):
        p = subprocess.run([binary, "-r", f, "-T", "text", "--width", str(w)],
                           capture_output=True, env=env)
        out = p.stdout.decode("utf-8", "replace")
        rows = text_rows(out)
        bad = []
        for frame, want in sorted(sacks.items()):
            got = blocks_after_sack(rows.get(frame, ""))
            if got != want:
                bad.append("frame %d: tshark %s, text %s" % (frame, want, got))
            checked_blocks += len(want)
        wide = [l for l in out.split("\n") if len(l) > w]
        if wide:
            bad.append("a line of %d cells" % len(wide[0]))
        result(not bad, "-T text --width %d %s (%d frames with SACK)"
               % (w, name, len(sacks)), "; ".join(bad[:3]))
    # The picture: each segment's group holds its label's <text>.
    p = subprocess.run([binary, "-r", f, "-T", "svg", "--rows", "20000"],
                       capture_output=True, env=env)
    svg = p.stdout.decode("utf-8", "replace")
    bad = []
    for frame, want in sorted(sacks.items()):
        m = re.search(r'id="f%d"[^>]*>.*?<text class="label"[^>]*>([^<]*)<'
                      % frame, svg, re.S)
        got = blocks_after_sack(html.unescape(m.group(1))) if m else None
        if got != want:
            bad.append("frame %d: tshark %s, svg %s" % (frame, want, got))
    result(not bad, "-T svg %s" % name, "; ".join(bad[:3]))
    # The page's segment table: the row of each frame.
    p = subprocess.run([binary, "-r", f, "-T", "html", "--rows", "20000"],
                       capture_output=True, env=env)
    page = p.stdout.decode("utf-8", "replace")
    bad = []
    for frame, want in sorted(sacks.items()):
        m = re.search(r'<tr id="r%d"[^>]*>(.*?)</tr>' % frame, page, re.S)
        row = html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))) if m else ""
        got = blocks_after_sack(row) if m else None
        if got != want:
            bad.append("frame %d: tshark %s, html %s" % (frame, want, got))
    result(not bad, "-T html %s" % name, "; ".join(bad[:3]))
# The test can fail: without SACK blocks in the captures it proves nothing.
result(checked_blocks > 0, "SACK blocks were compared (%d)" % checked_blocks,
       "no capture with SACK blocks found")
print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
