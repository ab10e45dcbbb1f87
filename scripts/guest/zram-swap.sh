#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# zram-swap.sh on|off, in the guest: "on" puts 256 MiB of swap on zram0
# when no swap is active (MADV_PAGEOUT needs somewhere to write); "off"
# undoes only what "on" did.
mark=/run/hmm-zram-swap
case ${1:-} in
on)
	grep -q '^/' /proc/swaps && exit 0
	[ -e /sys/block/zram0/disksize ] || exit 0
	echo 256M > /sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
		swapon /dev/zram0 && : > $mark ;;
off)
	[ -e $mark ] || exit 0
	swapoff /dev/zram0
	echo 1 > /sys/block/zram0/reset
	rm -f $mark ;;
*)
	echo "usage: $0 on|off" >&2
	exit 2 ;;
esac
