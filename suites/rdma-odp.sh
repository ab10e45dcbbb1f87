# SPDX-License-Identifier: GPL-2.0
# RDMA on-demand paging on soft-RoCE (rxe), with userspace others wrote:
#  - ibv_rc_pingpong (ibverbs-utils) on ODP MRs, with and without prefetch,
#    data checked (-c);
#  - rdma-core's own tests (python3-pyverbs), per test case, through
#    scripts/guest/rdma-core-tests.py.  Modules: $RDMA_CORE_MODULES below;
#    test cases that fail on the unconverted kernel are excluded by name,
#    with the reason, in suites/rdma-odp.exclude (printed on every run).
# Run one module by hand in the guest (make vm RUN=...; see README).
set -u
RDMA_CORE_MODULES="test_odp test_mr test_qp test_cq test_pd test_device \
test_atomic test_qpex test_cqex test_shared_pd test_parent_domain \
test_cq_events test_fork test_relaxed_ordering test_addr test_flow \
test_rss_traffic test_tag_matching test_rdmacm"
pass=0 fail=0
tap() {	# tap OK NAME
	n=$((pass + fail + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
		pass=$((pass + 1))
	else
		echo "not ok $n $2"
		fail=$((fail + 1))
	fi
}

sh "$HMM_TOP/suites/rdma-setup.sh" > /tmp/rdma-setup.log
src=$?
grep -v '^1\.\.' /tmp/rdma-setup.log | sed 's/^\(not \)\{0,1\}ok /# setup: &/'
tap $src "rdma-setup: rxe0 on dummy0"

# A server waits for its client on TCP port 18515 (0x4853) of the guest's
# loopback.
listening() { grep -q ':4853 .* 0A ' /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
pingpong() {	# pingpong NAME ARGS...
	name=$1
	shift
	timeout 300 ibv_rc_pingpong -d rxe0 -g 0 -c "$@" > /tmp/pp-server.log 2>&1 &
	srv=$!
	i=0
	while ! listening && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	timeout 300 ibv_rc_pingpong -d rxe0 -g 0 -c "$@" localhost > /tmp/pp-client.log 2>&1
	crc=$?
	wait $srv
	src=$?
	sed 's/^/# server: /' /tmp/pp-server.log
	sed 's/^/# client: /' /tmp/pp-client.log
	# A program killed by a signal loses its buffered output: say how it
	# ended (128 + signal number; 124 is the timeout).
	[ $crc -eq 0 ] && [ $src -eq 0 ] ||
		echo "# $name: client exit status $crc, server exit status $src"
	[ $crc -eq 0 ] && [ $src -eq 0 ]
	tap $? "ibv_rc_pingpong $name"
}
pingpong "ODP (-o)" -o -n 500
pingpong "ODP + prefetch (-o -P)" -o -P -n 500
pingpong "ODP, 64 KiB messages (-o -s 65536)" -o -s 65536 -n 200
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"

# test_odp's huge page cases (IB_ACCESS_HUGETLB, which rxe takes on ODP
# MRs with the series) skip without free 2 MiB pages: reserve some.
hp=/proc/sys/vm/nr_hugepages
old_hp=$(cat $hp)
echo $((old_hp + 8)) > $hp
# shellcheck disable=SC2086
/usr/bin/python3 "$HMM_TOP/scripts/guest/rdma-core-tests.py" --dev rxe0 --gid 0 \
	--exclude "$HMM_TOP/suites/rdma-odp.exclude" $RDMA_CORE_MODULES
rc=$?
echo "$old_hp" > $hp
[ $fail -eq 0 ] && [ $rc -eq 0 ]
