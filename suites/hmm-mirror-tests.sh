# SPDX-License-Identifier: GPL-2.0
# Functional tests of the hmm_mirror framework through lib/test_hmm_mirror.c.
exec ./hmm-mirror-tests
