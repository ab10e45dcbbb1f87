# SPDX-License-Identifier: GPL-2.0
# Soft-RoCE in the guest: rxe0 on a dummy netdev (rxe refuses the loopback
# device).  GID index 0 is the default GID, the IPv6 link-local address made
# from the MAC, so the guest needs no IP address of its own: QPs on rxe0
# loop back inside rxe, and the tools that exchange connection data do it
# over the guest's loopback ("localhost").  The guest has no NIC.
# Idempotent: the RDMA suites run it first; it is also a suite of its own.
set -u
echo "1..1"
if ! [ -e /sys/class/infiniband/rxe0 ]; then
	ip link set lo up &&
	{ ip link show dummy0 >/dev/null 2>&1 || ip link add dummy0 type dummy; } &&
	ip link set dummy0 up &&
	rdma link add rxe0 type rxe netdev dummy0 ||
		{ echo "not ok 1 rxe0 on dummy0: setup failed"; exit 1; }
fi
# Wait for the port to go active and GID 0 to be filled in.
i=0
while [ $i -lt 100 ]; do
	grep -q ACTIVE /sys/class/infiniband/rxe0/ports/1/state 2>/dev/null &&
	! grep -q '^0000:0000:0000:0000:0000:0000:0000:0000$' \
		/sys/class/infiniband/rxe0/ports/1/gids/0 2>/dev/null && break
	sleep 0.1
	i=$((i + 1))
done
echo "# rxe0: $(cat /sys/class/infiniband/rxe0/ports/1/state 2>/dev/null)," \
	"gid0 $(cat /sys/class/infiniband/rxe0/ports/1/gids/0 2>/dev/null)" \
	"($(cat /sys/class/infiniband/rxe0/ports/1/gid_attrs/types/0 2>/dev/null))"
if [ $i -ge 100 ]; then
	echo "not ok 1 rxe0 on dummy0: port not active with a GID after 10 s"
	exit 1
fi
echo "ok 1 rxe0 on dummy0"
