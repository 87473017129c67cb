#!/usr/bin/python3
"""Scapy "student lab" exchanges against kernel TCP servers.

Run inside the client namespace (192.0.2.1 / veth-c); the servers listen on
192.0.2.2 in the server namespace.  The client kernel's RSTs must be
dropped by an iptables OUTPUT rule (make-captures.sh adds it), because the
kernel knows nothing about the connections Scapy makes.

  lab.py handshake   PORT   SYN with MSS/SACK-Permitted/WS/TS, SYN/ACK, ACK,
                            then FIN|ACK ... FIN|ACK, ACK
  lab.py discard     PORT   handshake, PSH|ACK with data, FIN|ACK, close
  lab.py ooo         PORT   message sent in two halves, second half first
                            (the server answers with a duplicate ACK + SACK)
  lab.py zerowin     PORT   fill the receive window of a server that does
                            not read (small SO_RCVBUF); 1-byte zero window
                            probes; wait for the window update; FIN
"""
import random
import sys
import threading
import time

from scapy.all import IP, TCP, Raw, AsyncSniffer, conf, send, sr1

conf.verb = 0
SRC, DST = "192.0.2.1", "192.0.2.2"
IFACE = "veth-c"


class Conn:
    def __init__(self, dport, sport, opts):
        self.dport, self.sport = dport, sport
        self.isn = random.randrange(1 << 32)
        self.nxt = (self.isn + 1) & 0xffffffff
        self.rcv = 0
        self.una = self.nxt
        self.wnd = 0
        self.fin_seen = False
        self.lock = threading.Lock()
        self.sniffer = AsyncSniffer(
            iface=IFACE, store=False, prn=self._on_pkt,
            filter="tcp and src host %s and src port %d and dst port %d"
            % (DST, dport, sport))
        self.sniffer.start()
        time.sleep(0.3)
        syn = IP(src=SRC, dst=DST) / TCP(sport=sport, dport=dport, flags="S",
                                         seq=self.isn, window=64240,
                                         options=opts)
        sa = sr1(syn, timeout=2)
        if sa is None or not sa.haslayer(TCP) or sa[TCP].flags != "SA":
            sys.exit("lab.py: no SYN/ACK from %s:%d" % (DST, dport))
        self.rcv = (sa[TCP].seq + 1) & 0xffffffff
        self.wnd = sa[TCP].window
        self.ack()

    def _on_pkt(self, p):
        t = p[TCP]
        with self.lock:
            if "A" in t.flags:
                if ((t.ack - self.una) & 0xffffffff) < (1 << 31):
                    self.una = t.ack
                self.wnd = t.window
            end = t.seq + len(t.payload) + (1 if "F" in t.flags else 0)
            if "F" in t.flags:
                self.fin_seen = True
                self.rcv = end & 0xffffffff

    def seg(self, flags, seq=None, data=b"", **kw):
        p = IP(src=SRC, dst=DST) / TCP(
            sport=self.sport, dport=self.dport, flags=flags,
            seq=self.nxt if seq is None else seq, ack=self.rcv,
            window=64240, **kw)
        if data:
            p = p / Raw(data)
        send(p)

    def ack(self):
        self.seg("A")

    def data(self, payload, flags="PA"):
        self.seg(flags, data=payload)
        self.nxt = (self.nxt + len(payload)) & 0xffffffff

    def close(self):
        self.seg("FA")
        self.nxt = (self.nxt + 1) & 0xffffffff
        for _ in range(40):
            time.sleep(0.05)
            if self.fin_seen:
                break
        self.ack()
        time.sleep(0.2)
        self.sniffer.stop()


OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 0)),
        ("NOP", None), ("WScale", 7)]


def handshake(port):
    c = Conn(port, 41001, OPTS)
    time.sleep(0.1)
    c.close()


def discard(port):
    c = Conn(port, 41002, [("MSS", 1460), ("SAckOK", b"")])
    c.data(b"Hello, discard server! This is lab exercise 2.\n")
    time.sleep(0.2)
    c.close()


def ooo(port):
    c = Conn(port, 41003, [("MSS", 1460), ("SAckOK", b"")])
    msg = b"The two halves of this message arrive in the wrong order.\n"
    h1, h2 = msg[:28], msg[28:]
    base = c.nxt
    mk = lambda fl, sq, d: IP(src=SRC, dst=DST) / TCP(
        sport=c.sport, dport=c.dport, flags=fl, seq=sq & 0xffffffff,
        ack=c.rcv, window=64240) / Raw(d)
    # one send() call: the halves leave back to back (well within the
    # handshake RTT, so tshark calls the first half out-of-order rather
    # than a retransmission)
    send([mk("PA", base + len(h1), h2),                      # second half
          mk("A", base, h1)])                                # first half
    c.nxt = (base + len(msg)) & 0xffffffff
    time.sleep(0.2)
    c.close()


def zerowin(port):
    # no WS option: the server's window is unscaled, easy to follow
    c = Conn(port, 41004, [("MSS", 536)])
    t_end = time.time() + 8
    last_una, last_progress = c.una, time.time()
    while time.time() < t_end:
        with c.lock:
            una, wnd = c.una, c.wnd
        room = (una + wnd - c.nxt) & 0xffffffff
        if room and room < (1 << 31):
            n = min(room, 256)
            c.data(b"z" * n, flags="A")
            continue
        if wnd == 0 and una == c.nxt:
            break
        time.sleep(0.05)
        if una != last_una:
            last_una, last_progress = una, time.time()
        elif time.time() - last_progress > 0.5:
            c.nxt = una                      # go back N: resend from una
            last_progress = time.time()
    # window is closed: two 1-byte zero window probes at the next seq
    for _ in range(2):
        time.sleep(0.25)
        c.seg("A", data=b"z")               # seq = nxt, not advanced
    # wait for the server application to read (window update)
    for _ in range(100):
        time.sleep(0.05)
        with c.lock:
            if c.wnd:
                break
    c.data(b"done.\n")
    time.sleep(0.2)
    c.close()


if __name__ == "__main__":
    {"handshake": handshake, "discard": discard, "ooo": ooo,
     "zerowin": zerowin}[sys.argv[1]](int(sys.argv[2]))
