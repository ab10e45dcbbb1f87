#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# docs-check.sh: build the Documentation/ directories the series touches
# with "make SPHINXDIRS=... htmldocs" and fail on any warning about a
# file the series adds or changes (the base tree has warnings of its own).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_tree
cd "$TREE"
mapfile -t files < <(git diff --name-only "$BASE_TAG"..HEAD)
mapfile -t dirs < <(printf '%s\n' "${files[@]}" | sed -n 's#^Documentation/\([^/]*\)/.*\.rst$#\1#p' | sort -u)
if [ ${#dirs[@]} -eq 0 ]; then
	log "the series touches no Documentation/ directory"
	exit 0
fi
D=$OUT/docs
mkdir -p "$D" "$OUT/logs"
# Sphinx and its modules come from Debian's python3 (python3-sphinx).
if ! PATH=/usr/bin:$PATH make -C "$TREE" O="$D" SPHINXDIRS="${dirs[*]}" htmldocs \
	> "$OUT/logs/htmldocs.log" 2>&1; then
	tail -n 30 "$OUT/logs/htmldocs.log" >&2
	die "make htmldocs failed"
fi
# Warnings about the files the series adds (a page missing from its
# toctree is reported on the page itself), and about the kernel-doc of the
# C files it touches.  Modified pages of the base (index.rst) have warnings
# of their own, about links outside SPHINXDIRS.
mapfile -t added < <(git diff --name-only --diff-filter=A "$BASE_TAG"..HEAD)
pat=$( (printf '%s\n' "${added[@]}" | grep -E '\.rst$'
	printf '%s\n' "${files[@]}" | grep -E '\.[ch]$') | sed 's/[.]/\\./g' | paste -sd'|' -)
if grep -E 'WARNING|ERROR' "$OUT/logs/htmldocs.log" | grep -E "$pat" >&2; then
	die "htmldocs warnings in files of the series (see above)"
fi
log "htmldocs (${dirs[*]}): no warning in the series' files"
