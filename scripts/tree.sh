#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tree.sh: (re)create the kernel tree = base + git am patches/*.patch.
# Refuses to throw away work that was never exported unless FORCE=1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/get-base.sh"
cd "$TREE"
# Work to lose: commits on top of the base, or edits.  A tree that is just
# the base (a fresh clone's first run) has none.
has_work() {
	[ -n "$(git rev-list "$BASE_TAG"..HEAD 2>/dev/null)" ] ||
		[ -n "$(git status --porcelain)" ]
}
if [ "${FORCE:-0}" != 1 ] && has_work &&
   ! "$TOP/scripts/export-check.sh" >/dev/null 2>&1; then
	"$TOP/scripts/export-check.sh" || true
	die "the kernel tree holds work not in patches/: 'make export' it, or FORCE=1 to discard"
fi

git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B "$BRANCH" "$BASE_TAG"
git clean -fdxq

# The cover letter's prose lives in the branch description while the series
# is in the tree; 'make export' turns it back into patches/0000-cover-letter.patch.
cover=$PATCHES/0000-cover-letter.patch
if [ -f "$cover" ]; then
	python3 "$TOP/scripts/cover.py" read "$cover" > "$OUT/cover.desc"
	git config "branch.$BRANCH.description" "$(cat "$OUT/cover.desc")"
fi

# A patch's change log (below the first "---" of its message, as b4 and
# reviewers expect it) is not part of the commit git am makes; put it
# back, so that 'make export' gives the same patch again.
restore_changelog() {
	local msg
	msg=$(python3 - "$1" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
head, body = text.split("\n\n", 1)
lines = body.split("\n")
end = next((i for i, l in enumerate(lines) if l.startswith("diff --git ")), len(lines))
seps = [i for i in range(end) if lines[i] == "---"]
if len(seps) >= 2:
    print("\n".join(lines[seps[0] + 1:seps[-1]]).rstrip("\n"))
PY
)
	[ -n "$msg" ] || return 0
	{ git log -1 --format=%B | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
	  printf -- '---\n%s\n' "$msg"; } > "$OUT/msg.tmp"
	tool_git commit -q --amend --cleanup=verbatim -F "$OUT/msg.tmp"
}

n=0
while read -r p; do
	[ -n "$p" ] || continue
	if ! tool_git am -q --keep-cr "$p" >"$OUT/am.log" 2>&1; then
		cat "$OUT/am.log" >&2
		git am --abort >/dev/null 2>&1 || true
		die "patch does not apply: ${p#"$TOP"/}"
	fi
	restore_changelog "$p"
	n=$((n + 1))
done < <(series)
log "tree ready: $TREE = $BASE_TAG + $n patches"

# 'b4 prep' works on the branch (lib.sh: b4_enroll).
if command -v b4 >/dev/null 2>&1; then
	if b4_enroll "$OUT/b4-prep.log"; then
		log "b4 prep: branch $BRANCH enrolled (v${SERIES_VERSION:-2})"
	else
		warn "b4 prep could not enroll $BRANCH (see $OUT/b4-prep.log)"
	fi
fi
