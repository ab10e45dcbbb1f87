# SPDX-License-Identifier: GPL-2.0
# Teardown races, isolation, module unload, reclaim and OOM kill, on both
# devices (kselftest harness; HMM_MIRROR_REPEAT sets the race repeats).
# The guest is disposable: run the destructive tests too (run_vmtests.sh -d).
HMM_MIRROR_DESTRUCTIVE=1 exec ./hmm-mirror-lifetime
