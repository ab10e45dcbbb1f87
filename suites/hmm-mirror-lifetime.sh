# SPDX-License-Identifier: GPL-2.0
# Teardown races, isolation, module unload, reclaim and OOM kill, on both
# devices (kselftest harness; HMM_MIRROR_REPEAT sets the race repeats).
exec ./hmm-mirror-lifetime
