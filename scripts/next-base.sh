#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# next-base.sh: apply patches/ with git am on the second base
# (base-next.conf: the newest mainline release candidate Debian ships) in
# $OUT/linux-next, one patch at a time, and report which patches apply.
# Exits non-zero if any does not.  Not yet a step of 'make check': patches
# that rewrite code mainline changed since the pinned base (lib/test_hmm.c,
# drivers/infiniband/core/umem_odp.c) cannot apply to both bases.
set -uo pipefail
export BASE_CONF=base-next.conf TREE=${NEXT_TREE:-${OUT:-$(dirname "$0")/../out}/linux-next}
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/get-base.sh" || die "cannot fetch the second base"
cd "$TREE"
git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B "$BRANCH" "$BASE_TAG"
git clean -fdxq
bad=0 n=0
while read -r p; do
	n=$((n + 1))
	if tool_git am -q --keep-cr "$p" >"$OUT/am-next.log" 2>&1; then
		echo "ok     ${p##*/}"
		continue
	fi
	echo "FAILED ${p##*/}"
	sed 's/^/	/' "$OUT/am-next.log" | grep -E 'error:' | head -n 5
	git am --abort >/dev/null 2>&1 || true
	bad=$((bad + 1))
done < <(series)
log "$BASE_VERSION ($(make -s kernelversion)): $((n - bad)) of $n patches apply on their own"
[ $bad -eq 0 ]
