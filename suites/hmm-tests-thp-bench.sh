# SPDX-License-Identifier: GPL-2.0
# hmm-tests' benchmark_thp_migration alone (plain kernel: see hmm-tests.sh).
exec ./hmm-tests -t benchmark_thp_migration
