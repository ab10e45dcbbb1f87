# SPDX-License-Identifier: GPL-2.0
# The memory pressure cases of hmm-mirror-lifetime (reclaim and swap-out,
# OOM kill), for the small-memory guest of make check.
# Destructive (swap on zram, hugetlb pool, OOM kill): the guest is disposable.
HMM_MIRROR_DESTRUCTIVE=1 exec ./hmm-mirror-lifetime -f pressure
