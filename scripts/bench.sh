#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: build the plain (non-debug) kernel and bench/hmm-bench, boot it
# with test_hmm and test_hmm_mirror loaded, run the benchmark (CPU vs
# upstream test_hmm vs test_hmm_mirror, same boot), and write
# $OUT/bench/results.json and the table $OUT/bench/table.txt.
# BENCH_ARGS overrides the benchmark's arguments.
# Work in progress (issue 4): no plot yet, no storm workload yet.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/build-kernel.sh" plain
B=$OUT/build/plain
D=$OUT/bench
mkdir -p "$D"
gcc -static -O2 -Wall -I "$TREE" -isystem "$B/usr/include" \
	"$TOP/bench/hmm-bench.c" -lpthread -o "$D/hmm-bench"
RUN=$D/hmm-bench ARGS="${BENCH_ARGS:--r 5 -s 4,64,256 -t 2} -j -" VM_MEM=${VM_MEM:-6G} \
	"$TOP/scripts/run-vm.sh" plain bench "" | grep -v '^    |' || true
log=$OUT/vm/bench/console.log
sed -n '/^@@BENCH-JSON-BEGIN/,/^@@BENCH-JSON-END/p' "$log" | sed '1d;$d' > "$D/results.json"
grep -E '^(first_touch|populated|reread|thp|munmap|dontneed|scaling)' "$log" > "$D/table.txt" || true
cat "$D/table.txt"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$D/results.json" ||
	die "no valid JSON in the benchmark output"
log "results: $D/results.json"
