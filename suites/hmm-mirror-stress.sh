# SPDX-License-Identifier: GPL-2.0
# Stress tests: device faults against invalidation storms, with the audit
# ioctl and data checks as the oracle; starvation and non-blockable cases.
# HMM_MIRROR_STRESS_ARGS (e.g. "-d 60 -t 4") makes a soak run of it.
exec ./hmm-mirror-stress ${HMM_MIRROR_STRESS_ARGS:-}
