# SPDX-License-Identifier: GPL-2.0
# The upstream hmm-tests (lib/test_hmm.c + selftests/mm/hmm-tests.c): the
# peer suite that must keep passing on the patched kernel.
# benchmark_thp_migration runs past its 120 s limit on the debug kernel
# (KASAN + lockdep under TCG); it runs as its own suite, hmm-tests-thp-bench,
# on the plain kernel.
exec ./hmm-tests -T benchmark_thp_migration
