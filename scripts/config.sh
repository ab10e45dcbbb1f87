#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# config.sh VARIANT: write $OUT/build/VARIANT/.config = tinyconfig + the
# variant's fragments, then verify that every option the fragments ask for
# really is set (Kconfig silently drops options whose dependencies fail).
# The config is regenerated only when the fragments or the tree's Kconfig
# files change, so an unchanged config never forces a rebuild.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: config.sh debug|plain|kcsan|mlx5}
case $variant in
debug) frags=(base mm rdma series debug) ;;
plain) frags=(base mm rdma series) ;;
mlx5) frags=(base mm rdma series mlx5) ;;
kcsan) frags=(base mm rdma series kcsan) ;;
odp-base) frags=(base mm rdma series) ;;
*) die "unknown variant $variant" ;;
esac
need_tree
B=$OUT/build/$variant
mkdir -p "$B"
files=()
for f in "${frags[@]}"; do
	[ -f "$TOP/configs/$f.config" ] && files+=("$TOP/configs/$f.config")
done

stamp=$( (cat "${files[@]}"; echo "${PARTIAL_CONFIG:-0}"; git -C "$TREE" ls-files -s -- '*Kconfig*' | sha256sum) | sha256sum | cut -c1-16)
if [ -f "$B/.config" ] && [ "$(cat "$B/.config.stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

log "configuring $variant: tinyconfig + ${frags[*]}"
make -s -C "$TREE" O="$B" tinyconfig >/dev/null
(cd "$B" && "$TREE/scripts/kconfig/merge_config.sh" -m -O "$B" "$B/.config" "${files[@]}" >/dev/null)
make -s -C "$TREE" O="$B" olddefconfig >/dev/null

# Verify every requested option.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=n)
		opt=${line%%=*}
		if grep -q "^$opt=" "$B/.config"; then
			warn "$opt: requested n, got $(grep "^$opt=" "$B/.config")"
			bad=1
		fi ;;
	CONFIG_*=*)
		grep -qxF "$line" "$B/.config" && continue
		opt=${line%%=*}
		got=$(grep -E "^$opt=|^# $opt is not set" "$B/.config" || echo "absent")
		warn "$line: Kconfig dropped it (got: $got)"
		bad=1 ;;
	esac
done < <(for f in "${files[@]}"; do
	# While building a prefix of the series (bisect-build.sh), the options
	# of later patches do not exist yet.
	[ "${PARTIAL_CONFIG:-0}" = 1 ] && [ "${f##*/}" = series.config ] && continue
	grep -E '^CONFIG_' "$f"
done)
[ $bad -eq 0 ] || die "config $variant: requested options were dropped (see above)"
echo "$stamp" > "$B/.config.stamp"
log "config $variant verified ($(grep -c '=y\|=m' "$B/.config") options set)"
