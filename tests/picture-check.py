#!/usr/bin/env python3
"""Checks what a browser drew from tcpladder's SVG pictures (tests/pictures.sh).

  picture-check.py ladder SVG PNG [FRAME=KIND ...]
      every arrow of the SVG is drawn in its colour where the SVG puts it,
      every badge in its kind's colour; FRAME=KIND pairs must be there
      (KIND: retransmission, dup-ack, out-of-order, lost, window, other).
  picture-check.py tsg SVG PNG TSV
      the time-sequence graph marks exactly the retransmissions and dup
      ACKs the segment table (-T tsv) lists, in their colours, at x
      positions in time order (one linear time axis).
  picture-check.py colors PNG KIND...
      the screenshot has a patch of each kind's colour (an HTML page).

Prints TAP-style comment lines; exits 1 on the first failure.
"""
import sys
import xml.etree.ElementTree as ET

from PIL import Image

NS = {"s": "http://www.w3.org/2000/svg"}
# tl_annot.c's colours (the terminal's 256-colour theme).
KIND_COLORS = {
    "retransmission": (0xd7, 0x00, 0x00),
    "dup-ack": (0xd7, 0xaf, 0x00),
    "out-of-order": (0xd7, 0x5f, 0xd7),
    "lost": (0xff, 0x87, 0x00),
    "window": (0x00, 0x87, 0xff),
    "other": (0x5f, 0xaf, 0x5f),
}


def fail(msg):
    print("# FAIL: " + msg)
    sys.exit(1)


def hexcolor(s):
    s = s.lstrip("#")
    return tuple(int(s[i:i + 2], 16) for i in (0, 2, 4))


def close(a, b, tol=70):
    return sum(abs(x - y) for x, y in zip(a[:3], b[:3])) <= tol


def near(img, x, y, color, radius=2, tol=70):
    """True if a pixel within radius of (x, y) has the colour."""
    w, h = img.size
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            px, py = int(round(x)) + dx, int(round(y)) + dy
            if 0 <= px < w and 0 <= py < h and \
                    close(img.getpixel((px, py)), color, tol):
                return True
    return False


def load(svg_path, png_path):
    root = ET.parse(svg_path).getroot()
    img = Image.open(png_path).convert("RGB")
    w, h = float(root.get("width")), float(root.get("height"))
    if img.size[0] < w * 0.98 or img.size[1] < h * 0.98:
        fail("screenshot %dx%d smaller than the picture %gx%g" %
             (img.size[0], img.size[1], w, h))
    return root, img


def not_blank(img):
    small = img.resize((img.size[0] // 4 or 1, img.size[1] // 4 or 1))
    data = list(small.getdata())
    inked = sum(1 for p in data if sum(p) < 600)
    if inked < len(data) * 0.005:
        fail("the screenshot is blank (%d of %d pixels inked)" %
             (inked, len(data)))
    print("# %d of %d sampled pixels inked" % (inked, len(data)))


def groups(root):
    for g in root.iter("{%s}g" % NS["s"]):
        cls = (g.get("class") or "").split()
        if "seg" in cls:
            yield g, cls


def check_ladder(svg_path, png_path, wants):
    root, img = load(svg_path, png_path)
    not_blank(img)
    kinds = {}
    arrows = 0
    for g, cls in groups(root):
        frame = g.get("data-frame")
        kinds[frame] = cls[1] if len(cls) > 1 else "plain"
        line = g.find("s:line[@class='arrow']", NS)
        if line is None:
            continue
        x1, x2 = float(line.get("x1")), float(line.get("x2"))
        y = float(line.get("y1"))
        color = hexcolor(line.get("stroke"))
        for f in (0.2, 0.5, 0.8):
            x = x1 + (x2 - x1) * f
            if not near(img, x, y, color):
                fail("frame %s: arrow colour %s not drawn at (%.0f, %.0f);"
                     " pixel is %s" % (frame, line.get("stroke"), x, y,
                                       img.getpixel((int(x), int(y)))))
        arrows += 1
        badge = g.find("s:rect[@class='badge']", NS)
        if badge is not None:
            bx = float(badge.get("x")) + 3
            by = float(badge.get("y")) + float(badge.get("height")) / 2
            if not near(img, bx, by, hexcolor(badge.get("fill"))):
                fail("frame %s: badge %s not drawn" %
                     (frame, badge.get("fill")))
    if not arrows:
        fail("no arrows in the picture")
    print("# %d arrows drawn where the SVG puts them" % arrows)
    for want in wants:
        frame, kind = want.split("=")
        if kinds.get(frame) != kind:
            fail("frame %s is %s, not %s" % (frame, kinds.get(frame), kind))
        # The arrow of that row is in the kind's colour on screen.
        g = root.find(".//s:g[@data-frame='%s']" % frame, NS)
        line = g.find("s:line[@class='arrow']", NS)
        x = (float(line.get("x1")) + float(line.get("x2"))) / 2
        if not near(img, x, float(line.get("y1")), KIND_COLORS[kind]):
            fail("frame %s: not drawn in the %s colour" % (frame, kind))
        print("# frame %s drawn as %s" % (frame, kind))


def check_tsg(svg_path, png_path, tsv_path):
    root, img = load(svg_path, png_path)
    not_blank(img)
    rows = []
    with open(tsv_path) as f:
        next(f)
        for line in f:
            c = line.rstrip("\n").split("\t")
            rows.append((int(c[0]), float(c[1]), c[12].split(",")))
    want_rtx = {fr for fr, _, an in rows if "retransmission" in an}
    want_dup = {fr for fr, _, an in rows if "duplicate_ack" in an}
    time_of = {fr: t for fr, t, _ in rows}
    got_rtx, got_dup, points = set(), set(), []
    for g, cls in groups(root):
        frame = int(g.get("data-frame"))
        kind = cls[1] if len(cls) > 1 else "plain"
        if kind == "retransmission":
            ring = g.find("s:circle[@class='mark']", NS)
            if ring is None:
                fail("frame %d: retransmission without its ring" % frame)
            cx, cy = float(ring.get("cx")), float(ring.get("cy"))
            if not near(img, cx + 10, cy, KIND_COLORS[kind], 2):
                fail("frame %d: red ring not drawn at (%.0f, %.0f)" %
                     (frame, cx, cy))
            got_rtx.add(frame)
            points.append((time_of[frame], cx))
        elif kind == "dup-ack":
            dot = g.find("s:circle", NS)
            cx, cy = float(dot.get("cx")), float(dot.get("cy"))
            if not near(img, cx, cy, KIND_COLORS[kind], 2):
                fail("frame %d: dup ACK dot not drawn" % frame)
            got_dup.add(frame)
            points.append((time_of[frame], cx))
    if got_rtx != want_rtx:
        fail("retransmissions drawn %s, the table says %s" %
             (sorted(got_rtx), sorted(want_rtx)))
    if got_dup != want_dup:
        fail("dup ACKs drawn %s, the table says %s" %
             (sorted(got_dup), sorted(want_dup)))
    print("# %d retransmissions and %d dup ACKs, the frames the table lists"
          % (len(got_rtx), len(got_dup)))
    # One linear time axis: x = a + b * t for every marker.
    points.sort()
    (t0, x0), (t1, x1) = points[0], points[-1]
    if t1 > t0:
        b = (x1 - x0) / (t1 - t0)
        for t, x in points:
            if abs(x0 + b * (t - t0) - x) > 1.5:
                fail("marker at %.6f s drawn at x=%.1f, off the time axis"
                     % (t, x))
    print("# markers on one time axis, in time order")
    green = sum(1 for p in img.resize((img.size[0] // 2, img.size[1] // 2))
                .getdata() if close(p, (0x00, 0x87, 0x00), 40))
    if green < 100:
        fail("no ACK line (green) drawn")
    print("# ACK line drawn (%d green pixels at half size)" % green)


def check_colors(png_path, kinds):
    img = Image.open(png_path).convert("RGB")
    not_blank(img)
    data = list(img.resize((img.size[0] // 2, img.size[1] // 2)).getdata())
    for kind in kinds:
        n = sum(1 for p in data if close(p, KIND_COLORS[kind], 24))
        if n < 40:
            fail("no %s colour in the page (%d pixels)" % (kind, n))
        print("# %s colour present (%d pixels at half size)" % (kind, n))


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    mode = sys.argv[1]
    if mode == "ladder":
        check_ladder(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif mode == "tsg":
        check_tsg(sys.argv[2], sys.argv[3], sys.argv[4])
    elif mode == "colors":
        check_colors(sys.argv[2], sys.argv[3:])
    else:
        fail("unknown mode " + mode)


if __name__ == "__main__":
    main()
