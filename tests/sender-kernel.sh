#!/bin/sh
# The sender model (-T sender) against the kernel's own tracepoints, small
# and fast: Reno and CUBIC bulk transfers of 1 MB through a 20 Mbit/s
# bottleneck, every 50th and every 20th segment dropped (deterministic),
# captured at the sender; fails below the thresholds of issue 16 (Reno's
# cwnd within one segment on 95 % of ACKs, CUBIC's within 10 % on 85 %,
# ca_state on 95 %, every timeout found, at most 5 % false, never_sent
# never wrong). Needs root, network namespaces, tracefs, tcpdump and
# iptables: skipped (77) with the reason otherwise. About 20 s. The full
# version: bench/sender-kernel.sh; without root, tests/sender-clock.sh.
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
exec python3 "$srcdir/tests/sender-kernel.py" "$TCPLADDER" --cc reno,cubic \
	--loss 0.02,0.05 --nth --bytes 1000000 --cubic-min 85 --check
