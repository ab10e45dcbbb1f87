# SPDX-License-Identifier: GPL-2.0
# Common settings for the hmm_mirror scripts.  Source, do not run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-$TOP/out}
TREE=${TREE:-$OUT/linux}
SHARED=${SHARED:-$TOP/../shared}
CACHE=${HMM_MIRROR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hmm_mirror}
PATCHES=$TOP/patches
# The branch of $TREE that carries the series, and the tag of its base.
BRANCH=hmm_mirror
BASE_TAG=base

# The base the tree is built on: base.conf, or the file BASE_CONF names
# (base-next.conf: the newest mainline rc, scripts/next-base.sh).
# shellcheck source=../base.conf
. "$TOP/${BASE_CONF:-base.conf}"

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# Fixed identity and dates for commits the tools make themselves, so the
# generated base commit is identical on every machine.
tool_git() {
	GIT_AUTHOR_NAME="hmm_mirror tools" GIT_AUTHOR_EMAIL="tools@invalid" \
	GIT_COMMITTER_NAME="hmm_mirror tools" GIT_COMMITTER_EMAIL="tools@invalid" \
	GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" \
	GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
	git "$@"
}

need_tree() {
	[ -e "$TREE/.git" ] || die "no kernel tree at $TREE; run 'make tree' first"
}

series() {
	# The numbered patches of the series, in application order (no cover).
	find "$PATCHES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | LC_ALL=C sort
}

nproc_build() { echo $(( $(nproc) )); }

# The guest's root filesystem: the host's own, read-only over virtio-9p
# (tag /dev/root, as virtme-ng does); scripts/guest/init puts a tmpfs
# overlay on top.  No NIC: nothing leaves the guest.
guest_root_qemu() {
	echo "-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap"
	echo "-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root"
}
guest_root_cmdline() {
	echo "root=/dev/root rootfstype=9p ro" \
	     "rootflags=trans=virtio,version=9p2000.L,cache=loose,msize=512000" \
	     "init=$TOP/scripts/guest/init"
}

# b4_enroll LOG: enroll the current branch of the tree in the current
# directory for 'b4 prep': the branch description is the cover letter (as
# 'make export' expects), a branch "mainline" at the base the fork point,
# version ${SERIES_VERSION:-2}.  scripts/b4 is b4 with the base-commit fix
# this strategy needs in b4 0.12.
b4_enroll() {
	git branch -f -q mainline "$BASE_TAG"
	git config b4.prep-cover-strategy branch-description
	"$TOP/scripts/b4" prep -e "$BASE_TAG" >"$1" 2>&1 &&
		"$TOP/scripts/b4" prep --force-revision "${SERIES_VERSION:-2}" >>"$1" 2>&1
}
