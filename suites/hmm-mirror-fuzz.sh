# SPDX-License-Identifier: GPL-2.0
# ioctl fuzzer: random valid and invalid commands on every device while
# other threads mmap/munmap/mprotect/fork; every errno must be one the uapi
# header documents. A new seed each run (printed first, with the replay
# command); 30 s in make check, longer in make soak.
exec ./hmm-mirror-fuzz -d 30
