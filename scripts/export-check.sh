#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# export-check.sh: fail when the kernel tree holds commits or edits that are
# not in patches/ (or patches/ holds something the tree does not).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ ! -d "$TREE/.git" ]; then
	log "no kernel tree: nothing unexported"
	exit 0
fi
cd "$TREE"
dirty=$(git status --porcelain)
if [ -n "$dirty" ]; then
	printf '%s\n' "$dirty" | head -n 20 >&2
	die "kernel tree has uncommitted changes (commit them, then 'make export')"
fi
branch=$(git symbolic-ref -q --short HEAD || echo DETACHED)
[ "$branch" = "$BRANCH" ] || die "kernel tree is on '$branch', not '$BRANCH'"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$TOP/scripts/export.sh" "$tmp" 2>/dev/null
mkdir -p "$tmp/want"
mv "$tmp"/*.patch "$tmp/want/" 2>/dev/null || true
mkdir -p "$tmp/have"
cp "$PATCHES"/*.patch "$tmp/have/" 2>/dev/null || true
if ! diff -r -u "$tmp/have" "$tmp/want" > "$tmp/diff"; then
	head -n 40 "$tmp/diff" >&2
	die "kernel tree and patches/ differ: run 'make export' (or 'make tree' to discard the tree's changes)"
fi
log "kernel tree matches patches/ ($(ls "$tmp/want" | wc -l) files)"
