#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# export.sh [DIR]: write the series (base..HEAD of the kernel tree) as
# format-patch output to DIR (default: patches/).  Deterministic: the same
# commits always give byte-identical files (zero commit ids, no version
# signature, cover letter dated like the last patch).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dest=${1:-$PATCHES}
need_tree
cd "$TREE"
if [ -n "$(git status --porcelain)" ]; then
	git status --short >&2
	die "uncommitted changes in $TREE: commit them (git commit --fixup ...) first"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(git rev-list --count "$BASE_TAG"..HEAD)
if [ "$n" -gt 0 ]; then
	desc=$(git config "branch.$BRANCH.description" || true)
	if [ -z "$desc" ]; then
		git config "branch.$BRANCH.description" \
			"$(printf '%s\n\n%s\n' "*** SUBJECT HERE ***" "*** BLURB HERE ***")"
		warn "no cover letter yet: edit it with 'git -C $TREE branch --edit-description'"
	fi
	# The cover letter takes its author and date from the committer identity.
	export GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE
	GIT_COMMITTER_NAME=$(git log -1 --format=%an HEAD)
	GIT_COMMITTER_EMAIL=$(git log -1 --format=%ae HEAD)
	GIT_COMMITTER_DATE=$(git log -1 --format=%ad --date=raw HEAD)
	git -c diff.noprefix=false -c format.signature= -c core.abbrev=12 \
		format-patch -q --zero-commit --no-signature --cover-letter \
		--cover-from-description=subject --subject-prefix="${SUBJECT_PREFIX:-PATCH}" \
		--no-thread --stat=72 -o "$tmp" "$BASE_TAG"..HEAD
fi
mkdir -p "$dest"
find "$dest" -maxdepth 1 -name '*.patch' -delete
if [ "$n" -gt 0 ]; then
	cp "$tmp"/*.patch "$dest"/
fi
[ "$dest" = "$PATCHES" ] && log "exported $n patches (+ cover letter) to patches/"
exit 0
