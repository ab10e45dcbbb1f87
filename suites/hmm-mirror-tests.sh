# SPDX-License-Identifier: GPL-2.0
# Functional tests of the hmm_mirror framework through lib/test_hmm_mirror.c.
# HMM_MIRROR_DESTRUCTIVE=1: the hugetlb test may grow the pool (and
# shrinks it back) when no huge page is free, as run_vmtests.sh -d allows.
HMM_MIRROR_DESTRUCTIVE=1 exec ./hmm-mirror-tests
