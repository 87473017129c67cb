#!/bin/sh
# Installs what tcpladder needs to build and to run its tests on Debian 12.
# Run as root (or through sudo). Safe to run again.
set -eu
if [ "$(id -u)" -ne 0 ]; then
	exec sudo sh "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake pkg-config \
	libpcap-dev libncurses-dev \
	tshark tcpdump tmux python3 python3-scapy \
	iproute2 iptables ethtool procps util-linux \
	clang >/dev/null
