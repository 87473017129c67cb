#!/usr/bin/env python3
"""Writes the hostile and broken captures of tests/hostile (each small and
deterministic), or, with --big, the large ones tests/hostile.sh makes at
test time instead of committing them:

    python3 tests/hostile/make-hostile.py [DIR]          # the small files
    python3 tests/hostile/make-hostile.py --big KIND N FILE
        KIND syn-flood: N connections of one SYN each
        KIND one-conn:  one connection of N segments (data and ACKs)

cases.list says what tcpladder must do with each file. Addresses are from
the documentation ranges."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAC_C = b"\x02\x00\x00\x00\x00\x01"
MAC_S = b"\x02\x00\x00\x00\x00\x02"
A_C = bytes([192, 0, 2, 1])
A_S = bytes([192, 0, 2, 2])
T0 = 1700000000

SYN, ACK, PSH, FIN, RST = 0x02, 0x10, 0x08, 0x01, 0x04


def tcp(sport, dport, seq, ack, flags, win=64240, opts=b"", payload=b"",
        doff=None):
    opts = opts + b"\x00" * (-len(opts) % 4)
    if doff is None:
        doff = (20 + len(opts)) // 4
    return (struct.pack(">HHIIBBHHH", sport, dport, seq & 0xffffffff,
                        ack & 0xffffffff, doff << 4, flags, win, 0, 0)
            + opts + payload)


def ipv4(src, dst, payload, proto=6, ihl=5, total=None, frag=0):
    opts = b"\x00" * (max(ihl, 5) * 4 - 20)
    if total is None:
        total = 20 + len(opts) + len(payload)
    return (struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, total & 0xffff, 1,
                        frag, 64, proto, 0, src, dst) + opts + payload)


def ipv6(src_last, dst_last, nh, payload, plen=None):
    src = b"\x20\x01\x0d\xb8" + b"\x00" * 11 + bytes([src_last])
    dst = b"\x20\x01\x0d\xb8" + b"\x00" * 11 + bytes([dst_last])
    if plen is None:
        plen = len(payload)
    return struct.pack(">IHBB", 0x60000000, plen, nh, 64) + src + dst + payload


def eth(ip, etype=0x0800, src=MAC_C, dst=MAC_S):
    return dst + src + struct.pack(">H", etype) + ip


def c2s(seq, ack, flags, **kw):
    return eth(ipv4(A_C, A_S, tcp(41000, 80, seq, ack, flags, **kw)))


def s2c(seq, ack, flags, **kw):
    return eth(ipv4(A_S, A_C, tcp(80, 41000, seq, ack, flags, **kw)),
               src=MAC_S, dst=MAC_C)


def exchange(c=1000, s=5000):
    """A handshake, two data segments and their ACK: 5 frames."""
    return [
        c2s(c, 0, SYN, opts=b"\x02\x04\x05\xb4\x04\x02"),
        s2c(s, c + 1, SYN | ACK, opts=b"\x02\x04\x05\xb4\x04\x02"),
        c2s(c + 1, s + 1, ACK),
        c2s(c + 1, s + 1, PSH | ACK, payload=b"a" * 100),
        s2c(s + 1, c + 101, ACK),
    ]


def pcap_header(linktype=1, snaplen=262144, magic=0xa1b2c3d4, endian="<"):
    return struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, snaplen,
                       linktype)


def record(frame, i=0, caplen=None, length=None, endian="<"):
    caplen = len(frame) if caplen is None else caplen
    length = len(frame) if length is None else length
    return struct.pack(endian + "IIII", T0 + i // 1000, (i % 1000) * 1000,
                       caplen, length) + frame


def pcap(frames, linktype=1, snaplen=262144):
    out = bytearray(pcap_header(linktype, snaplen))
    for i, f in enumerate(frames):
        out += record(f, i)
    return bytes(out)


def block(btype, body):
    body = body + b"\x00" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def shb():
    return block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1))


def idb(linktype=1, snaplen=0, opts=b""):
    return block(1, struct.pack("<HHI", linktype, 0, snaplen) + opts)


def epb(frame, i=0, iface=0, caplen=None, ts=None):
    if ts is None:
        ts = (T0 + i // 1000) * 1000000 + (i % 1000) * 1000
    caplen = len(frame) if caplen is None else caplen
    return block(6, struct.pack("<IIIII", iface, ts >> 32, ts & 0xffffffff,
                                caplen, len(frame)) + frame)


def small_files():
    ex = exchange()
    good = pcap(ex)
    files = {}
    files["empty.pcap"] = b""
    files["wrong-magic.pcap"] = b"\xde\xad\xbe\xef" + good[4:]
    files["header-only.pcap"] = pcap_header()
    files["cut-in-record-header.pcap"] = good + record(ex[0], 9)[:9]
    files["cut-in-packet-data.pcap"] = good + record(ex[3], 9)[:16 + 30]
    files["record-4gb.pcap"] = (pcap(ex[:3]) + struct.pack(
        "<IIII", T0, 9, 0xffffffff, 0xffffffff) + ex[3])
    files["snaplen-0.pcap"] = pcap(ex, snaplen=0)
    files["snaplen-huge.pcap"] = pcap(ex, snaplen=0xffffffff)
    # A record says it holds more than was on the wire.
    files["caplen-gt-len.pcap"] = (pcap(ex[:3]) + record(ex[3], 3, length=40)
                                   + record(ex[4], 4))
    files["unknown-linktype.pcap"] = pcap(ex, linktype=147)
    files["big-endian-nsec.pcap"] = (
        pcap_header(magic=0xa1b23c4d, endian=">") +
        b"".join(record(f, i, endian=">") for i, f in enumerate(ex)))
    # pcapng: blocks libpcap must skip, then the packets.
    files["pcapng-unknown-blocks.pcapng"] = (
        shb() + block(0x0bad, b"unknown block") + idb() +
        block(0x40000bad, struct.pack("<I", 32473) + b"custom") +
        b"".join(epb(f, i) + block(0x7fff0001, b"x" * 7)
                 for i, f in enumerate(ex)))
    files["pcapng-cut-in-block.pcapng"] = (
        shb() + idb() + b"".join(epb(f, i) for i, f in enumerate(ex[:3]))
        + epb(ex[3], 3)[:40])
    files["pcapng-block-length-lies.pcapng"] = (
        shb() + idb() + b"".join(epb(f, i) for i, f in enumerate(ex[:3]))
        + struct.pack("<II", 6, 0x7ffffff0) + b"\x00" * 64)
    files["pcapng-epb-caplen-lies.pcapng"] = (
        shb() + idb() + b"".join(epb(f, i) for i, f in enumerate(ex[:3]))
        + epb(ex[3], 3, caplen=0x100000) + epb(ex[4], 4))
    files["pcapng-no-interface.pcapng"] = shb() + epb(ex[0], 0, iface=3)
    files["pcapng-two-linktypes.pcapng"] = (
        shb() + idb(1) + idb(101) + epb(ex[0], 0) +
        epb(ex[1][14:], 1, iface=1) + epb(ex[2], 2))
    # if_tsresol 10^-0 and a timestamp near 2^64: seconds beyond any clock
    # (a fuzz_file finding: the nanosecond conversion overflowed).
    files["pcapng-huge-timestamp.pcapng"] = (
        shb() + idb(opts=struct.pack("<HHB3x", 9, 1, 0) + b"\x00" * 4) +
        epb(ex[0], ts=0xfffffffffffffff0) + epb(ex[1], ts=5) +
        epb(ex[2], ts=0x7fffffffffffffff))

    # Packets whose IP and TCP lengths lie, between good ones: the good
    # ones are shown, the others counted and named in one warning.
    def between(bad):
        return pcap(ex[:3] + bad + ex[3:])
    files["ip-header-len-lt-20.pcap"] = between([
        eth(ipv4(A_C, A_S, tcp(41000, 80, 1001, 5001, ACK), ihl=4))])
    files["ip-total-lt-header.pcap"] = between([
        eth(ipv4(A_C, A_S, tcp(41000, 80, 1001, 5001, ACK), total=12))])
    files["tcp-doff-lt-20.pcap"] = between([
        eth(ipv4(A_C, A_S, tcp(41000, 80, 1001, 5001, ACK, doff=3)))])
    files["tcp-doff-past-packet.pcap"] = between([
        eth(ipv4(A_C, A_S, tcp(41000, 80, 1001, 5001, ACK, doff=15)))])
    # The data offset is inside the IP length but past the captured bytes:
    # a header cut short, analysed and shown without analysis (as with a
    # snap length; tshark prints its fields too).
    files["tcp-doff-past-capture.pcap"] = between([
        eth(ipv4(A_C, A_S, tcp(41000, 80, 1001, 5001, ACK, doff=15),
                 total=20 + 60))])
    hop_loop = b"".join(bytes([0, 0]) + b"\x00" * 6 for _ in range(20))
    files["ipv6-ext-header-loop.pcap"] = between([eth(
        ipv6(1, 2, 0, hop_loop + tcp(41000, 80, 1, 1, ACK)), 0x86dd)])
    files["ipv6-ext-header-past-payload.pcap"] = between([eth(
        ipv6(1, 2, 60, bytes([6, 200]) + b"\x00" * 6 +
             tcp(41000, 80, 1, 1, ACK)), 0x86dd)])
    files["ipv6-payload-len-short.pcap"] = between([eth(
        ipv6(1, 2, 6, tcp(41000, 80, 1, 1, ACK), plen=8), 0x86dd)])
    # Tunnels inside tunnels, VLAN tags without end.
    inner = ipv4(A_C, A_S, tcp(41000, 80, 1001, 5001, ACK))
    for _ in range(6):
        inner = ipv4(A_C, A_S, inner, proto=4)
    files["ip-in-ip-deep.pcap"] = between([eth(inner)])
    files["vlan-tags-endless.pcap"] = between([
        MAC_S + MAC_C + b"\x81\x00\x00\x01" * 40 + b"\x08\x00" + inner])
    # TCP options that lie about their length: the segments are shown,
    # their options named as malformed.
    opt_cases = {
        "tcp-option-len-0.pcap": b"\x01\x01\x08\x00\x00\x00",
        "tcp-option-len-1.pcap": b"\x02\x01\x05\xb4",
        "tcp-option-overlong.pcap": b"\x01\x01\x08\x20" + b"\x00" * 8,
        "tcp-option-mss-len-3.pcap": b"\x02\x03\x05\x01",
        "tcp-option-sack-37-blocks.pcap": b"\x01\x01\x05\x26" + b"\x00" * 36,
    }
    for name, o in opt_cases.items():
        files[name] = pcap(ex[:3] + [
            c2s(1001, 5001, PSH | ACK, opts=o, payload=b"b" * 10)] + ex[3:])
    # SACK blocks that wrap 2^32 or run backwards, with data that does too.
    w = 0xffffff00
    sk = b"\x01\x01\x05\x12" + struct.pack(">IIII", w + 0x80, 0x40, 0x500,
                                           0x100)
    files["sack-wrap.pcap"] = pcap([
        c2s(w - 1, 0, SYN, opts=b"\x04\x02"),
        s2c(5000, w, SYN | ACK, opts=b"\x04\x02"),
        c2s(w, 5001, ACK),
        c2s(w, 5001, ACK, payload=b"c" * 0x80),
        c2s(w + 0x100, 5001, ACK, payload=b"d" * 0x80),
        s2c(5001, w + 0x80, ACK, opts=sk),
        s2c(5001, w + 0x80, ACK, opts=sk),
        c2s(w + 0x80, 5001, ACK, payload=b"e" * 0x80),
        s2c(5001, w + 0x180, ACK),
    ])
    # Sequence numbers crossing 2^32 in both directions, in order: no
    # analysis flag may appear.
    frames, c, s = [], 0xffffef00, 0xfffffff0
    frames += [c2s(c, 0, SYN), s2c(s, c + 1, SYN | ACK), c2s(c + 1, s + 1, ACK)]
    c, s = c + 1, s + 1
    for i in range(40):
        frames.append(c2s(c, s, PSH | ACK, payload=b"f" * 200))
        c += 200
        frames.append(s2c(s, c, PSH | ACK, payload=b"g" * 3))
        s += 3
        frames.append(c2s(c, s, ACK))
    files["seq-wrap.pcap"] = pcap(frames)
    # A first packet stamped 1970, the rest 2023: times since the first
    # packet span 53 years.
    tj = bytearray(pcap_header())
    tj += struct.pack("<IIII", 0, 0, len(ex[0]), len(ex[0])) + ex[0]
    for i, f in enumerate(ex[1:], 1):
        tj += record(f, i)
    files["time-jump.pcap"] = bytes(tj)
    # HTTP/2 with prior knowledge whose HEADERS frame has an empty header
    # block (a fuzz_app finding: the HPACK loop stepped a null pointer).
    pre = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    def h2(ftype, flags, stream, payload):
        return (struct.pack(">I", len(payload))[1:] + bytes([ftype, flags])
                + struct.pack(">I", stream) + payload)
    body = pre + h2(4, 0, 0, b"") + h2(1, 4, 1, b"")
    resp = h2(4, 0, 0, b"") + h2(1, 4, 1, b"") + h2(0, 1, 1, b"x" * 10)
    files["http2-empty-headers.pcap"] = pcap(ex[:3] + [
        c2s(1001, 5001, PSH | ACK, payload=body),
        s2c(5001, 1001 + len(body), PSH | ACK, payload=resp),
        c2s(1001 + len(body), 5001 + len(resp), ACK)])
    # Radiotap whose length runs past the frame, loopback with a family
    # libpcap does not know.
    files["radiotap-len-past-frame.pcap"] = pcap(
        [b"\x00\x00\xff\xff" + b"\x00" * 20], linktype=127)
    return files


def write_big(kind, n, path):
    """Streams a large capture without holding it in memory."""
    with open(path, "wb") as f:
        f.write(pcap_header(snaplen=128))
        if kind == "syn-flood":
            for i in range(n):
                src = bytes([198, 18 + (i >> 24 & 1), i >> 16 & 255,
                             i >> 8 & 255])
                fr = eth(ipv4(src, A_S, tcp(1024 + (i & 0xfff), 80, i * 7919,
                                            0, SYN)))
                f.write(record(fr, i))
        elif kind == "one-conn":
            c, s = 1000, 5000
            hs = [c2s(c, 0, SYN), s2c(s, c + 1, SYN | ACK),
                  c2s(c + 1, s + 1, ACK)]
            for i, fr in enumerate(hs):
                f.write(record(fr, i))
            c += 1
            s += 1
            # Data with the payload cut to nothing by the snap length, and
            # an ACK every other segment: n segments in all.
            for i in range(3, n):
                if i % 3:
                    fr = eth(ipv4(A_C, A_S, tcp(41000, 80, c, s, ACK),
                                  total=40 + 1448))
                    c += 1448
                else:
                    fr = s2c(s, c, ACK)
                f.write(record(fr, i, length=len(fr) + (1448 if i % 3 else 0)))
        else:
            sys.exit("unknown kind " + kind)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--big":
        write_big(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    outdir = sys.argv[1] if len(sys.argv) > 1 else HERE
    for name, data in sorted(small_files().items()):
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
