#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh: build the debug kernel and the selftests, boot once and run the
# soak suite (suites/soak.sh: stress, fuzz and lifetime programs in turn,
# new seeds each round) for DURATION (seconds, or with an m/h suffix;
# default 30m), then scan for leaks.  Any splat, leak or failed round fails
# it.  Writes $OUT/soak/summary.txt and summary.json (operations per kind,
# faults, collisions, shrinks, ...).  Not part of make check.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dur=${DURATION:-30m}
case $dur in
*h) secs=$(( ${dur%h} * 3600 )) ;;
*m) secs=$(( ${dur%m} * 60 )) ;;
*s) secs=${dur%s} ;;
*) secs=$dur ;;
esac
[ "$secs" -gt 0 ] 2>/dev/null || die "DURATION=$dur: want seconds, or Nm / Nh"

"$TOP/scripts/build-kernel.sh" debug
"$TOP/scripts/build-selftests.sh" debug
D=$OUT/soak
mkdir -p "$D"
rc=0
VM_TIMEOUT=$((secs + 1800)) \
	CMDLINE_EXTRA="hmm.soak=$secs hmm.soak_stress_d=${SOAK_STRESS_D:-10}" \
	"$TOP/scripts/run-vm.sh" debug soak soak || rc=$?
python3 "$TOP/scripts/soak-report.py" "$OUT/vm/soak/console.log" \
	"$OUT/vm/soak/result.json" --json "$D/summary.json" | tee "$D/summary.txt"
[ $rc -eq 0 ] || die "soak failed (see $OUT/vm/soak/console.log)"
log "soak of $secs s passed: $D/summary.txt"
