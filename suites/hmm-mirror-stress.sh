# SPDX-License-Identifier: GPL-2.0
# Stress tests: device faults against invalidation storms, with the audit
# ioctl and data checks as the oracle; starvation and non-blockable cases.
# Defaults (3 s per case); for a soak run use
#   make vm RUN=out/selftests/hmm-mirror-stress ARGS='-d 60 -t 4'
exec ./hmm-mirror-stress
