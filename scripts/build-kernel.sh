#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh VARIANT: configure (config.sh) and build bzImage, modules
# and the uapi headers of the kernel tree into $OUT/build/VARIANT.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: build-kernel.sh debug|plain}
B=$OUT/build/$variant
"$TOP/scripts/config.sh" "$variant"

cc=gcc
if command -v ccache >/dev/null 2>&1; then
	cc="ccache gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_BASEDIR=$OUT
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
fi
# Fixed build identity: reproducible objects and ccache hits across trees.
export KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=hmm KBUILD_BUILD_HOST=mirror
jobs=${JOBS:-$(nproc)}
log "building $variant (-j$jobs, CC=$cc)"
make -s -C "$TREE" O="$B" CC="$cc" -j"$jobs" ${KBUILD_EXTRA:-} bzImage modules
make -s -C "$TREE" O="$B" -j"$jobs" headers >/dev/null
log "built $B/arch/x86/boot/bzImage"
