# Sourced by the live tests and benchmarks: two network namespaces joined by
# a veth pair, with documentation addresses only and offloads off (so
# segments are MSS-sized, as on a real path).
#   veth_pair NS_A NS_B DEV_A DEV_B
# makes NS_A (192.0.2.1 on DEV_A) and NS_B (192.0.2.2 on DEV_B); returns
# non-zero, with what is made so far left for the caller's cleanup to
# delete, when namespaces or veth pairs cannot be made here.
veth_pair() {
	ip netns add "$1" 2>/dev/null && ip netns add "$2" || return 1
	ip link add "$3" netns "$1" type veth peer name "$4" netns "$2" ||
		return 1
	ip -n "$1" addr add 192.0.2.1/24 dev "$3"
	ip -n "$2" addr add 192.0.2.2/24 dev "$4"
	ip -n "$1" link set "$3" up
	ip -n "$2" link set "$4" up
	ip -n "$1" link set lo up
	ip -n "$2" link set lo up
	ip netns exec "$1" ethtool -K "$3" tso off gso off gro off >/dev/null 2>&1
	ip netns exec "$2" ethtool -K "$4" tso off gso off gro off >/dev/null 2>&1
	return 0
}
