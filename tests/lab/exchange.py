#!/usr/bin/python3
"""The lab's exchanges, made with Scapy against the offline lab server.

Run on the client host of tcpladder-lab (192.0.2.1 / 2001:db8::1, veth-c):

    tcpladder-lab exec -- /usr/bin/python3 tests/lab/exchange.py echo

The client kernel knows nothing of Scapy's connections, so its RSTs must be
dropped (tcpladder-lab up adds `iptables -A OUTPUT -p tcp --tcp-flags RST
RST -j DROP` in the client namespace).

  handshake   SYN with MSS, SACK-Permitted, timestamps and window scale to
              the discard port; checks SACK_PERM in the SYN/ACK; FIN|ACK
  discard     handshake, a message with PSH|ACK, then FIN|ACK (port 9)
  ooo         a message in two halves, the second half first (port 9)
  echo        a message to port 7; checks the echo equals the message
  daytime     port 13: ACKs the server's data and its FIN

Each prints one line "EXCHANGE key=value ..." with what it saw (relative
sequence and acknowledgment numbers, as tcpladder shows them) and exits 0,
or prints why it failed and exits 1.

Options: -6 (IPv6), --sport N (default: random in 41000-41999), --iface IF,
--pause MS (ooo: wait MS milliseconds between the halves).
"""
import argparse
import logging
import random
import sys
import threading
import time

from scapy.all import IP, IPv6, TCP, Raw, AsyncSniffer, conf, send, sr1

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
conf.verb = 0
TIMEOUT = 3.0


class Fail(Exception):
    pass


class Conn:
    """A TCP client driven by hand: we choose every segment, a sniffer
    follows what the server sends."""

    def __init__(self, a, dport, opts):
        self.a, self.dport, self.sport = a, dport, a.sport
        self.isn = random.randrange(1 << 32)
        self.nxt = (self.isn + 1) & 0xffffffff
        self.irs = 0                  # the server's initial sequence number
        self.rcv = 0                  # next byte expected from the server
        self.una = self.nxt
        self.data = b""               # in-order bytes from the server
        self.fin_seen = False
        self.cond = threading.Condition()
        ip = "ip6" if a.v6 else "ip"
        self.sniffer = AsyncSniffer(
            iface=a.iface, store=False, prn=self._on_pkt,
            filter="%s and tcp and src host %s and src port %d and "
                   "dst port %d" % (ip, a.dst, dport, self.sport))
        self.sniffer.start()
        time.sleep(0.3)
        syn = self.ip() / TCP(sport=self.sport, dport=dport, flags="S",
                              seq=self.isn, window=64240, options=opts)
        sa = None
        for _ in range(3):
            sa = sr1(syn, timeout=1.5)
            if sa is not None:
                break
        if sa is None or not sa.haslayer(TCP) or sa[TCP].flags != "SA":
            self.sniffer.stop()
            raise Fail("no SYN/ACK from %s port %d" % (a.dst, dport))
        self.synack = sa[TCP]
        self.irs = sa[TCP].seq
        self.rcv = (self.irs + 1) & 0xffffffff
        self.ack()

    def ip(self):
        if self.a.v6:
            return IPv6(src=self.a.src, dst=self.a.dst)
        return IP(src=self.a.src, dst=self.a.dst)

    def rel_rcv(self):
        return (self.rcv - self.irs) & 0xffffffff

    def rel_nxt(self):
        return (self.nxt - self.isn) & 0xffffffff

    def _on_pkt(self, p):
        t = p[TCP]
        with self.cond:
            if "A" in t.flags and \
                    ((t.ack - self.una) & 0xffffffff) < (1 << 31):
                self.una = t.ack
            payload = bytes(t.payload)
            if payload and t.seq == self.rcv:
                self.data += payload
                self.rcv = (self.rcv + len(payload)) & 0xffffffff
            if "F" in t.flags and \
                    (t.seq + len(payload)) & 0xffffffff == self.rcv:
                self.fin_seen = True
                self.rcv = (self.rcv + 1) & 0xffffffff
            self.cond.notify_all()

    def wait(self, pred, timeout=TIMEOUT):
        end = time.time() + timeout
        with self.cond:
            while not pred():
                left = end - time.time()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def seg(self, flags, seq=None, data=b""):
        p = self.ip() / TCP(
            sport=self.sport, dport=self.dport, flags=flags,
            seq=self.nxt if seq is None else seq & 0xffffffff,
            ack=self.rcv, window=64240)
        if data:
            p = p / Raw(data)
        return p

    def ack(self):
        with self.cond:
            p = self.seg("A")
        send(p)

    def send_data(self, payload, flags="PA"):
        send(self.seg(flags, data=payload))
        self.nxt = (self.nxt + len(payload)) & 0xffffffff

    def acked(self):
        return self.una == self.nxt

    def close(self):
        """FIN|ACK, wait for the server's FIN, ACK it."""
        send(self.seg("FA"))
        self.nxt = (self.nxt + 1) & 0xffffffff
        ok = self.wait(lambda: self.fin_seen and self.acked())
        self.ack()
        time.sleep(0.1)
        self.sniffer.stop()
        if not ok:
            raise Fail("the server did not close (FIN and ACK of ours)")


def out(name, **kv):
    print(name, " ".join("%s=%s" % (k, v) for k, v in kv.items()))
    sys.stdout.flush()


def opt_names(tcp):
    return [o[0] for o in tcp.options]


def handshake(a):
    c = Conn(a, 9, [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 0)),
                    ("NOP", None), ("WScale", 7)])
    names = opt_names(c.synack)
    if "SAckOK" not in names:
        c.close()
        raise Fail("the SYN/ACK has no SACK-Permitted: %s" % names)
    mss = dict((o[0], o[1]) for o in c.synack.options).get("MSS")
    time.sleep(0.1)
    c.close()
    out("handshake", sport=c.sport, synack_options=",".join(names), mss=mss,
        sack_perm=1)


def discard(a):
    c = Conn(a, 9, [("MSS", 1460), ("SAckOK", b"")])
    msg = b"Hello, discard server! This is the lab's second exercise.\n"
    c.send_data(msg)
    if not c.wait(c.acked):
        raise Fail("the discard server did not ACK the data")
    data_ack = c.rel_nxt()
    c.close()
    out("discard", sport=c.sport, len=len(msg), data_ack=data_ack,
        fin_ack=c.rel_nxt())


def ooo(a):
    c = Conn(a, 9, [("MSS", 1460), ("SAckOK", b"")])
    msg = b"The two halves of this message arrive in the wrong order.\n"
    h1, h2 = msg[:28], msg[28:]
    base = c.nxt
    second = c.seg("PA", seq=base + len(h1), data=h2)
    first = c.seg("A", seq=base, data=h1)
    if a.pause:
        # A student's script: a pause between the halves. Shorter than the
        # iRTT it is still out of order (Wireshark's rule), as against the
        # real server tens of ms away.
        send(second)
        time.sleep(a.pause / 1000.0)
        send(first)
    else:
        # One send() call: the halves leave back to back, well within the
        # iRTT, so the first half is out of order, not a retransmission.
        send([second, first])
    c.nxt = (base + len(msg)) & 0xffffffff
    if not c.wait(c.acked):
        raise Fail("the server did not ACK the whole message")
    c.close()
    out("ooo", sport=c.sport, first_len=len(h1), second_seq=1 + len(h1),
        second_len=len(h2), ack=1 + len(msg))


def echo(a):
    c = Conn(a, 7, [("MSS", 1460), ("SAckOK", b"")])
    msg = b"Echo, echo: the lab's message comes back unchanged.\n"
    c.send_data(msg)
    got = c.wait(lambda: len(c.data) >= len(msg))
    c.ack()                           # ACK the echoed bytes
    echoed = c.data
    c.close()
    if not got or echoed != msg:
        raise Fail("echo differs: sent %r, got %r" % (msg, echoed))
    out("echo", sport=c.sport, len=len(msg), equal=1,
        ack=1 + len(echoed))


def daytime(a):
    c = Conn(a, 13, [("MSS", 1460), ("SAckOK", b"")])
    if not c.wait(lambda: len(c.data) > 0):
        raise Fail("no daytime data")
    # ACK the data on its own (the FIN may already be in: it is ACKed
    # next, one number higher).
    data_ack = 1 + len(c.data)
    send(c.ip() / TCP(sport=c.sport, dport=c.dport, flags="A", seq=c.nxt,
                      ack=(c.irs + data_ack) & 0xffffffff, window=64240))
    if not c.wait(lambda: c.fin_seen):
        raise Fail("the daytime server sent no FIN")
    fin_ack = c.rel_rcv()             # ...then the FIN
    c.ack()
    text = c.data.decode("ascii", "replace").strip()
    send(c.seg("FA"))
    c.nxt = (c.nxt + 1) & 0xffffffff
    c.wait(c.acked)
    time.sleep(0.1)
    c.sniffer.stop()
    out("daytime", sport=c.sport, len=len(c.data), data_ack=data_ack,
        fin_ack=fin_ack, text="'%s'" % text)


EXCHANGES = {"handshake": handshake, "discard": discard, "ooo": ooo,
             "echo": echo, "daytime": daytime}


def main():
    p = argparse.ArgumentParser(description="the lab's Scapy exchanges")
    p.add_argument("exchange", choices=sorted(EXCHANGES))
    p.add_argument("-6", dest="v6", action="store_true", help="IPv6")
    p.add_argument("--sport", type=int, default=0)
    p.add_argument("--iface", default="veth-c")
    p.add_argument("--pause", type=float, default=0.0)
    a = p.parse_args()
    a.src, a.dst = (("2001:db8::1", "2001:db8::2") if a.v6
                    else ("192.0.2.1", "192.0.2.2"))
    if not a.sport:
        a.sport = random.randrange(41000, 42000)
    try:
        EXCHANGES[a.exchange](a)
    except Fail as e:
        print("%s: FAILED: %s" % (a.exchange, e))
        sys.exit(1)


if __name__ == "__main__":
    main()
