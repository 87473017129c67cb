#!/bin/sh
# CUBIC's clock in the sender model, without root: the first 1400 frames
# of a kernel CUBIC transfer at 5 % random loss (captured at the sender by
# tests/sender-kernel.py, MACs rewritten) and, in .cwnd, the kernel's own
# snd_cwnd from tcp_probe at each of its ACKs, keyed by the frame of the
# model's row to compare (the sender's state just before that ACK; written
# by `sender-kernel.py --offline DIR --pairs FILE`). Fails unless -T sender
# is within 10 % of the kernel on at least 95 % of them: with CUBIC timed on
# the capture's own jiffy boundaries, not the sender's, it gets 82 %.
: "${TCPLADDER:=./tcpladder}"
: "${srcdir:=.}"
d=$srcdir/tests/data
"$TCPLADDER" -r "$d/cubic-sender-loss.pcap" -T sender --cc cubic |
awk -F '\t' -v truth="$d/cubic-sender-loss.cwnd" '
	NR > 1 { cwnd[$1] = $3 }
	END {
		while ((getline l < truth) > 0) {
			split(l, f, "\t")
			n++
			d = cwnd[f[1]] - f[2]
			if (d < 0) d = -d
			if (cwnd[f[1]] != "" && d <= 0.1 * f[2]) ok++
		}
		if (n < 500) { print "FAIL: only " n " rows in " truth; exit 1 }
		printf "cwnd within 10%% of the kernel on %d of %d ACKs (%.1f%%)\n", ok, n, 100 * ok / n
		if (ok < 0.95 * n) { print "FAIL: below 95%"; exit 1 }
	}'
