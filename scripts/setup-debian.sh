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
	libpcap-dev libncurses-dev libpcre2-dev \
	tshark tcpdump tmux python3 python3-scapy \
	iproute2 iptables ethtool procps util-linux libcap2-bin \
	libnghttp2-dev socat nghttp2-proxy nghttp2-client curl \
	libnetfilter-queue-dev \
	clang >/dev/null
# The picture tests (tests/pictures.sh): xmllint validates -T svg/html,
# headless Chromium renders them, python3-pil reads the screenshots; the
# pictures ask for DejaVu Sans Mono.
apt-get install -y -qq --no-install-recommends \
	libxml2-utils chromium python3-pil fonts-dejavu-core >/dev/null
# Fuzzing (./configure --enable-fuzzing CC=clang): libFuzzer and the
# sanitizer runtimes are only recommended by clang; GNU time measures the
# peak memory of the hostile-capture tests.
apt-get install -y -qq --no-install-recommends \
	libclang-rt-14-dev time >/dev/null
