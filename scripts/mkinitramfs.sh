#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh VARIANT IMAGE [PROG]: build a gzip'ed initramfs IMAGE with
# busybox-static, /init (scripts/guest/init), the suites, the selftest
# programs of $OUT/selftests, and the variant's modules: test modules
# (test_*.ko) are loaded at boot, KUnit modules (*kunit*.ko) go to
# /lib/kunit for their suite, any other module to /lib/extra.
# PROG (optional) is copied to /run/prog, with $ARGS in /run/args.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: mkinitramfs.sh VARIANT IMAGE [PROG]}
image=${2:?usage: mkinitramfs.sh VARIANT IMAGE [PROG]}
prog=${3:-}
B=$OUT/build/$variant
busybox=$(command -v busybox || echo /bin/busybox)
file -L "$busybox" | grep -q 'statically linked' ||
	die "need a static busybox (Debian: busybox-static)"
gen=$B/usr/gen_init_cpio
[ -x "$gen" ] || die "$gen missing (build the kernel first)"

list=$(mktemp)
trap 'rm -f "$list" "$list.args"' EXIT
{
	for d in /bin /sbin /dev /proc /sys /tmp /run /tests /suites /lib \
		 /lib/modules /lib/kunit /lib/extra /etc /mnt; do
		echo "dir $d 755 0 0"
	done
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "nod /dev/null 666 0 0 c 1 3"
	echo "file /bin/busybox $busybox 755 0 0"
	echo "slink /bin/sh /bin/busybox 777 0 0"
	echo "file /init $TOP/scripts/guest/init 755 0 0"
	for s in "$TOP"/suites/*.sh; do
		echo "file /suites/$(basename "$s") $s 644 0 0"
	done
	for t in "$OUT"/selftests/*; do
		[ -f "$t" ] && [ -x "$t" ] && echo "file /tests/$(basename "$t") $t 755 0 0"
	done
	find "$B" -name '*.ko' | LC_ALL=C sort | while read -r m; do
		case $(basename "$m") in
		*kunit*) echo "file /lib/kunit/$(basename "$m") $m 644 0 0" ;;
		test_*) echo "file /lib/modules/$(basename "$m") $m 644 0 0" ;;
		*) echo "file /lib/extra/$(basename "$m") $m 644 0 0" ;;
		esac
	done
	if [ -n "$prog" ]; then
		[ -f "$prog" ] || die "RUN=$prog: no such file"
		printf '%s\n' "${ARGS:-}" > "$list.args"
		echo "file /run/prog $(readlink -f "$prog") 755 0 0"
		echo "file /run/args $list.args 644 0 0"
	fi
} > "$list"
mkdir -p "$(dirname "$image")"
"$gen" "$list" | gzip -1 > "$image.tmp"
mv -f "$image.tmp" "$image"
