#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: the full test suite.
#   precheck -> htmldocs of the touched Documentation/ dirs -> b4 dry run
#   (the mails, checked) -> build every
#   patch in turn (debug config, incremental; W=1/sparse on touched
#   objects) -> selftests -> debug-kernel VM run of all suites -> small-
#   memory run -> KCSAN-kernel VM run of the concurrent suites -> mlx5 ODP
#   compile test (W=1, no device here) -> plain-kernel VM run of what the
#   debug kernel is too slow for -> harness self-test (a fake splat must
#   fail a VM run).
# Ends with "N passed, N failed, N skipped" and $OUT/check/summary.json.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

C=$OUT/check
rm -rf "$C" "$OUT/vm/debug" "$OUT/vm/smallmem" "$OUT/vm/plain" "$OUT/vm/kcsan" "$OUT/vm/harness-selftest"
mkdir -p "$C" "$OUT/logs"
times=$C/times
: > "$times"
failed_steps=()

step() {	# step NAME CMD...: run, time, record
	local name=$1; shift
	local t0 t1 rc=0
	t0=$(date +%s.%N)
	log "=== $name"
	"$@" || rc=$?
	t1=$(date +%s.%N)
	printf '%s %.1f %d\n' "$name" "$(echo "$t1 - $t0" | bc)" "$rc" >> "$times"
	[ $rc -eq 0 ] || failed_steps+=("$name")
	return $rc
}

suite_list() { grep -v '^#' "$TOP/suites/$1.list" | paste -sd, -; }

# Suites per kernel variant.  The debug kernel runs everything it can; the
# plain kernel runs what the debug kernel is too slow for (never dropped).
DEBUG_SUITES=$(suite_list debug)
PLAIN_SUITES=$(suite_list plain)
# The data-race detector's kernel (KCSAN, which excludes KASAN).
KCSAN_SUITES=$(suite_list kcsan)
# Memory pressure in a small guest (debug kernel, 512 MiB by default).
SMALLMEM_SUITES=$(suite_list smallmem)

harness_selftest() {
	local r=$OUT/vm/harness-selftest
	if RUN=$TOP/scripts/guest/fake-splat.sh "$TOP/scripts/run-vm.sh" plain harness-selftest \
		> "$C/harness-selftest.log" 2>&1; then
		cat "$C/harness-selftest.log"
		log "harness self-test FAILED: a fake splat did not fail the run"
		echo '{"pass":0,"fail":1,"skip":0}' > "$C/harness-selftest.json"
		return 1
	fi
	if ! grep -q "fake splat injected on purpose" "$C/harness-selftest.log"; then
		cat "$C/harness-selftest.log"
		log "harness self-test FAILED: the run failed, but not on the fake splat"
		echo '{"pass":0,"fail":1,"skip":0}' > "$C/harness-selftest.json"
		return 1
	fi
	log "harness self-test: the fake splat failed the run, as it must:"
	grep -m 1 "fake splat injected" "$C/harness-selftest.log" >&2 || true
	echo '{"pass":1,"fail":0,"skip":0}' > "$C/harness-selftest.json"
}

step precheck "$TOP/scripts/precheck.sh" || true
step htmldocs "$TOP/scripts/docs-check.sh" || true
step b4-dryrun "$TOP/scripts/b4-dryrun.sh" || true
if step build-debug "$TOP/scripts/bisect-build.sh" debug &&
   step selftests "$TOP/scripts/build-selftests.sh" debug; then
	step vm-debug "$TOP/scripts/run-vm.sh" debug debug "$DEBUG_SUITES" || true
	step vm-smallmem env VM_MEM="${SMALLMEM_MEM:-512M}" \
		"$TOP/scripts/run-vm.sh" debug smallmem "$SMALLMEM_SUITES" || true
fi
if step build-kcsan "$TOP/scripts/build-kernel.sh" kcsan; then
	step vm-kcsan "$TOP/scripts/run-vm.sh" kcsan kcsan "$KCSAN_SUITES" || true
fi
step compile-mlx5 "$TOP/scripts/compile-mlx5.sh" || true
if step build-plain "$TOP/scripts/build-kernel.sh" plain; then
	step vm-plain "$TOP/scripts/run-vm.sh" plain plain "$PLAIN_SUITES" || true
	step harness-selftest harness_selftest || true
fi

python3 "$TOP/scripts/summary.py" --out "$OUT" --times "$times" \
	--failed-steps "${failed_steps[*]:-}" --json "$C/summary.json"
