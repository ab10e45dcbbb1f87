#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Harness self-test, run inside the VM: write a fake splat into the kernel
# log.  The host must fail the run and print it.
echo "BUG: hmm_mirror harness self-test: fake splat injected on purpose" > /dev/kmsg
echo "ok 1 fake splat written to /dev/kmsg"
