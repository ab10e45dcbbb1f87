#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# compile-mlx5.sh: mlx5 has no device here, so its ODP code is compile-tested
# only.  Builds drivers/infiniband/hw/mlx5/ (MLX5_CORE and MLX5_INFINIBAND as
# modules, configs/mlx5.config) with W=1 at every patch of the series that
# changes mlx5, umem_odp or include/rdma, so that each mlx5 step is known to
# build on its own.  Fails on any warning in a file the series touches;
# warnings of untouched files are listed as pre-existing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_tree
cd "$TREE"
git symbolic-ref -q HEAD >/dev/null || die "kernel tree not on a branch"
B=$OUT/build/mlx5
"$TOP/scripts/config.sh" mlx5
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_BASEDIR=$OUT
cc=gcc
command -v ccache >/dev/null 2>&1 && cc="ccache gcc"
trap 'git -C "$TREE" checkout -q "$BRANCH"' EXIT
# The patches that change mlx5 or what it includes of the series.
mapfile -t commits < <(git rev-list --reverse "$BASE_TAG"..HEAD -- \
	drivers/infiniband/hw/mlx5 drivers/infiniband/core/umem_odp.c include/rdma)
touched=$(git diff --name-only "$BASE_TAG"..HEAD -- drivers/infiniband include/rdma)
for c in "${commits[@]}"; do
	git checkout -q "$c"
	log "mlx5 W=1 at: $(git log -1 --format=%s "$c")"
	out=$(make -s O="$B" CC="$cc" -j"${JOBS:-$(nproc)}" W=1 \
		drivers/infiniband/core/ drivers/infiniband/hw/mlx5/ 2>&1) || {
		printf '%s\n' "$out" >&2; die "mlx5 does not build at $c"; }
	bad=0
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		if grep -q "$f" <<<"$out"; then
			grep "$f" <<<"$out" >&2
			bad=1
		fi
	done <<<"$touched"
	[ $bad -eq 0 ] || die "W=1 warnings in files the series touches at $c"
	[ -z "$out" ] || log "pre-existing warnings (files the series does not touch): $(grep -c 'arning' <<<"$out")"
done
git checkout -q "$BRANCH"
trap - EXIT
ls "$B"/drivers/infiniband/hw/mlx5/odp.o "$B"/drivers/infiniband/core/umem_odp.o >/dev/null
log "mlx5 ODP builds W=1 clean at ${#commits[@]} patches"
