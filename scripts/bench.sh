#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: build the plain (non-debug) kernel and bench/hmm-bench, boot it
# with test_hmm and test_hmm_mirror loaded and run the benchmark: CPU vs
# upstream test_hmm vs test_hmm_mirror, every figure of a pass from the same
# boot.  Writes $OUT/bench/results.json (figures, ratios, targets),
# table.txt, ratios.txt and bench.png (throughput vs size).
#
# Two passes, two boots:
#   primary  VM_CPU=max,-erms  (BENCH_CPU): TCG emulates "rep movsb" one
#            byte at a time, and with ERMS advertised the kernel's
#            copy_to_user()/copy_from_user() use it for every large copy,
#            while the CPU path's memcpy (glibc, SSE/AVX) does not.  Without
#            ERMS the kernel copies with its 8-byte loop, which keeps the
#            relative costs of the three paths close to real hardware.
#   erms     VM_CPU=max: the copy-bound workloads at 64 MiB with ERMS, in
#            results-erms.json, to show how much of the figures is the
#            emulated copy.  BENCH_ERMS=0 skips it.
#   odp      VM_CPU=max,-erms: RDMA on-demand paging on soft-RoCE
#            (scripts/guest/odp-bench.sh): perftest bandwidth and latency
#            with an ODP MR and with a pinned one, first touch vs warm MR,
#            and the storm figures of selftests/rdma/odp_stress; stored
#            under "odp" in results.json, table in odp.txt.  BENCH_ODP=0
#            skips it.  The same pass also boots the series without its
#            RDMA ODP conversion (odp-base: the patch before the first one
#            that changes ib_umem_odp), BENCH_ODP_ROUNDS times each,
#            alternating, and odp.txt compares the converted kernel with
#            it.  ODP_BENCH_REPS perftest repetitions per boot (default 3,
#            0: storms only), ODP_BENCH_STORM_D seconds per storm (3).
# BENCH_ARGS overrides the benchmark's arguments.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/deps.sh" gnuplot-nox
"$TOP/scripts/build-kernel.sh" plain
B=$OUT/build/plain
D=$OUT/bench
mkdir -p "$D"
"$TOP/scripts/build-selftests.sh" plain
gcc -static -O2 -Wall -I "$TREE" -isystem "$B/usr/include" \
	"$TOP/bench/hmm-bench.c" -lpthread -o "$D/hmm-bench"
args="${BENCH_ARGS:--r 7 -s 4,16,64,256 -t 2 -n 400}"

# pass NAME CPU SUFFIX [PNG] [ARGS]
pass() {
	local name=$1 cpu=$2 sfx=$3 log
	local a=${5:-$args}
	RUN=$D/hmm-bench ARGS="$a -j -" VM_MEM=${VM_MEM:-6G} VM_CPU=$cpu \
		"$TOP/scripts/run-vm.sh" plain "$name" "" | grep -v '^    |' || true
	log=$OUT/vm/$name/console.log
	sed -n '/^@@BENCH-JSON-BEGIN/,/^@@BENCH-JSON-END/p' "$log" | sed '1d;$d' \
		> "$D/results$sfx.json"
	grep -E '^(first_touch|populated|reread|thp|munmap|dontneed|scaling|map|storm|victim|ranges|small_fault)' \
		"$log" > "$D/table$sfx.txt" || true
	python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$D/results$sfx.json" ||
		die "no valid JSON in the benchmark output ($log)"
	python3 "$TOP/scripts/bench-report.py" "$D/results$sfx.json" \
		--meta "vm_cpu=$cpu" --meta "args=$a" \
		--meta "kernel=$(git -C "$TREE" describe --always --tags)" \
		${4:+--png "$4"} --title "hmm-bench, plain kernel, TCG -cpu $cpu, medians" \
		> "$D/ratios$sfx.txt"
}

start=$(date +%s)
# BENCH_MAIN=0: only the ODP pass (the hmm-bench figures of results.json
# stay those of the last full run).
if [ "${BENCH_MAIN:-1}" != 0 ]; then
	pass bench "${BENCH_CPU:-max,-erms}" "" "$D/bench.png"
	[ "${BENCH_ERMS:-1}" = 0 ] ||
		pass bench-erms max -erms "" "-r 5 -s 64 -w first_touch,populated,reread,thp"
fi
# The series without its RDMA ODP conversion, built from the same tree into
# $OUT/build/odp-base (ccache makes it cheap): the kernel the conversion
# is compared with.  Empty if the series does not touch ib_umem_odp.
odp_base_build() {
	local first base
	first=$(git -C "$TREE" rev-list --reverse "$BASE_TAG"..HEAD -- \
		include/rdma/ib_umem_odp.h drivers/infiniband/core/umem_odp.c | head -n 1)
	[ -n "$first" ] || return 0
	base=$(git -C "$TREE" rev-parse "$first^")
	git -C "$TREE" checkout -q "$base"
	"$TOP/scripts/build-kernel.sh" odp-base >&2 || {
		git -C "$TREE" checkout -q "$BRANCH"; die "odp-base does not build"; }
	git -C "$TREE" checkout -q "$BRANCH"
	# The converted kernel is built again from the branch.
	"$TOP/scripts/build-kernel.sh" plain >&2
	git -C "$TREE" log -1 --format='%h %s' "$base"
}

odp_pass() {	# odp_pass VARIANT NAME
	VM_MEM=${VM_MEM:-6G} VM_CPU=${BENCH_CPU:-max,-erms} RUN=$TOP/scripts/guest/odp-bench.sh \
		ARGS="${ODP_BENCH_REPS:-3} ${ODP_BENCH_STORM_D:-3}" \
		"$TOP/scripts/run-vm.sh" "$1" "$2" "" | grep -v '^    |' || true
}

if [ "${BENCH_ODP:-1}" != 0 ]; then
	odp_base=$(odp_base_build)
	logs=() base_logs=()
	for r in $(seq "${BENCH_ODP_ROUNDS:-2}"); do
		if [ -n "$odp_base" ]; then
			odp_pass odp-base "bench-odp-base$r"
			base_logs+=(--baseline "$OUT/vm/bench-odp-base$r/console.log")
		fi
		odp_pass plain "bench-odp$r"
		logs+=("$OUT/vm/bench-odp$r/console.log")
	done
	python3 "$TOP/scripts/odp-report.py" "${logs[@]}" "${base_logs[@]}" \
		--results "$D/results.json" --meta "vm_cpu=${BENCH_CPU:-max,-erms}" \
		--meta "kernel=$(git -C "$TREE" describe --always --tags)" \
		--meta "baseline=${odp_base:-none}" \
		> "$D/odp.txt" || die "ODP pass: see $D/odp.txt and $OUT/vm/bench-odp*/console.log"
fi
if [ "${BENCH_MAIN:-1}" != 0 ]; then
	cat "$D/table.txt"
	echo
	echo "ratios (-cpu ${BENCH_CPU:-max,-erms}):"
	cat "$D/ratios.txt"
fi
if [ -f "$D/ratios-erms.txt" ] && [ "${BENCH_ERMS:-1}" != 0 ]; then
	echo
	echo "ratios (-cpu max, ERMS emulated):"
	cat "$D/ratios-erms.txt"
fi
[ -f "$D/odp.txt" ] && [ "${BENCH_ODP:-1}" != 0 ] && { echo; cat "$D/odp.txt"; }
log "results: $D/results.json, $D/table.txt, $D/odp.txt, $D/ratios.txt, $D/bench.png ($(( $(date +%s) - start )) s)"
