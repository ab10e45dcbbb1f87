# SPDX-License-Identifier: GPL-2.0
# RDMA ODP stress (selftests/rdma/odp_stress): QPs doing RDMA READ, WRITE
# and atomics on ODP MRs of rxe0, quiet and while another thread changes
# what the memory maps; tagged data is the oracle.  Then
# RDMA on an ODP MR over hugetlb pages (odp_stress -H), with huge pages
# reserved here and given back after.
set -u
sh "$HMM_TOP/suites/rdma-setup.sh" | sed 's/^\(not \)\{0,1\}ok /# setup: &/' | grep -v '^1\.\.'
./odp_stress -d "${ODP_STRESS_D:-3}"
rc=$?
hp=/proc/sys/vm/nr_hugepages
old=$(cat $hp)
echo $((old + 4)) > $hp
./odp_stress -H
[ $? -eq 1 ] && rc=1
echo "$old" > $hp
exit $rc
