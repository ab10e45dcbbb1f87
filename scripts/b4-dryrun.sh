#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# b4-dryrun.sh: the mails 'b4 send' would send for the series, written to
# $OUT/b4/mails (nothing is sent), from a throwaway clone of the kernel
# tree enrolled with 'b4 prep': version from $SERIES_VERSION (default 2),
# To/Cc from scripts/get_maintainer.pl ('b4 prep --auto-to-cc').  Then
# checks what a maintainer's tools rely on: one mail per patch plus the
# cover letter, "[PATCH vN nn/mm]" subjects, base-commit naming the base,
# a change log below "---" in every patch, recipients on every mail.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_tree
command -v b4 >/dev/null || die "b4 is not installed (make deps)"
ver=${SERIES_VERSION:-2}
W=$OUT/b4
rm -rf "$W"
mkdir -p "$W"
git clone -q --shared --no-checkout -b "$BRANCH" "$TREE" "$W/linux"
cd "$W/linux"
git checkout -q "$BRANCH"
git config "branch.$BRANCH.description" "$(git -C "$TREE" config "branch.$BRANCH.description")"
# Never used ('send -o' is a dry run); set so that b4 does not pick its
# web submission endpoint, which insists on a signature.
git config sendemail.smtpserver /usr/sbin/sendmail
b4() { "$TOP/scripts/b4" "$@"; }
SERIES_VERSION=$ver b4_enroll "$W/prep.log" || { cat "$W/prep.log" >&2; die "b4 prep -e failed"; }
b4 prep --auto-to-cc >>"$W/prep.log" 2>&1 || { cat "$W/prep.log" >&2; die "b4 prep --auto-to-cc failed"; }
b4 send -o "$W/mails" --no-sign >"$W/send.log" 2>&1 || { cat "$W/send.log" >&2; die "b4 send -o failed"; }

n=$(git rev-list --count "$BASE_TAG"..HEAD)
base=$(git rev-parse "$BASE_TAG")
mapfile -t mails < <(ls "$W/mails"/*.eml | LC_ALL=C sort)
bad=0
err() { warn "$*"; bad=1; }
[ ${#mails[@]} -eq $((n + 1)) ] || err "${#mails[@]} mails for $n patches and a cover letter"
grep -q "^base-commit: $base\$" "${mails[0]}" || err "cover letter: base-commit is not $base"
for i in "${!mails[@]}"; do
	m=${mails[$i]}
	want=$(printf '[PATCH v%s %02d/%02d]' "$ver" "$i" "$n")
	subj=$(sed -n '/^Subject:/{N;s/\n//;p;q}' "$m")
	[[ $subj == *"$want"* ]] || err "${m##*/}: subject is not $want"
	grep -q '^To: ' "$m" || err "${m##*/}: no To:"
	grep -q '^Cc: ' "$m" || err "${m##*/}: no Cc:"
	[ "$i" -eq 0 ] && continue
	# The change log sits between the first "---" and the diffstat.
	awk '/^---$/ { s++; next } s == 1 && /^Changes in v/ { f = 1 } END { exit !f }' "$m" ||
		err "${m##*/}: no change log below ---"
done
[ $bad -eq 0 ] || die "b4 dry run: see above ($W)"
log "b4 send -o: $(( ${#mails[@]} )) mails in ${W#"$TOP"/}/mails, v$ver, base-commit ${base:0:12}, $(grep -c '' <(sed -n '/^To:/,/^[A-Z][a-z-]*: /p' "${mails[0]}" | grep -o '<[^>]*>' | sort -u)) To addresses, change logs in all $n patches"
