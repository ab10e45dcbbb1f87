#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh VARIANT NAME [SUITES]: boot $OUT/build/VARIANT in QEMU with the
# test initramfs, run the comma-separated SUITES (or RUN=prog ARGS=...),
# then parse the console log: per-suite TAP totals and a scan of the whole
# kernel log for splats.  Results go to $OUT/vm/NAME/{console.log,result.json};
# the exit status is non-zero on any failure, splat, or a VM that did not
# finish.  KVM is used only when it really boots a guest here, else TCG.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

variant=${1:?usage: run-vm.sh VARIANT NAME [SUITES]}
name=${2:?usage: run-vm.sh VARIANT NAME [SUITES]}
suites=${3:-}
B=$OUT/build/$variant
R=$OUT/vm/$name
kernel=$B/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at $kernel (make build)"
rm -rf "$R"
mkdir -p "$R"

"$TOP/scripts/mkinitramfs.sh" "$variant" "$R/initramfs.cpio.gz" ${RUN:+"$RUN"}

cmdline="console=ttyS0,115200 panic=-1 oops=panic loglevel=7 no_hash_pointers numa=fake=2"
cmdline+=" hmm.suites=$suites"
[ -n "${RUN:-}" ] && cmdline+=" hmm.run=1"
[ "$variant" = debug ] && cmdline+=" hmm.kmemleak=1"
cmdline+=" ${CMDLINE_EXTRA:-}"

qemu=(qemu-system-x86_64 -nodefaults -display none -monitor none
      -no-reboot -serial stdio -smp "${VM_CPUS:-2}" -m "${VM_MEM:-4G}"
      -kernel "$kernel" -initrd "$R/initramfs.cpio.gz")

accel=$("$TOP/scripts/probe-accel.sh" "$variant")
case $accel in
kvm) qemu+=(-accel kvm -cpu host) ;;
*) qemu+=(-accel tcg,thread=multi -cpu "${VM_CPU:-max}") ;;
esac

timeout=${VM_TIMEOUT:-1800}
log "booting $variant ($accel, timeout ${timeout}s): suites='$suites'${RUN:+ run=$RUN}"
start=$(date +%s.%N)
rc=0
timeout -k 10 "$timeout" "${qemu[@]}" -append "$cmdline" </dev/null \
	> "$R/console.log" 2>"$R/qemu.err" || rc=$?
end=$(date +%s.%N)
[ $rc -eq 124 ] && warn "VM timed out after ${timeout}s"
python3 "$TOP/scripts/parse-results.py" --log "$R/console.log" \
	--variant "$variant" --accel "$accel" --qemu-rc "$rc" \
	--wall "$(echo "$end - $start" | bc)" --suites "$suites${RUN:+,run}" \
	--json "$R/result.json"
