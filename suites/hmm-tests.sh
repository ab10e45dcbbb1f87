# SPDX-License-Identifier: GPL-2.0
# The upstream hmm-tests (lib/test_hmm.c + selftests/mm/hmm-tests.c): the
# peer suite that must keep passing on the patched kernel.
# benchmark_thp_migration runs past its 120 s limit on the debug kernel
# (KASAN + lockdep under TCG), and migrate_remap_fault (24 rounds of 2 MiB
# checked an int at a time) past its 30 s one on this machine (stop 20:
# 2 of 2 runs); they run as their own suite, hmm-tests-plain, on the plain
# kernel.
exec ./hmm-tests -T benchmark_thp_migration -T migrate_remap_fault
