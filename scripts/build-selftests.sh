#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-selftests.sh VARIANT: build the selftest programs the suites run
# into $OUT/selftests/: those of selftests/mm, and the project's fuzzer,
# statically linked; the RDMA ones against the host's libibverbs (the
# guest's root is the host's).  Programs whose sources the tree does not
# have (an earlier patch of the series) are skipped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: build-selftests.sh debug|plain}
B=$OUT/build/$variant
S=$TREE/tools/testing/selftests
D=$OUT/selftests
mkdir -p "$D"
[ -d "$B/usr/include" ] || die "no uapi headers in $B (build the kernel first)"

cflags=(-static -O2 -g -Wall -U_FORTIFY_SOURCE -no-pie -D_GNU_SOURCE
	-I "$TREE" -I "$S" -isystem "$B/usr/include"
	-isystem "$TREE/tools/include/uapi")
libs=(-lrt -lpthread -lm)

# name: sources (relative to tools/testing/selftests/mm)
progs=(
	"hmm-tests: hmm-tests.c vm_util.c hugepage_settings.c"
	"hmm-mirror-tests: hmm-mirror-tests.c vm_util.c hugepage_settings.c"
	"hmm-mirror-stress: hmm-mirror-stress.c vm_util.c hugepage_settings.c"
	"hmm-mirror-lifetime: hmm-mirror-lifetime.c vm_util.c hugepage_settings.c"
)
for p in "${progs[@]}"; do
	name=${p%%:*}
	read -r -a srcs <<< "${p#*:}"
	if [ ! -f "$S/mm/${srcs[0]}" ]; then
		rm -f "$D/$name"
		continue
	fi
	(cd "$S/mm" && gcc "${cflags[@]}" "${srcs[@]}" "${libs[@]}" -o "$D/$name.tmp")
	mv -f "$D/$name.tmp" "$D/$name"
	log "built $name"
done

# The ioctl fuzzer is the project's own (fuzz/), not a selftest of the
# series; it needs the test device's uapi header, from the tree.
if [ -f "$TREE/lib/test_hmm_mirror_uapi.h" ]; then
	gcc "${cflags[@]}" "$TOP/fuzz/hmm-mirror-fuzz.c" "${libs[@]}" \
		-o "$D/hmm-mirror-fuzz.tmp"
	mv -f "$D/hmm-mirror-fuzz.tmp" "$D/hmm-mirror-fuzz"
	log "built hmm-mirror-fuzz"
else
	rm -f "$D/hmm-mirror-fuzz"
fi

# RDMA: selftests/rdma, dynamically linked against libibverbs.
rdma_progs=(odp_stress)
for name in "${rdma_progs[@]}"; do
	if [ ! -f "$S/rdma/$name.c" ]; then
		rm -f "$D/$name"
		continue
	fi
	gcc -O2 -g -Wall -D_GNU_SOURCE -I "$S" "$S/rdma/$name.c" \
		-libverbs -lpthread -o "$D/$name.tmp"
	mv -f "$D/$name.tmp" "$D/$name"
	log "built $name"
done
