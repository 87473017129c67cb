#!/usr/bin/env python3
"""Builds the fuzzers' seed corpora from the captures in tests/data and
../shared/captures (plus tests/hostile when present):

  fuzz/corpus/file/    whole capture files (those up to 256 KiB)
  fuzz/corpus/decode/  single frames: one link-type byte, then the frame
  fuzz/corpus/track/   frame sequences in fuzz_track's raw format, and a
                       few synthetic-segment sequences
  fuzz/corpus/app/     HTTP/1.x, HTTP/2 (prior knowledge, h2c), echo,
                       discard and daytime exchanges in fuzz_app's format

    python3 fuzz/make-corpus.py [OUTDIR]     (default fuzz/corpus)

The corpora are rebuilt at will and not committed; fuzz/seeds/ holds the
few small seeds that are."""
import hashlib
import os
import struct
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Link types as stored in files (LINKTYPE_*), in fuzz_common.h's order.
LINKTYPES = {1: 0, 0: 1, 108: 2, 101: 3, 228: 4, 229: 5, 113: 6, 276: 7,
             105: 8, 127: 9}


def read_pcap(blob):
    """Yields (linktype, frame) from a pcap or pcapng file; stops quietly
    at damage (the corpus wants what can be read)."""
    if len(blob) < 24:
        return
    magic = blob[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    elif magic == b"\x0a\x0d\x0d\x0a":
        yield from read_pcapng(blob)
        return
    else:
        return
    lt = struct.unpack(e + "I", blob[20:24])[0] & 0xffff
    pos = 24
    while pos + 16 <= len(blob):
        _, _, incl, _ = struct.unpack(e + "IIII", blob[pos:pos + 16])
        pos += 16
        if incl > len(blob) - pos:
            return
        yield lt, blob[pos:pos + incl]
        pos += incl


def read_pcapng(blob):
    pos, e, ifaces = 0, "<", []
    while pos + 12 <= len(blob):
        btype = struct.unpack(e + "I", blob[pos:pos + 4])[0]
        if btype == 0x0a0d0d0a:
            bom = blob[pos + 8:pos + 12]
            e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            ifaces = []
        blen = struct.unpack(e + "I", blob[pos + 4:pos + 8])[0]
        if blen < 12 or pos + blen > len(blob):
            return
        body = blob[pos + 8:pos + blen - 4]
        if btype == 1 and len(body) >= 2:
            ifaces.append(struct.unpack(e + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            iface, _, _, incl, _ = struct.unpack(e + "IIIII", body[:20])
            if iface < len(ifaces):
                yield ifaces[iface], body[20:20 + incl]
        elif btype == 3 and len(body) >= 4 and ifaces:
            yield ifaces[0], body[4:]
        pos += blen


def captures():
    dirs = [os.path.join(TOP, "tests", "data"),
            os.path.join(TOP, "tests", "hostile"),
            os.path.join(TOP, "..", "shared", "captures")]
    for d in dirs:
        for root, _, files in os.walk(d):
            for name in sorted(files):
                if name.endswith((".pcap", ".pcapng", ".cap")):
                    yield os.path.join(root, name)


def put(outdir, data):
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(outdir, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)


def synthetic(records):
    """fuzz_track's synthetic format: 0x80, settings, 16-byte records."""
    out = bytearray(b"\x80\x00")
    for port, d, flags, seq, ack, win, plen, opts in records:
        out += bytes([port | (4 if d else 0) | 0x10, flags])
        out += struct.pack(">II", seq, ack) + struct.pack(">H", win)
        out += struct.pack("<H", plen) + bytes([len(opts), 0]) + opts
    return bytes(out)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "fuzz",
                                                                "corpus")
    app_seeds(outdir)
    for sub in ("file", "decode", "track"):
        os.makedirs(os.path.join(outdir, sub), exist_ok=True)
    for path in captures():
        with open(path, "rb") as f:
            blob = f.read()
        if len(blob) <= 256 * 1024:
            put(os.path.join(outdir, "file"), blob)
        frames = list(read_pcap(blob))
        if not frames:
            continue
        for lt, frame in frames[:40]:
            if lt in LINKTYPES:
                put(os.path.join(outdir, "decode"),
                    bytes([LINKTYPES[lt]]) + frame[:2048])
        lt = frames[0][0]
        if lt not in LINKTYPES:
            continue
        seq = bytearray([LINKTYPES[lt], 0])
        for _, frame in frames[:400]:
            frame = frame[:160]    # headers are what the tracker reads
            seq += struct.pack("<H", len(frame)) + b"\x01" + frame
        put(os.path.join(outdir, "track"), bytes(seq))
    # A handshake, data with a hole, dup ACKs, a fast retransmission, close.
    S, A, F, P = 0x02, 0x10, 0x01, 0x08
    mss_ws = bytes([2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1])
    sack = bytes([1, 1, 5, 10]) + struct.pack(">II", 3001, 4001) + b"\x00\x00"
    c, s = 1000, 9000
    put(os.path.join(outdir, "track"), synthetic([
        (0, 0, S, c, 0, 64240, 0, mss_ws),
        (0, 1, S | A, s, c + 1, 65535, 0, mss_ws),
        (0, 0, A, c + 1, s + 1, 502, 0, b""),
        (0, 0, A | P, c + 1, s + 1, 502, 1000, b""),
        (0, 0, A | P, c + 2001, s + 1, 502, 1000, b""),
        (0, 1, A, s + 1, c + 1001, 0, 0, b""),
        (0, 1, A, s + 1, c + 1001, 1000, 0, sack),
        (0, 1, A, s + 1, c + 1001, 1000, 0, sack),
        (0, 1, A, s + 1, c + 1001, 1000, 0, sack),
        (0, 0, A, c + 1001, s + 1, 502, 1000, b""),
        (0, 0, F | A, c + 3001, s + 1, 502, 0, b""),
        (0, 1, F | A, s + 1, c + 3002, 1000, 0, b""),
        (1, 0, S, 0xfffffff0, 0, 1024, 0, b""),
        (1, 1, 0x04, 0, 0xfffffff1, 0, 0, b""),
    ]))


def app_seed(port_index, records):
    """fuzz_app's format: port index, settings, then records."""
    out = bytearray([port_index, 0])
    for flags, amount, payload in records:
        out += bytes([flags, amount]) + struct.pack("<H", len(payload))
        out += payload
    return bytes(out)


def h2_frame(ftype, flags, stream, payload):
    return (struct.pack(">I", len(payload))[1:] + bytes([ftype, flags])
            + struct.pack(">I", stream) + payload)


def app_seeds(outdir):
    d = os.path.join(outdir, "app")
    os.makedirs(d, exist_ok=True)
    req = b"GET /files/1KB HTTP/1.1\r\nHost: 192.0.2.2\r\n\r\n"
    resp = (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789")
    put(d, app_seed(0, [(0, 0, req), (1, 0, resp), (0, 0, req),
                        (1, 0, resp[:20]), (1, 0, resp[20:])]))
    # Chunked, a hole filled by a retransmission, then FIN.
    chunked = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"5\r\nhello\r\n0\r\n\r\n")
    put(d, app_seed(1, [(0, 0, req), (1 | 8, 40, chunked[40:]),
                        (1 | 16, 0, chunked[:40]), (0 | 2, 0, b"")]))
    # HTTP/2 with prior knowledge: preface, SETTINGS, HEADERS, DATA.
    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    hdrs = bytes([0x82, 0x86, 0x84, 0x41, 0x09]) + b"192.0.2.2"
    put(d, app_seed(0, [
        (0, 0, preface + h2_frame(4, 0, 0, b"") +
         h2_frame(1, 5, 1, hdrs)),
        (1, 0, h2_frame(4, 0, 0, b"") + h2_frame(4, 1, 0, b"") +
         h2_frame(1, 4, 1, bytes([0x88])) + h2_frame(0, 1, 1, b"x" * 100)),
        (0, 0, h2_frame(1, 5, 3, hdrs)),
        (1 | 8, 20, h2_frame(0, 0, 3, b"y" * 50)),
        (1, 0, h2_frame(3, 0, 3, b"\x00\x00\x00\x08")),
        (1 | 16, 0, b"z" * 20),
    ]))
    # h2c upgrade.
    up = (b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings"
          b"\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
    sw = b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
    put(d, app_seed(0, [(0, 0, up), (1, 0, sw + h2_frame(4, 0, 0, b"") +
                                      h2_frame(1, 4, 1, bytes([0x88]))),
                        (0, 0, preface + h2_frame(4, 0, 0, b""))]))
    # echo, discard, daytime.
    put(d, app_seed(2, [(0, 0, b"hello echo\n"), (1, 0, b"hello echo\n"),
                        (0 | 32, 0, b"")]))
    put(d, app_seed(3, [(0, 0, b"x" * 1000), (0 | 8, 100, b"y" * 500),
                        (0 | 16, 0, b"z" * 100)]))
    put(d, app_seed(4, [(1, 0, b"Fri Nov 27 03:00:00 2026\r\n"), (1 | 2, 0, b"")]))


if __name__ == "__main__":
    main()
