#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# precheck.sh: the quick checks, no kernel build.
#   1. the series applies to the base (in a scratch index: no checkout);
#   2. checkpatch.pl --strict on every patch (only the missing Signed-off-by
#      is tolerated: a human adds it);
#   3. kernel-doc warnings on every .c/.h file the series touches (new ones
#      only: warnings the base already has are not the series');
#   4. the kernel tree holds nothing that is not exported to patches/;
#   5. the log scanner's self-test.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/get-base.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
mapfile -t pp < <(series)

# 1. Apply in a scratch index.
export GIT_INDEX_FILE=$tmp/index
git -C "$TREE" read-tree "$BASE_TAG"
for p in "${pp[@]}"; do
	if ! git -C "$TREE" apply --cached --whitespace=nowarn "$p" 2>"$tmp/apply.err"; then
		cat "$tmp/apply.err" >&2
		die "patch does not apply: ${p#"$TOP"/}"
	fi
done
log "series applies to $BASE_TAG: ${#pp[@]} patches"

# 2. checkpatch.
for p in "${pp[@]}"; do
	# checkpatch runs scripts/spdxcheck.py with "env python3": make it
	# Debian's, which has python3-ply and python3-git.
	out=$(cd "$TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --no-signoff \
		--show-types -q "$p" 2>&1) || true
	if [ -n "$out" ]; then
		echo "checkpatch: ${p#"$TOP"/}:"
		printf '%s\n' "$out" | sed 's/^/    /'
		fail=1
	fi
done
[ $fail -eq 0 ] && log "checkpatch --strict: clean"

# 3. kernel-doc on touched C files: patched vs base.
mapfile -t files < <(for p in "${pp[@]}"; do
	git -C "$TREE" apply --numstat "$p" | cut -f3
done | grep -E '\.[ch]$' | LC_ALL=C sort -u)
if [ ${#files[@]} -gt 0 ]; then
	mkdir -p "$tmp/new" "$tmp/old"
	git -C "$TREE" checkout-index --prefix="$tmp/new/" -- "${files[@]}" 2>/dev/null || true
	for f in "${files[@]}"; do
		git -C "$TREE" show "$BASE_TAG:$f" > "$tmp/old/${f//\//_}" 2>/dev/null || true
	done
	kd() { (cd "$1" && "$TREE/scripts/kernel-doc" -none -Wall "$2" 2>&1 |
		sed -E "s#^$1/?##; s/:[0-9]+:/:/; s/line [0-9]+/line N/") || true; }
	for f in "${files[@]}"; do
		[ -f "$tmp/new/$f" ] || continue
		new=$(kd "$tmp/new" "$f" | LC_ALL=C sort)
		old=""
		[ -s "$tmp/old/${f//\//_}" ] && {
			mkdir -p "$tmp/o/$(dirname "$f")"
			cp "$tmp/old/${f//\//_}" "$tmp/o/$f"
			old=$(kd "$tmp/o" "$f" | LC_ALL=C sort)
		}
		added=$(LC_ALL=C comm -13 <(printf '%s\n' "$old") <(printf '%s\n' "$new") | sed '/^$/d')
		if [ -n "$added" ]; then
			echo "kernel-doc: $f:"
			printf '%s\n' "$added" | sed 's/^/    /'
			fail=1
		fi
	done
	log "kernel-doc checked on ${#files[@]} touched files"
fi
unset GIT_INDEX_FILE

# 4. Nothing unexported.
"$TOP/scripts/export-check.sh" || fail=1
# 5. The splat scanner.
python3 "$TOP/scripts/parse-results.py" --self-test >&2 || fail=1

[ $fail -eq 0 ] || die "precheck failed"
log "precheck: OK"
