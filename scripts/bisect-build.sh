#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect-build.sh VARIANT: build the kernel at every patch of the series in
# turn (incrementally, in the variant's build dir), so every patch is known
# to build on its own.  Ends with the tree back on the series branch and the
# build dir holding HEAD.  Then builds the objects of every .c file the
# series touches with W=1 (and sparse with SPARSE=1: Debian's sparse 0.6.4
# is too old for this tree, it does not know __typeof_unqual__): any warning
# there fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: bisect-build.sh VARIANT}
need_tree
cd "$TREE"
git symbolic-ref -q HEAD >/dev/null || die "kernel tree not on a branch"
trap 'git -C "$TREE" checkout -q "$BRANCH"' EXIT
mapfile -t commits < <(git rev-list --reverse "$BASE_TAG"..HEAD)
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	git checkout -q "$c"
	log "[$i/${#commits[@]}] $(git log -1 --format=%s "$c")"
	# Options a later patch introduces do not exist yet: until the last
	# patch, verify only the fragments that do not depend on the series.
	partial=1
	[ "$i" -eq "${#commits[@]}" ] && partial=0
	if ! PARTIAL_CONFIG=$partial "$TOP/scripts/build-kernel.sh" "$variant" > "$OUT/logs/bisect-$i.log" 2>&1; then
		tail -n 40 "$OUT/logs/bisect-$i.log" >&2
		die "patch $i does not build: $(git log -1 --format=%s "$c")"
	fi
	if grep -E '(warning|error):' "$OUT/logs/bisect-$i.log" >&2; then
		die "patch $i builds with warnings: $(git log -1 --format=%s "$c")"
	fi
done
git checkout -q "$BRANCH"
trap - EXIT
# An empty series: the loop built nothing.
[ ${#commits[@]} -gt 0 ] || "$TOP/scripts/build-kernel.sh" "$variant"

# W=1 on what the series touches.
# mlx5 has no device here and is not in this config: compile-mlx5.sh.
mapfile -t objs < <(git diff --name-only "$BASE_TAG"..HEAD -- '*.c' |
	grep -v -e '^tools/' -e '^drivers/infiniband/hw/mlx5/' | sed 's/\.c$/.o/')
if [ ${#objs[@]} -gt 0 ]; then
	B=$OUT/build/$variant
	sparse=()
	[ "${SPARSE:-0}" = 1 ] && sparse=(C=2 CF=-D__CHECK_ENDIAN__)
	out=$(make -s -C "$TREE" O="$B" W=1 "${sparse[@]}" "${objs[@]}" 2>&1) || {
		printf '%s\n' "$out" >&2; die "W=1/sparse build failed"; }
	if [ -n "$out" ]; then
		printf '%s\n' "$out" >&2
		die "W=1 warnings in objects the series touches"
	fi
	log "W=1${sparse:+ + sparse} clean: ${objs[*]}"
	# Rebuild them with the normal flags for the VM run.
	"$TOP/scripts/build-kernel.sh" "$variant"
fi
