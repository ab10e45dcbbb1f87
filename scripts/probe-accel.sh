#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# probe-accel.sh VARIANT: print "kvm" if a KVM guest really boots to /init
# on this machine, else "tcg".  /dev/kvm existing is not enough (here KVM is
# a PVM host on which -cpu host aborts QEMU).  The answer is cached per host
# and QEMU version in $OUT/accel.  ACCEL=tcg|kvm overrides.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${ACCEL:-}" ]; then
	echo "$ACCEL"
	exit 0
fi
key="$(uname -n)-$(qemu-system-x86_64 --version | head -n 1 | tr -cd '[:alnum:].')"
cache=$OUT/accel
if [ -f "$cache" ] && [ "$(head -n 1 "$cache")" = "$key" ]; then
	tail -n 1 "$cache"
	exit 0
fi
answer=tcg
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	variant=${1:-plain}
	B=$OUT/build/$variant
	if timeout -k 5 60 qemu-system-x86_64 -nodefaults -display none -machine q35 \
		-monitor none -no-reboot -serial stdio -smp 1 -m 1G \
		-accel kvm -cpu host -kernel "$B/arch/x86/boot/bzImage" \
		$(guest_root_qemu) \
		-append "console=ttyS0 panic=-1 $(guest_root_cmdline)" \
		</dev/null 2>/dev/null | grep -q -m 1 '@@HMM-DONE'; then
		answer=kvm
	fi
fi
mkdir -p "$OUT"
printf '%s\n%s\n' "$key" "$answer" > "$cache"
log "accelerator probe: $answer"
echo "$answer"
