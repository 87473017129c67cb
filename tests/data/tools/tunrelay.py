#!/usr/bin/python3
"""Connect two network namespaces with a pair of tun devices (a tun device
in each, packets copied between them by this process).  tcpdump on a tun
device records LINKTYPE_RAW (raw IPv4/IPv6, no link header).

  tunrelay.py NETNS_A DEV_A NETNS_B DEV_B

Creates DEV_A in /run/netns/NETNS_A and DEV_B in /run/netns/NETNS_B, prints
"ready", and copies packets until killed (SIGTERM/SIGINT).  The devices are
not persistent: they disappear when this process exits.
"""
import ctypes
import fcntl
import os
import select
import signal
import struct
import sys

TUNSETIFF = 0x400454ca
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        sys.exit("setns %s: %s" % (ns, os.strerror(ctypes.get_errno())))
    os.close(fd)


def mktun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(),
                                           IFF_TUN | IFF_NO_PI))
    return fd


def main():
    ns_a, dev_a, ns_b, dev_b = sys.argv[1:5]
    enter(ns_a)
    fa = mktun(dev_a)
    enter(ns_b)
    fb = mktun(dev_b)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    peer = {fa: fb, fb: fa}
    while True:
        r, _, _ = select.select([fa, fb], [], [])
        for f in r:
            try:
                os.write(peer[f], os.read(f, 65536))
            except OSError:
                pass


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
