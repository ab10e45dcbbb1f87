# SPDX-License-Identifier: GPL-2.0
# RDMA ODP stress (selftests/rdma/odp_stress): QPs doing RDMA READ, WRITE,
# SEND, atomics and prefetch on ODP MRs of rxe0 while other threads and
# processes change what the memory maps; tagged data is the oracle.  The
# pageout storm swaps to zram, set up here when no swap is active.  Then
# RDMA on an ODP MR over hugetlb pages (odp_stress -H), with huge pages
# reserved here and given back after.
set -u
sh "$HMM_TOP/suites/rdma-setup.sh" | sed 's/^\(not \)\{0,1\}ok /# setup: &/' | grep -v '^1\.\.'
sh "$HMM_TOP/scripts/guest/zram-swap.sh" on
./odp_stress -d "${ODP_STRESS_D:-3}"
rc=$?
sh "$HMM_TOP/scripts/guest/zram-swap.sh" off
hp=/proc/sys/vm/nr_hugepages
old=$(cat $hp)
echo $((old + 4)) > $hp
./odp_stress -H
[ $? -eq 1 ] && rc=1
echo "$old" > $hp
exit $rc
