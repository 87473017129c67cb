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

# veth_transfer NS_A NS_B PORT BYTES [FILE]: a kernel TCP transfer of BYTES
# from 192.0.2.1 (in NS_A) to a sink on 192.0.2.2:PORT (in NS_B); the sink
# writes the number of bytes it received to FILE.
veth_transfer() {
	ip netns exec "$2" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.2", int(sys.argv[1]))); s.listen(1); s.settimeout(30)
c, _ = s.accept(); n = 0
while True:
    d = c.recv(65536)
    if not d: break
    n += len(d)
print(n)' "$3" > "${5:-/dev/null}" &
	local srv=$! i=0
	# Connect only once the sink listens (a loaded machine can take
	# seconds to start it): a refused first try would add a connection to
	# what the tests capture. The client still tries again for 10 s.
	while [ $i -lt 100 ] && ! ip netns exec "$2" ss -Hltn \
	        "sport = :$3" 2>/dev/null | grep -q .; do
		sleep 0.1; i=$((i + 1))
	done
	ip netns exec "$1" python3 -c '
import socket, sys, time
for i in range(100):
    try:
        s = socket.create_connection(("192.0.2.2", int(sys.argv[1])),
                                     timeout=30)
        break
    except ConnectionRefusedError:
        time.sleep(0.1)
s.sendall(b"x" * int(sys.argv[2])); s.close()' "$3" "$4"
	wait $srv
}
