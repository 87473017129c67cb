#!/usr/bin/env python3
"""Writes tests/data/app/: application exchanges with a segment lost before
the capture point, so the later segments wait behind the hole (head-of-line
blocking) until the retransmission fills it. Deterministic, plain struct
(no Scapy), documentation addresses only.

  h2-hol.pcap    HTTP/2 with prior knowledge: two streams requested
                 together; stream 1's DATA is lost, stream 3's DATA
                 arrives, waits, and is released by the retransmission.
  http1-hol.pcap HTTP/1.1: one GET, its response in three segments, the
                 second lost and retransmitted after duplicate ACKs.

    python3 tests/data/tools/apps.py [DIR]
"""
import os
import struct
import sys

MAC_C = b"\x02\x00\x00\x00\x00\x01"
MAC_S = b"\x02\x00\x00\x00\x00\x02"
A_C = bytes([192, 0, 2, 1])
A_S = bytes([192, 0, 2, 2])
T0 = 1700000000
SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
MSS_OPT = b"\x02\x04\x05\xb4\x04\x02\x00\x00"   # MSS 1460, SACK_PERM


def frame(src, dst, sport, dport, seq, ack, flags, payload=b"", opts=b""):
    doff = (20 + len(opts)) // 4
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xffffffff,
                      ack & 0xffffffff, doff << 4, flags, 64240, 0, 0)
    tcp += opts + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64,
                     6, 0, src, dst)
    macs = MAC_S + MAC_C if src == A_C else MAC_C + MAC_S
    return macs + b"\x08\x00" + ip + tcp


class Conn:
    """Both directions of one connection: keeps the sequence numbers."""

    def __init__(self, cport, sport):
        self.cport, self.sport = cport, sport
        self.seq = [1000, 5000]
        self.frames = []     # (time in ms, bytes or None when lost)

    def send(self, t, side, flags, payload=b"", opts=b"", lost=False,
             seq=None):
        s = self.seq[side] if seq is None else seq
        a = self.seq[1 - side]
        if flags & SYN:
            a = 0 if side == 0 else self.seq[0]
        src, dst = (A_C, A_S) if side == 0 else (A_S, A_C)
        sp, dp = ((self.cport, self.sport) if side == 0
                  else (self.sport, self.cport))
        f = frame(src, dst, sp, dp, s, a, flags, payload, opts)
        if seq is None:
            self.seq[side] += len(payload) + (1 if flags & (SYN | FIN)
                                              else 0)
        self.frames.append((t, None if lost else f))
        return s

    def handshake(self, t):
        self.send(t, 0, SYN, opts=MSS_OPT)
        self.send(t + 10, 1, SYN | ACK, opts=MSS_OPT)
        self.send(t + 20, 0, ACK)

    def close(self, t):
        self.send(t, 0, FIN | ACK)
        self.send(t + 10, 1, FIN | ACK)
        self.send(t + 20, 0, ACK)


def pcap(frames):
    out = bytearray(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144,
                                1))
    for ms, f in frames:
        if f is None:
            continue
        us = ms * 1000
        out += struct.pack("<IIII", T0 + us // 1000000, us % 1000000,
                           len(f), len(f)) + f
    return bytes(out)


def h2(ftype, flags, stream, payload):
    return (struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) +
            struct.pack(">I", stream) + payload)


def hpack_get(path):
    # :method GET (2), :scheme http (6), :path literal with indexed
    # name (4), :authority literal with indexed name (1); no Huffman.
    p = path.encode()
    host = b"192.0.2.2"
    return (b"\x82\x86\x04" + bytes([len(p)]) + p + b"\x01" +
            bytes([len(host)]) + host)


def h2_hol():
    c = Conn(40001, 8080)
    c.handshake(0)
    pre = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    c.send(30, 0, PSH | ACK, pre + h2(4, 0, 0, b"") +
           h2(1, 4 | 1, 1, hpack_get("/files/1KB")) +
           h2(1, 4 | 1, 3, hpack_get("/files/2KB")))
    c.send(40, 1, PSH | ACK, h2(4, 0, 0, b"") + h2(4, 1, 0, b"") +
           h2(1, 4, 1, b"\x88") + h2(1, 4, 3, b"\x88"))
    c.send(50, 0, ACK)
    # Stream 1's body is lost before the capture point; stream 3's
    # arrives and waits behind the hole.
    lost = c.send(60, 1, PSH | ACK, h2(0, 1, 1, b"a" * 1024), lost=True)
    c.send(61, 1, PSH | ACK, h2(0, 1, 3, b"b" * 2048))
    # The client's duplicate ACK (it still waits for the lost bytes).
    src_ack = c.seq[1]
    c.seq[1] = lost
    c.send(62, 0, ACK)
    c.seq[1] = src_ack
    # The retransmission 200 ms later fills the hole.
    c.send(262, 1, PSH | ACK, h2(0, 1, 1, b"a" * 1024), seq=lost)
    c.send(272, 0, ACK)
    c.close(300)
    return pcap(c.frames)


def http1_hol():
    c = Conn(40002, 80)
    c.handshake(0)
    c.send(30, 0, PSH | ACK, b"GET /files/3KB HTTP/1.1\r\nHost: 192.0.2.2"
           b"\r\n\r\n")
    body = b"x" * 3000
    head = (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
    resp = head + body
    parts = [resp[:1000], resp[1000:2000], resp[2000:]]
    c.send(40, 1, ACK, parts[0])
    lost = c.send(41, 1, ACK, parts[1], lost=True)
    c.send(42, 1, PSH | ACK, parts[2])
    keep = c.seq[1]
    c.seq[1] = lost
    c.send(43, 0, ACK)
    c.send(44, 0, ACK)
    c.send(45, 0, ACK)
    c.seq[1] = keep
    c.send(46, 1, ACK, parts[1], seq=lost)
    c.send(56, 0, ACK)
    c.close(80)
    return pcap(c.frames)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "app")
    os.makedirs(out, exist_ok=True)
    for name, data in (("h2-hol.pcap", h2_hol()),
                       ("http1-hol.pcap", http1_hol())):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
