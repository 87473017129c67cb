#!/bin/sh
# export-labels.sh -- -T svg and -T html carry what the view shows: the
# application labels (HTTP/1.1 requests and responses, HTTP/2 frames), the
# head-of-line notes and each connection's exchanges (the view's stream
# table). The SVG must be well-formed XML, the page well-formed XML too
# (one self-contained file: no external script, style or image). Prints TAP.
set -u
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
exec python3 - "$TCPLADDER" "$srcdir" <<'PY'
import subprocess, sys
import xml.etree.ElementTree as ET
binary, top = sys.argv[1], sys.argv[2]
SVG = "{http://www.w3.org/2000/svg}"
n = failed = 0


def check(name, ok, why=""):
    global n, failed
    n += 1
    if ok:
        print("ok %d - %s" % (n, name))
    else:
        failed += 1
        print("not ok %d - %s%s" % (n, name, ": " + why if why else ""))


def run(f, kind, *extra):
    p = subprocess.run([binary, "-r", top + "/tests/data/" + f, "-T", kind]
                       + list(extra), capture_output=True)
    return p.returncode, p.stdout.decode("utf-8")


def texts(root, cls):
    """The text of every element whose class list holds cls."""
    out = []
    for e in root.iter():
        if cls in (e.get("class") or "").split():
            out.append("".join(e.itertext()))
    return out


# (capture, application labels by frame, head-of-line note frame,
#  exchange lines that must appear)
CASES = [
    ("app/h2-hol.pcap",
     {4: ["PREFACE", "HEADERS[1]", ":path /files/1KB", "HEADERS[3]"],
      5: [":status 200"], 7: ["DATA[3] len=2048"],
      9: ["DATA[1] len=1024", "fills a hole", "head-of-line blocked"]},
     9,
     ["HTTP/2, 2 streams, 1 head-of-line event",
      "[3] GET /files/2KB", "held back 1x"]),
    ("app/http1-hol.pcap",
     {4: ["GET /files/3KB"], 5: ["200 OK (GET /files/3KB)"],
      6: ["body of GET /files/3KB", "(held until frame 10)"],
      10: ["body of GET /files/3KB", "fills a hole: releases frame 6"]},
     10,
     ["HTTP/1.1, 1 request, 1 head-of-line event",
      "[1] GET /files/3KB", "3000 B  held back 1x"]),
    ("ppa/http_ip4and6.pcapng",
     {4: ["GET /"], 6: ["200 OK"]}, None,
     ["HTTP/1.1, 1 request", "[1] GET /"]),
]

for cap, labels, hol, lines in CASES:
    rc, out = run(cap, "svg")
    check("%s: -T svg exits 0" % cap, rc == 0, "exit %d" % rc)
    try:
        root = ET.fromstring(out.encode())
    except ET.ParseError as e:
        check("%s: -T svg is well-formed XML" % cap, False, str(e))
        continue
    check("%s: -T svg is well-formed XML" % cap, True)
    rows = {}
    for g in root.iter(SVG + "g"):
        if g.get("data-frame"):
            rows[int(g.get("data-frame"))] = g
    for frame, want in sorted(labels.items()):
        g = rows.get(frame)
        got = " ".join(texts(g, "app")) if g is not None else ""
        title = "".join(g.find(SVG + "title").itertext()) if g is not None \
            else ""
        missing = [w for w in want if w not in got or w not in title]
        check("%s: svg frame %d shows %s" % (cap, frame, want),
              not missing, "missing %s in %r" % (missing, got))
    if hol:
        g = rows.get(hol)
        check("%s: svg frame %d's head-of-line note is marked" % (cap, hol),
              g is not None and texts(g, "hol"))
    table = "\n".join(texts(root, "conn-summary") + texts(root, "exchange"))
    missing = [w for w in lines if w not in table]
    check("%s: svg ends with the exchanges" % cap, not missing,
          "missing %s in %r" % (missing, table))
    # Nothing else carries the labels: a frame without one has none.
    extra = [f for f, g in rows.items() if f not in labels and
             texts(g, "app") and cap != "ppa/http_ip4and6.pcapng"]
    check("%s: only labelled frames carry a label" % cap, not extra,
          "frames %s" % extra)

    rc, page = run(cap, "html")
    check("%s: -T html exits 0" % cap, rc == 0, "exit %d" % rc)
    body = page.split("\n", 1)[1]      # after <!DOCTYPE html>
    try:
        root = ET.fromstring(body.encode())
    except ET.ParseError as e:
        check("%s: -T html is well-formed XML" % cap, False, str(e))
        continue
    check("%s: -T html is well-formed XML" % cap, True)
    ext = [e.tag for e in root.iter() if e.get("src") or
           (e.tag == "link" and e.get("href"))]
    check("%s: the page is self-contained" % cap, not ext,
          "external %s" % ext)
    segs = exch = None
    for t in root.iter("table"):
        if t.get("id") == "segs":
            segs = t
        if t.get("id") == "exchanges":
            exch = t
    head = [("".join(th.itertext())) for th in segs.find("tr")] \
        if segs is not None else []
    check("%s: the segment table has an application column" % cap,
          "application" in head, "columns %s" % head)
    col = head.index("application") if "application" in head else -1
    for tr in (segs if segs is not None else []):
        f = tr.get("data-frame")
        if not f or int(f) not in labels or col < 0:
            continue
        cell = "".join(list(tr)[col].itertext())
        missing = [w for w in labels[int(f)] if w not in cell]
        check("%s: html row %s shows its label" % (cap, f), not missing,
              "missing %s in %r" % (missing, cell))
    rows = [" ".join("".join(td.itertext()) for td in tr)
            for tr in (exch if exch is not None else [])]
    want = [w.split("  held back")[0] for w in lines]
    missing = [w for w in want if not any(w.replace("[", "").replace(
        "]", "").split()[0] in r for r in rows)]
    check("%s: the page has the exchanges table" % cap,
          exch is not None and not missing, "rows %s" % rows[:4])
    if hol:
        held = [r for r in rows if r.split()[-2:-1] == ["1x"]]
        check("%s: the exchanges table says what was held back" % cap,
              len(held) == 1, "rows %s" % rows)

print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
