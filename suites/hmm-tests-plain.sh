# SPDX-License-Identifier: GPL-2.0
# The hmm-tests that outrun their harness timeout on the debug kernel
# (KASAN + lockdep under TCG), on the plain kernel: see hmm-tests.sh.
exec ./hmm-tests -t benchmark_thp_migration -t migrate_remap_fault
