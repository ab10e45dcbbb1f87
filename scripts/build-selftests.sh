#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-selftests.sh VARIANT: build the selftest programs the suites run
# into $OUT/selftests/: those of selftests/mm statically linked, the RDMA
# ones against the host's libibverbs (the guest's root is the host's).  Programs whose sources the tree
# does not have (an earlier patch of the series) are skipped with a note.
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
	"hmm-mirror-fuzz: hmm-mirror-fuzz.c vm_util.c"
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
