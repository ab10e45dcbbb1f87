#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Create $TREE: a git tree whose tag "base" is the pinned base kernel.
# Sources, in this order:
#   1. LINUX_SRC=/path: a user's git tree at or after the base (HEAD is used);
#   2. ../shared/base/$BASE_DEB (sha256 verified);
#   3. the cache ($CACHE/$BASE_DEB);
#   4. Debian's archive ($BASE_DEBIAN_SUITE), with a private apt
#      configuration under $OUT/apt-SUITE; if the pinned version is gone, the
#      newest $BASE_PKG there, with a loud warning.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -d "$TREE/.git" ] && git -C "$TREE" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null; then
	exit 0
fi
mkdir -p "$OUT"
rm -rf "$TREE"

if [ -n "${LINUX_SRC:-}" ]; then
	git -C "$LINUX_SRC" rev-parse --git-dir >/dev/null 2>&1 ||
		die "LINUX_SRC=$LINUX_SRC is not a git tree"
	log "cloning the user tree $LINUX_SRC (HEAD $(git -C "$LINUX_SRC" rev-parse --short HEAD))"
	git clone -q --shared --no-checkout "$LINUX_SRC" "$TREE"
	git -C "$TREE" checkout -q -b "$BRANCH" "$(git -C "$LINUX_SRC" rev-parse HEAD)"
	git -C "$TREE" tag -f "$BASE_TAG" >/dev/null
	mv=$(make -s -C "$TREE" kernelversion 2>/dev/null || echo unknown)
	log "base: user tree, kernel $mv (pinned base is $BASE_VERSION)"
	exit 0
fi

# Debian's tarball appends "ignore everything at the top level" to .gitignore,
# which would hide every new file of the series from git.  Drop that block so
# the tree behaves like an upstream one.
strip_debian_gitignore() {
	python3 - <<'PY'
s = open(".gitignore").read()
i = s.find("#\n# Debian packaging: ignore everything")
if i >= 0:
    open(".gitignore", "w").write(s[:i].rstrip("\n") + "\n")
PY
}

sha_ok() { echo "$2  $1" | sha256sum -c --status; }

deb=
for cand in "$SHARED/base/$BASE_DEB" "$CACHE/$BASE_DEB"; do
	[ -f "$cand" ] || continue
	if sha_ok "$cand" "$BASE_DEB_SHA256"; then
		deb=$cand
		break
	fi
	warn "$cand: sha256 mismatch, ignored"
done

# The first archive of Debian's main distribution (not -security) named by
# the machine's apt sources, one-line or deb822 format.
apt_debian_mirror() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
	sed -n -e 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' -e 's/^URIs: *//p' |
	tr ' ' '\n' | grep -E '/debian/?$' | head -n 1
}

if [ -z "$deb" ]; then
	apt=$OUT/apt-$BASE_DEBIAN_SUITE
	mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc"
	mirror=${BASE_DEBIAN_MIRROR:-$(apt_debian_mirror)}
	[ -n "$mirror" ] || die "no Debian archive in the apt configuration; set BASE_DEBIAN_MIRROR"
	echo "deb $mirror $BASE_DEBIAN_SUITE main" > "$apt/etc/sources.list"
	aptopts=(-o Dir::Etc::SourceList="$apt/etc/sources.list"
		 -o Dir::Etc::SourceParts=/nonexistent
		 -o Dir::State::Lists="$apt/lists"
		 -o Dir::Cache::Archives="$apt/archives"
		 -o Dir::Cache="$apt" -o APT::Sandbox::User=root)
	log "downloading $BASE_PKG from Debian $BASE_DEBIAN_SUITE (private apt config in $apt)"
	apt-get -q "${aptopts[@]}" update >&2
	mkdir -p "$CACHE"
	if (cd "$CACHE" && apt-get -q "${aptopts[@]}" download "$BASE_PKG=$BASE_PKG_VERSION" >&2); then
		deb=$CACHE/$BASE_DEB
		sha_ok "$deb" "$BASE_DEB_SHA256" || die "$deb: sha256 mismatch with base.conf"
	else
		warn "================================================================"
		warn "$BASE_PKG=$BASE_PKG_VERSION is no longer in Debian $BASE_DEBIAN_SUITE."
		warn "FALLING BACK TO THE NEWEST $BASE_PKG THERE: NOT THE PINNED BASE."
		warn "================================================================"
		(cd "$CACHE" && apt-get -q "${aptopts[@]}" download "$BASE_PKG" >&2)
		deb=$(ls -t "$CACHE"/"${BASE_PKG}"_*_all.deb | head -n 1)
	fi
fi

log "unpacking $deb"
tmp=$OUT/base.tmp.${TREE##*/}
rm -rf "$tmp"
mkdir -p "$tmp"
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./$BASE_TARBALL"
if [ "$deb" != "$CACHE/$BASE_DEB" ] && [ "$(basename "$deb")" = "$BASE_DEB" ]; then
	mkdir -p "$CACHE" && cp -f "$deb" "$CACHE/$BASE_DEB.tmp" &&
		mv -f "$CACHE/$BASE_DEB.tmp" "$CACHE/$BASE_DEB"
fi
if [ "$(basename "$deb")" = "$BASE_DEB" ]; then
	sha_ok "$tmp/$BASE_TARBALL" "$BASE_TARBALL_SHA256" ||
		die "$BASE_TARBALL inside $deb: sha256 mismatch with base.conf"
fi
mkdir -p "$TREE"
tar -xJf "$tmp/$BASE_TARBALL" -C "$TREE" --strip-components=1
rm -rf "$tmp"

log "committing the base tree"
cd "$TREE"
strip_debian_gitignore
git init -q -b "$BRANCH"
git config core.autocrlf false
git config gc.auto 0
tool_git add -A -f .
ver=$(make -s kernelversion)
tool_git commit -q -m "Linux $ver (Debian $(basename "$deb" .deb))" \
	-m "Unpacked from $BASE_TARBALL of $(basename "$deb") by scripts/get-base.sh."
git tag "$BASE_TAG"
log "base tree ready: $TREE ($ver, $(git rev-parse --short HEAD))"
