# SPDX-License-Identifier: GPL-2.0
# Stress tests: device faults against invalidation storms, with the audit
# ioctl and data checks as the oracle; starvation and non-blockable cases.
# Defaults (3 s per case); for a soak run use
#   make vm RUN=out/selftests/hmm-mirror-stress ARGS='-d 60 -t 4'
# The guest has no swap: let the MADV_PAGEOUT case swap on zram
# (destructive, run_vmtests.sh -d; the guest is disposable).
HMM_MIRROR_DESTRUCTIVE=1 exec ./hmm-mirror-stress
