#!/usr/bin/env python3
"""Checks tcpladder's sender model (-T sender) against the Linux kernel.

Runs bulk transfers between network namespaces of its own (sender, router,
receiver; 192.0.2.0/24 and 198.51.100.0/24 only), with a rate limit and
random loss at the router, records the sender's tracepoints tcp:tcp_probe,
tcp:tcp_cong_state_set and tcp:tcp_retransmit_skb in a tracefs instance of
its own, captures at the sender's and at the receiver's interface, and
compares -T sender with the kernel event by event:

  * tcp_probe fires on each segment the sender receives, before it is
    processed: its snd_cwnd and ssthresh are compared with the model's
    state just before that ACK (the values of the previous row of the
    sender's model);
  * the cong_state_set events between probes give the kernel's ca_state at
    each ACK; an event "loss" is a timeout, matched with the model's
    timeouts between the same two ACKs;
  * rtx_cause never_sent is checked against the capture itself.

Usage: sender-kernel.py TCPLADDER [--cc reno,cubic] [--loss 0.02,0.05]
       [--bytes N] [--rate 20mbit] [--runs N] [--quick] [--markdown]
Exit 0 when every figure meets the issue's thresholds (--check), 1 if not,
77 when it cannot run here (not root, no tracefs, no namespaces).
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TRACEFS = "/sys/kernel/tracing"
CHUNK = int(os.environ.get("TLS_CHUNK", "1448"))
STATES = ["open", "disorder", "cwr", "recovery", "loss"]
PAIRS = None    # with --pairs: (model's frame, kernel's cwnd) per ACK


def skip(why):
    print("SKIP: " + why)
    sys.exit(77)


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


class Net:
    """Sender -- router -- receiver, each a namespace named after our PID."""

    def __init__(self, tag):
        self.snd, self.rtr, self.rcv = ("tls%s-%s" % (r, tag)
                                        for r in ("s", "r", "c"))
        self.made = []

    def setup(self, rate, limit_ms):
        for ns in (self.snd, self.rtr, self.rcv):
            sh("ip", "netns", "add", ns)
            self.made.append(ns)
        sh("ip", "link", "add", "vs", "netns", self.snd, "type", "veth",
           "peer", "name", "vr1", "netns", self.rtr)
        sh("ip", "link", "add", "vr2", "netns", self.rtr, "type", "veth",
           "peer", "name", "vc", "netns", self.rcv)
        cfg = [(self.snd, "vs", "192.0.2.1/24"),
               (self.rtr, "vr1", "192.0.2.2/24"),
               (self.rtr, "vr2", "198.51.100.1/24"),
               (self.rcv, "vc", "198.51.100.2/24")]
        for ns, dev, addr in cfg:
            sh("ip", "-n", ns, "addr", "add", addr, "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
            sh("ip", "netns", "exec", ns, "ethtool", "-K", dev, "tso", "off",
               "gso", "off", "gro", "off", check=False)
        for ns in (self.snd, self.rtr, self.rcv):
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", self.snd, "route", "add", "default", "via",
           "192.0.2.2")
        sh("ip", "-n", self.rcv, "route", "add", "default", "via",
           "198.51.100.1")
        sh("ip", "netns", "exec", self.rtr, "sysctl", "-qw",
           "net.ipv4.ip_forward=1")
        for ns in (self.snd, self.rcv):
            sh("ip", "netns", "exec", ns, "sysctl", "-qw",
               "net.ipv4.tcp_no_metrics_save=1")
        sh("ip", "netns", "exec", self.snd, "sysctl", "-qw",
           "net.ipv4.tcp_autocorking=0")
        # The bottleneck: a token bucket towards the receiver, its queue
        # bounded in time (tail drops add to the random ones).
        sh("ip", "netns", "exec", self.rtr, "tc", "qdisc", "add", "dev",
           "vr2", "root", "tbf", "rate", rate, "burst", "3028", "latency",
           "%dms" % limit_ms)

    def set_loss(self, p, nth=False):
        sh("ip", "netns", "exec", self.rtr, "iptables", "-F", "FORWARD")
        if p > 0 and nth:   # every n-th: the same losses on every run
            sh("ip", "netns", "exec", self.rtr, "iptables", "-A", "FORWARD",
               "-i", "vr1", "-p", "tcp", "-m", "statistic", "--mode",
               "nth", "--every", str(max(2, round(1 / p))), "--packet", "0",
               "-j", "DROP")
        elif p > 0:
            sh("ip", "netns", "exec", self.rtr, "iptables", "-A", "FORWARD",
               "-i", "vr1", "-p", "tcp", "-m", "statistic", "--mode",
               "random", "--probability", "%.4f" % p, "-j", "DROP")

    def cleanup(self):
        for ns in self.made:
            sh("ip", "netns", "del", ns, check=False)
        self.made = []


class Trace:
    """A tracefs instance of our own: other users of tracefs see nothing."""

    def __init__(self, tag):
        self.dir = os.path.join(TRACEFS, "instances", "tls-" + tag)

    def start(self, port):
        os.mkdir(self.dir)
        with open(os.path.join(self.dir, "trace_clock"), "w") as f:
            f.write("global")
        with open(os.path.join(self.dir, "buffer_size_kb"), "w") as f:
            f.write("65536")
        for ev in ("tcp_probe", "tcp_cong_state_set", "tcp_retransmit_skb"):
            base = os.path.join(self.dir, "events", "tcp", ev)
            with open(os.path.join(base, "filter"), "w") as f:
                f.write("dport == %d" % port)
            with open(os.path.join(base, "enable"), "w") as f:
                f.write("1")

    def stop(self):
        with open(os.path.join(self.dir, "tracing_on"), "w") as f:
            f.write("0")
        with open(os.path.join(self.dir, "trace")) as f:
            text = f.read()
        return text

    def remove(self):
        if os.path.isdir(self.dir):
            for ev in ("tcp_probe", "tcp_cong_state_set",
                       "tcp_retransmit_skb"):
                try:
                    with open(os.path.join(self.dir, "events", "tcp", ev,
                                           "enable"), "w") as f:
                        f.write("0")
                except OSError:
                    pass
            try:
                os.rmdir(self.dir)
            except OSError:
                pass


RECEIVER = r"""
import socket, sys, time
port, total, parts = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("198.51.100.2", port)); ls.listen(1)
print("ready", flush=True)
c, _ = ls.accept()
# HTTP/1.1-like with parts > 1: a one-byte request, a response of
# total/parts bytes, a pause longer than the RTO, the next request.
for i in range(parts):
    if parts > 1:
        if i:
            time.sleep(0.4)
        c.sendall(b"G")
    want, got = total // parts, 0
    while got < want:
        b = c.recv(1 << 20)
        if not b: break
        got += len(b)
c.sendall(b"x")
c.recv(1)
c.close()
"""

SENDER = r"""
import socket, sys
port, total, cc = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
chunk, parts = int(sys.argv[4]), int(sys.argv[5])
s = socket.socket()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, cc.encode())
s.settimeout(120)
s.connect(("198.51.100.2", port))
# One segment per call: the socket is free between calls, so the kernel
# handles each ACK when it comes (while a call holds the socket, ACKs wait
# in its backlog, merged, and are handled later than the wire shows).
buf = b"\0" * chunk
for i in range(parts):
    if parts > 1:
        s.recv(1)
    left = total // parts
    while left > 0:
        n = s.send(buf[:min(left, len(buf))]); left -= n
s.recv(1)     # everything ACKed and read: only then close
s.close()
"""


def fins(path):
    """FIN segments in a pcap file tcpdump is writing (Ethernet, IPv4)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return 0
    n, off = 0, 24
    while off + 16 <= len(data):
        incl = int.from_bytes(data[off + 8:off + 12], "little")
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) >= 34 and pkt[12:14] == b"\x08\x00":
            ihl = (pkt[14] & 15) * 4
            if len(pkt) > 14 + ihl + 13 and pkt[14 + ihl + 13] & 1:
                n += 1
    return n


def parse_trace(text):
    """Events in order: ('probe', dict) | ('state', n) | ('rtx', None)."""
    evs = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if " tcp_probe:" in line:
            kv = dict(t.split("=", 1) for t in line.split(" tcp_probe:")[1]
                      .split() if "=" in t)
            evs.append(("probe", {
                "cwnd": int(kv["snd_cwnd"]), "ssthresh": int(kv["ssthresh"]),
                "una": int(kv["snd_una"], 16), "nxt": int(kv["snd_nxt"], 16),
                "srtt": int(kv["srtt"]), "len": int(kv["data_len"])}))
        elif " tcp_cong_state_set:" in line:
            v = line.rsplit("cong_state=", 1)[1].split()[0]
            evs.append(("state", int(v)))
        elif " tcp_retransmit_skb:" in line:
            evs.append(("rtx", None))
    return evs


def run_tool(tool, pcap, cc):
    tsv = sh(tool, "-r", pcap, "-T", "tsv").stdout.splitlines()[1:]
    snd = sh(tool, "-r", pcap, "-T", "sender", "--cc", cc).stdout \
        .splitlines()[1:]
    rows = []
    for a, b in zip(tsv, snd):
        t = a.split("\t")
        s = b.split("\t")
        rows.append({"frame": int(t[0]), "sport": int(t[4]),
                     "flags": t[7], "seq": int(t[8]), "ack": int(t[9]),
                     "len": int(t[10]), "an": t[12],
                     "cwnd": int(s[2]) if s[2] else None,
                     "ssthresh": int(s[4]) if s[4] else None,
                     "state": s[5], "rto": float(s[7]) if s[7] else None,
                     "cause": s[8]})
    return rows


def compare(rows, evs, port):
    """Agreement figures for one transfer captured at the sender.

    The kernel may process several ACKs as one (backlog coalescing while
    the application holds the socket), so probes are matched to the
    capture by snd_una: probe k belongs to the first incoming segment not
    yet matched before which the highest ACK seen is the probe's snd_una.
    """
    r = {"acks": 0, "cwnd1": 0, "cwnd10": 0, "cwnd10s": 0, "state": 0, "ssthresh": 0,
         "k_rto": 0, "m_rto": 0, "rto_found": 0, "rto_false": 0,
         "rtx_k": 0, "rtx_m": 0, "rtx_cause_ok": 0, "rtx_cause_n": 0,
         "never_sent_wrong": 0, "never_sent": 0, "aligned": True,
         "una_bad": 0, "probes": 0}
    # Kernel timeline: each probe with the state then, and what happened
    # (timeouts, retransmissions) after it, before the next probe.
    probes = []
    st = 0
    pre_loss, pre_rtx = 0, []
    for kind, val in evs:
        if kind == "state":
            st = val
            if val == 4:
                if probes:
                    probes[-1]["loss_after"] += 1
                else:
                    pre_loss += 1
        elif kind == "rtx":
            (probes[-1]["rtx_after"] if probes else pre_rtx).append(st)
        else:
            val = dict(val)
            val.update(state=st, loss_after=0, rtx_after=[])
            probes.append(val)
    r["probes"] = len(probes)
    if not probes:
        r["aligned"] = False
        return r
    first_una = probes[0]["una"]
    # Incoming segments while established: all but the SYN/ACK, until the
    # sender's FIN; with the highest ACK before each.
    inc, acked_before = [], []
    hi = 1
    fin_seen = False
    for i, row in enumerate(rows):
        if row["sport"] != port:
            if "FIN" in row["flags"]:
                fin_seen = True
            continue
        if "SYN" in row["flags"] or fin_seen:
            continue
        inc.append(i)
        acked_before.append(hi)
        if "ACK" in row["flags"] and row["ack"] - hi > 0 and \
                row["ack"] - hi < (1 << 31):
            hi = row["ack"]
    match = []
    q = 0
    for p in probes:
        una = (p["una"] - first_una) % (1 << 32) + 1
        q0 = q
        while q < len(inc) and acked_before[q] < una:
            q += 1
        if q < len(inc) and acked_before[q] == una:
            match.append(inc[q])
            q += 1
        else:
            q = q0
            match.append(None)
            r["una_bad"] += 1
            if os.environ.get("TLS_DEBUG"):
                print("unmatched probe una %d (q %d, acked_before %s) "
                      "nxt %d len %d" % (una, q, acked_before[q] if q < len(
                          inc) else None, (p["nxt"] - first_una) %
                          (1 << 32) + 1, p["len"]))
    # The model's state just before each row, and its timeouts,
    # retransmissions and never_sent checks row by row.
    before = []
    prev = None
    prev_rto = None
    max_end = None
    m_to = [0] * (len(rows) + 1)
    m_rtx = [[] for _ in range(len(rows) + 1)]
    for i, row in enumerate(rows):
        before.append(prev)
        data = row["len"] or "FIN" in row["flags"] or "SYN" in row["flags"]
        # The sender's model: on its data, and on the receiver's pure
        # ACKs; the other rows show the receiver's.
        if row["sport"] == port:
            if not data:
                prev = row
            continue
        if not data:
            continue
        if data:
            end = row["seq"] + row["len"] + \
                (1 if "SYN" in row["flags"] or "FIN" in row["flags"] else 0)
            if row["cause"] == "never_sent":
                r["never_sent"] += 1
                if max_end is not None and row["seq"] < max_end:
                    r["never_sent_wrong"] += 1
                    if os.environ.get("TLS_DEBUG"):
                        print("never_sent wrong: frame %d" % row["frame"])
            if "retransmission" in row["an"] and \
                    row["cause"] != "never_sent" and \
                    (max_end is None or row["seq"] >= max_end):
                r["never_sent_wrong"] += 1
                if os.environ.get("TLS_DEBUG"):
                    print("never_sent missed: frame %d" % row["frame"])
            max_end = end if max_end is None else max(max_end, end)
            if row["cause"] and row["cause"] != "never_sent":
                m_rtx[i].append(row["cause"])
            if row["cause"] == "rto" and prev_rto and row["rto"] and \
                    row["rto"] > prev_rto * 1.5:
                m_to[i] += 1
        if row["rto"]:
            prev_rto = row["rto"]
        prev = row
    # Value by value at each matched probe.
    for k, p in enumerate(probes):
        i = match[k]
        if i is None:
            continue
        b = before[i]
        if b is None or b["cwnd"] is None:
            continue
        r["acks"] += 1
        if PAIRS is not None:
            PAIRS.append((b["frame"], p["cwnd"]))
        if os.environ.get("TLS_DEBUG"):
            print("probe %d frame %d: kernel cwnd %d ssthresh %d %s | "
                  "model (frame %d) cwnd %s ssthresh %s %s" % (
                      k, rows[i]["frame"], p["cwnd"], p["ssthresh"],
                      STATES[p["state"]], b["frame"], b["cwnd"],
                      b["ssthresh"], b["state"]))
        if abs(b["cwnd"] - p["cwnd"]) <= 1:
            r["cwnd1"] += 1
        if abs(b["cwnd"] - p["cwnd"]) <= 0.1 * p["cwnd"]:
            r["cwnd10"] += 1
        # Below ten segments, 10 % is less than one: one segment then.
        if abs(b["cwnd"] - p["cwnd"]) <= max(1, 0.1 * p["cwnd"]):
            r["cwnd10s"] += 1
        # tcp_probe shows tcp_current_ssthresh(): outside a reduction, at
        # least 3/4 of cwnd. The model's is turned into the same.
        mss = b["ssthresh"] if b["ssthresh"] is not None else 0x7fffffff
        if b["state"] not in ("cwr", "recovery"):
            mss = max(mss, (b["cwnd"] >> 1) + (b["cwnd"] >> 2))
        if mss == p["ssthresh"]:
            r["ssthresh"] += 1
        if b["state"] == STATES[p["state"]]:
            r["state"] += 1
    # Timeouts and retransmissions interval by interval: between two
    # matched probes in the kernel, between their rows in the capture.
    want = {4: "rto", 3: "fast", 0: "tlp", 2: "tlp", 1: "fast"}
    bounds = [(k, i) for k, i in enumerate(match) if i is not None]
    intervals = [(pre_loss, list(pre_rtx), 0,
                  bounds[0][1] if bounds else len(rows))]
    for n, (k, i) in enumerate(bounds):
        k2, i2 = bounds[n + 1] if n + 1 < len(bounds) \
            else (len(probes), len(rows))
        kl = sum(probes[j]["loss_after"] for j in range(k, k2))
        kr = [x for j in range(k, k2) for x in probes[j]["rtx_after"]]
        intervals.append((kl, kr, i, i2))
    for kl, kr, i, i2 in intervals:
        ml = sum(m_to[i:i2])
        mr = [c for x in m_rtx[i:i2] for c in x]
        if os.environ.get("TLS_DEBUG") and (kl != ml or len(kr) != len(mr)):
            print("interval frames %s-%s: kernel %d timeouts, rtx %s; model "
                  "%d timeouts, rtx %s" % (
                      rows[i]["frame"] if i < len(rows) else "end",
                      rows[i2 - 1]["frame"] if i2 else "-", kl, kr, ml, mr))
        r["k_rto"] += kl
        r["m_rto"] += ml
        r["rto_found"] += min(kl, ml)
        r["rto_false"] += max(0, ml - kl)
        r["rtx_k"] += len(kr)
        r["rtx_m"] += len(mr)
        ks = [want.get(x, "?") for x in kr]
        for c in set(ks):
            r["rtx_cause_ok"] += min(ks.count(c), mr.count(c))
        r["rtx_cause_n"] += len(ks)
    return r


def one_run(tool, net, tag, cc, loss, nbytes, workdir, port, nth, parts):
    net.set_loss(loss, nth)
    # Named by port too, so that TLS_KEEP keeps every run (--offline).
    pcap_s = os.path.join(workdir, "snd-%s-%s-%d.pcap" % (cc, loss, port))
    pcap_r = os.path.join(workdir, "rcv-%s-%s-%d.pcap" % (cc, loss, port))
    tr = Trace(tag)
    tr.remove()
    tr.start(port)
    try:
        cap = [subprocess.Popen(
            ["ip", "netns", "exec", ns, "tcpdump", "-i", dev, "-s", "160",
             "-B", "32768", "-U", "-w", path, "tcp", "port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for ns, dev, path in ((net.snd, "vs", pcap_s),
                                  (net.rcv, "vc", pcap_r))]
        for c in cap:   # "listening on" comes once it captures
            c.stderr.readline()
        rcv = subprocess.Popen(["ip", "netns", "exec", net.rcv, "python3",
                                "-c", RECEIVER, str(port), str(nbytes),
                                str(parts)],
                               stdout=subprocess.PIPE, text=True)
        rcv.stdout.readline()
        snd = subprocess.run(["ip", "netns", "exec", net.snd, "python3",
                              "-c", SENDER, str(port), str(nbytes), cc,
                              str(CHUNK), str(parts)],
                             timeout=300)
        rcv.wait(timeout=30)
        # tcpdump drops what it has not read yet when stopped: wait until
        # both files hold both FINs (-U writes every packet at once).
        for _ in range(200):
            if fins(pcap_s) >= 2 and fins(pcap_r) >= 2:
                break
            time.sleep(0.05)
        time.sleep(0.1)
        for c in cap:
            c.send_signal(signal.SIGINT)
            err = c.communicate(timeout=10)[1].decode()
            if os.environ.get("TLS_DEBUG"):
                print(err)
        text = tr.stop()
    finally:
        tr.remove()
    if snd.returncode:
        raise RuntimeError("sender failed")
    evs = parse_trace(text)
    if os.environ.get("TLS_KEEP"):
        with open(os.path.join(workdir, "trace-%s-%s-%d.txt" %
                               (cc, loss, port)), "w") as f:
            f.write(text)
    return compare_files(tool, cc, pcap_s, pcap_r, evs, port)


def compare_files(tool, cc, pcap_s, pcap_r, evs, port):
    rows = run_tool(tool, pcap_s, cc)
    res = compare(rows, evs, port)
    # The same comparison on the capture taken at the receiver.
    global PAIRS
    keep, PAIRS = PAIRS, None
    rr = compare(run_tool(tool, pcap_r, cc), evs, port)
    PAIRS = keep
    res["rcv_n"], res["rcv_cwnd1"], res["rcv_state"] = \
        rr["acks"], rr["cwnd1"], rr["state"]
    res["segments"] = len(rows)
    return res


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def summarize(name, r):
    return ("%-14s acks %6d  cwnd±1 %5.1f%%  cwnd±10%% %5.1f%% (or ±1 "
            "%5.1f%%)  ssthresh "
            "%5.1f%%  ca_state %5.1f%%  timeouts %d/%d found, %d false  "
            "rtx cause %d/%d  never_sent wrong %d  receiver-side cwnd±1 "
            "%5.1f%% state %5.1f%%%s" % (
                name, r["acks"], pct(r["cwnd1"], r["acks"]),
                pct(r["cwnd10"], r["acks"]), pct(r["cwnd10s"], r["acks"]),
                pct(r["ssthresh"], r["acks"]),
                pct(r["state"], r["acks"]), r["rto_found"], r["k_rto"],
                r["rto_false"], r["rtx_cause_ok"], r["rtx_cause_n"],
                r["never_sent_wrong"], pct(r["rcv_cwnd1"], r["rcv_n"]),
                pct(r["rcv_state"], r["rcv_n"]),
                "" if r["aligned"] and not r["una_bad"]
                else "  (ALIGNMENT: %d una mismatches)" % r["una_bad"]))


def add(tot, r):
    for k, v in r.items():
        if isinstance(v, bool):
            tot[k] = tot.get(k, True) and v
        else:
            tot[k] = tot.get(k, 0) + v


def show(a, cc, loss, agg, what):
    if not a.markdown:
        print(summarize("%s %.1f%%%s" % (cc, loss * 100, what), agg),
              flush=True)
        return
    print("| %s | %.1f%% | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | "
          "%.1f%% | %d/%d | %d | %d/%d | %d | %.1f%% |" % (
              cc + (" HTTP x%d" % a.http if a.http > 1 else "") + what,
              loss * 100, agg["acks"],
              pct(agg["cwnd1"], agg["acks"]),
              pct(agg["cwnd10"], agg["acks"]),
              pct(agg["cwnd10s"], agg["acks"]),
              pct(agg["ssthresh"], agg["acks"]),
              pct(agg["state"], agg["acks"]),
              agg["rto_found"], agg["k_rto"],
              agg["rto_false"], agg["rtx_cause_ok"],
              agg["rtx_cause_n"], agg["never_sent_wrong"],
              pct(agg["rcv_cwnd1"], agg["rcv_n"])), flush=True)


def offline(a):
    """The runs kept by TLS_KEEP=1 in a.offline, compared again."""
    import glob
    tot = {}
    for tr in sorted(glob.glob(os.path.join(a.offline, "trace-*.txt"))):
        cc, loss, port = os.path.basename(tr)[6:-4].split("-")
        if cc not in a.cc.split(","):
            continue
        with open(tr) as f:
            evs = parse_trace(f.read())
        r = compare_files(a.tcpladder, cc,
                          os.path.join(a.offline, "snd-%s-%s-%s.pcap" %
                                       (cc, loss, port)),
                          os.path.join(a.offline, "rcv-%s-%s-%s.pcap" %
                                       (cc, loss, port)), evs, int(port))
        add(tot, r)
        print(summarize("%s %s %s" % (cc, loss, port), r), flush=True)
    if tot:
        print(summarize("all", tot))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tcpladder")
    ap.add_argument("--cc", default="reno,cubic")
    ap.add_argument("--loss", default="0.01,0.03")
    ap.add_argument("--bytes", type=int, default=2000000)
    ap.add_argument("--rate", default="20mbit")
    ap.add_argument("--queue-ms", type=int, default=40)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--http", type=int, default=1, metavar="N",
                    help="N request/response exchanges with pauses "
                    "longer than the RTO instead of one bulk transfer")
    ap.add_argument("--nth", action="store_true",
                    help="drop every 1/LOSS-th segment instead of at random")
    ap.add_argument("--cubic-min", type=float, default=85.0,
                    help="with --check: CUBIC's least share of ACKs with "
                    "cwnd within 10 %% of the kernel's")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless the issue's thresholds are met")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--per-run", action="store_true",
                    help="a row per transfer, not per loss rate")
    ap.add_argument("--pairs", metavar="FILE",
                    help="with --offline: write the model's frame and the "
                    "kernel's cwnd at each compared ACK (a test's truth)")
    ap.add_argument("--offline", metavar="DIR",
                    help="compare again the runs kept in DIR by TLS_KEEP=1 "
                    "(no transfer; for changing the model)")
    a = ap.parse_args()
    if a.offline:
        global PAIRS
        if a.pairs:
            PAIRS = []
        rc = offline(a)
        if a.pairs:
            with open(a.pairs, "w") as f:
                for fr, cw in PAIRS:
                    f.write("%d\t%d\n" % (fr, cw))
        return rc
    if os.geteuid() != 0:
        skip("needs root (network namespaces, tracefs)")
    if not os.path.isdir(os.path.join(TRACEFS, "events", "tcp")):
        subprocess.run(["mount", "-t", "tracefs", "nodev", TRACEFS],
                       stderr=subprocess.DEVNULL)
    if not os.path.isdir(os.path.join(TRACEFS, "events", "tcp",
                                      "tcp_probe")):
        skip("no tcp tracepoints under %s" % TRACEFS)
    for tool in ("ip", "tc", "iptables", "tcpdump", "ethtool"):
        if not shutil.which(tool):
            skip("%s is not installed" % tool)
    tag = str(os.getpid())
    net = Net(tag)
    workdir = tempfile.mkdtemp(prefix="tls-kernel-")
    ok = True
    try:
        try:
            net.setup(a.rate, a.queue_ms)
        except subprocess.CalledProcessError as e:
            skip("cannot build namespaces here: %s" % (e.stderr or e))
        port = 20000 + os.getpid() % 20000
        if a.markdown:
            print("| cc | loss | ACKs | cwnd ±1 seg | cwnd ±10% | "
                  "±10% or ±1 | "
                  "ssthresh | ca_state | timeouts found | false timeouts "
                  "| rtx cause | never_sent wrong | receiver: cwnd ±1 |")
            print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for cc in a.cc.split(","):
            tot = {}
            for loss in (float(x) for x in a.loss.split(",")):
                agg = {}
                for n in range(a.runs):
                    port += 1
                    r = one_run(a.tcpladder, net, tag, cc, loss, a.bytes,
                                workdir, port, a.nth, a.http)
                    add(agg, r)
                    if a.per_run:
                        show(a, cc, loss, r, " (run %d)" % (n + 1))
                add(tot, agg)
                if not a.per_run:
                    show(a, cc, loss, agg, "")
            if not a.markdown:
                print(summarize("%s all" % cc, tot), flush=True)
            need_cwnd = pct(tot["cwnd1"], tot["acks"]) >= 95 if cc == "reno" \
                else pct(tot["cwnd10"], tot["acks"]) >= a.cubic_min
            if not (need_cwnd and pct(tot["state"], tot["acks"]) >= 95 and
                    tot["rto_found"] == tot["k_rto"] and
                    tot["rto_false"] <= 0.05 * max(tot["m_rto"], 1) and
                    tot["never_sent_wrong"] == 0 and tot["aligned"]):
                ok = False
    finally:
        net.cleanup()
        if os.environ.get("TLS_KEEP"):
            print("kept " + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if a.check and not ok:
        print("FAIL: below the issue's thresholds")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
