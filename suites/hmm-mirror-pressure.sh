# SPDX-License-Identifier: GPL-2.0
# The memory pressure cases of hmm-mirror-lifetime (reclaim and swap-out,
# OOM kill), for the small-memory guest of make check.
exec ./hmm-mirror-lifetime -f pressure
