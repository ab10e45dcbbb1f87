#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh VARIANT NAME [SUITES]: boot $OUT/build/VARIANT in QEMU, run the
# comma-separated SUITES (or RUN=prog ARGS=...), then parse the console log:
# per-suite TAP totals and a scan of the whole kernel log for splats.
# The guest's root is the host's, read-only over virtio-9p, with a tmpfs
# overlay (scripts/guest/init), so the suites, the selftests, the modules
# and RUN are read where they are on the host.  Results go to
# $OUT/vm/NAME/{console.log,result.json}; the exit status is non-zero on
# any failure, splat, or a VM that did not finish.  KVM is used only when
# it really boots a guest here, else TCG.
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

run=
if [ -n "${RUN:-}" ]; then
	[ -f "$RUN" ] || die "RUN=$RUN: no such file"
	run=$(readlink -f "$RUN")
fi
kmemleak=0
[ "$variant" = debug ] && kmemleak=1
{
	printf 'HMM_%s=%q\n' TOP "$TOP" OUT "$OUT" SUITES "$suites" RUN "$run" \
		ARGS "${ARGS:-}" KMEMLEAK "$kmemleak" VARIANT "$variant"
	printf 'HMM_MODULES=%q\n' "$(find "$B" -name '*.ko' | LC_ALL=C sort | tr '\n' ' ')"
} > "$R/guest.env"

# no5lvl: with -cpu max the guest gets LA57, and an interrupt that arrives
# while identify_cpu() re-reads the CPU features at boot can find LA57
# cleared: KASAN then takes the 5-level direct map for a wild address and
# reports "wild-memory-access in do_raw_spin_lock" from handle_edge_irq()
# (seen in 2 of about 12 debug boots).  Nothing here needs 5-level paging.
cmdline="console=ttyS0,115200 panic=-1 oops=panic loglevel=7 no_hash_pointers numa=fake=2 no5lvl"
cmdline+=" $(guest_root_cmdline) hmm.dir=$R"
cmdline+=" ${CMDLINE_EXTRA:-}"

qemu=(qemu-system-x86_64 -nodefaults -display none -monitor none
      -machine "${VM_MACHINE:-q35}" -no-reboot -serial stdio
      -smp "${VM_CPUS:-2}" -m "${VM_MEM:-4G}"
      -kernel "$kernel" $(guest_root_qemu))

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
