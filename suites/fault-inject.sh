# SPDX-License-Identifier: GPL-2.0
# Fault injection on the allocation paths of the framework (mm/hmm_mirror.c,
# built in) and of the test device (test_hmm_mirror.ko): failslab and
# fail_page_alloc fail a share of the allocations whose call stack passes
# through that code (stacktrace filter), in the tasks of hmm-mirror-tests
# only (task filter), while the functional tests run.  The tests' own
# verdicts do not count (an allocation that fails makes them fail); what
# counts, per target:
#   - failures were injected (else the pass proves nothing);
#   - the test program finished on its own (no hang) and no test was
#     killed by a signal other than the harness's own timeout;
#   - afterwards, with injection off, the device unloads and reloads and
#     the functional tests all pass (no state left corrupted or leaked);
# and, for the whole boot, no splat and no kmemleak report (run-vm.sh).
set -u
# As suites/hmm-mirror-tests.sh: the hugetlb test may grow the pool.
export HMM_MIRROR_DESTRUCTIVE=1
D=/sys/kernel/debug
B=$HMM_OUT/build/$HMM_VARIANT
PROB=${FAULT_INJECT_PROB:-10}
n=0 fail=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; }

if [ ! -d $D/failslab ] || [ ! -d $D/fail_page_alloc ] ||
   [ ! -e $D/failslab/require-start ]; then
	echo "1..0 # SKIP kernel without FAILSLAB, FAIL_PAGE_ALLOC and the stacktrace filter"
	exit 4
fi
echo "1..8"

# The text range of the built-in framework: mm/hmm_mirror.o's .text is
# linked in one piece, so its start is the kallsyms address of any of its
# exported mm_mirror_* functions minus that function's offset in the
# object (all must agree), and its length the object's .text size.
# Printed as "START END" in hex.
framework_range() {
	local o=$B/mm/hmm_mirror.o
	nm --defined-only "$o" | python3 -c '
import sys
where = {}
for l in open("/proc/kallsyms"):
    a, t, n = l.split()[:3]
    where.setdefault(n, []).append(int(a, 16))
bases = set()
for l in sys.stdin:
    v, t, n = l.split()[:3]
    if t == "T" and n.startswith("mm_mirror") and len(where.get(n, [])) == 1:
        bases.add(where[n][0] - int(v, 16))
size = int(sys.argv[1])
if len(bases) == 1 and size:
    b = bases.pop()
    print("%#x %#x" % (b, b + size))
' "$(size -A "$o" | awk '$1 == ".text" { print $2 }')"
}

module_range() {
	local start size
	start=$(cat /sys/module/test_hmm_mirror/sections/.text 2>/dev/null) || return 1
	size=$(size -A "$(readlink -f /lib/modules/test_hmm_mirror.ko)" |
	       awk '$1 == ".text" { print $2 }')
	[ -n "$size" ] && python3 -c "print('%#x %#x' % ($start, $start + $size))"
}

inject() {	# inject START END: arm both capabilities for that range
	for f in failslab fail_page_alloc; do
		echo 0 > $D/$f/probability
		echo "$1" > $D/$f/require-start
		echo "$2" > $D/$f/require-end
		echo 32 > $D/$f/stacktrace-depth
		echo Y > $D/$f/task-filter
		echo N > $D/$f/ignore-gfp-wait
		echo 0 > $D/$f/verbose
		echo 1 > $D/$f/interval
		echo 100000000 > $D/$f/times
		echo "$PROB" > $D/$f/probability
	done
	echo N > $D/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $D/fail_page_alloc/min-order
}

disarm() {	# prints how many failures were injected
	local f left total=0
	for f in failslab fail_page_alloc; do
		echo 0 > $D/$f/probability
		left=$(cat $D/$f/times)
		total=$((total + 100000000 - left))
	done
	echo $total
}

for target in framework device; do
	case $target in
	framework) range=$(framework_range) ;;
	device) range=$(module_range) ;;
	esac
	if [ -z "$range" ]; then
		notok "$target: text range not found"
		continue
	fi
	set -- $range
	echo "# $target: text $1-$2, ${PROB}% of the allocations called from there fail"
	inject "$1" "$2"
	# The task filter: only this shell's child (the test program, its
	# children and threads inherit make-it-fail) sees failures.
	timeout -s KILL 900 sh -c 'echo 1 > /proc/self/make-it-fail; exec ./hmm-mirror-tests' \
		> /tmp/fi-$target.log 2>&1
	rc=$?
	injected=$(disarm)
	grep -E '^(not )?ok ' /tmp/fi-$target.log | sed 's/^/# /' | tail -n 60
	echo "# $target: $injected failures injected, hmm-mirror-tests rc=$rc," \
	     "$(grep -c '^ok ' /tmp/fi-$target.log) tests passed," \
	     "$(grep -c '^not ok ' /tmp/fi-$target.log) failed under injection"
	ran=$(grep -cE '^(not )?ok ' /tmp/fi-$target.log)
	if [ "$injected" -gt 0 ] && [ "$ran" -gt 0 ]; then
		ok "$target: failures injected"
	else
		tail -n 5 /tmp/fi-$target.log | sed 's/^/# /'
		notok "$target: no failure injected, or no test ran"
	fi
	# rc 137: the whole program hung (timeout -s KILL).  A test the
	# harness killed (its own timeout, or a signal) did not end with an
	# error either.
	sig=$(grep -E 'Test terminated (by timeout|unexpectedly)' /tmp/fi-$target.log | head -n 3)
	if [ $rc -ne 137 ] && [ -z "$sig" ]; then
		ok "$target: tests finished, none crashed"
	else
		echo "$sig" | sed 's/^/# /'
		notok "$target: a test hung or crashed (rc=$rc)"
	fi
	# Nothing may hold the device any more: a test process left behind
	# or a reference leaked on an error path would keep it loaded.
	sleep 1
	if ! rmmod test_hmm_mirror 2>/dev/null; then
		echo "# refcnt $(cat /sys/module/test_hmm_mirror/refcnt)"
		for f in /proc/[0-9]*/fd/*; do
			case $(readlink "$f" 2>/dev/null) in
			*hmm_mirror*) echo "# open: $f ($(cat "${f%/fd/*}/comm"))" ;;
			esac
		done
		ps -eo pid,ppid,stat,comm 2>/dev/null | sed 's/^/# /' | grep -v ' \[' | tail -n 20
		sleep 5
	fi
	if { [ ! -e /sys/module/test_hmm_mirror ] || rmmod test_hmm_mirror; } &&
	   insmod /lib/modules/test_hmm_mirror.ko; then
		ok "$target: device unloads and reloads"
	else
		notok "$target: device does not unload and reload"
	fi
	if ./hmm-mirror-tests > /tmp/fi-$target-after.log 2>&1; then
		ok "$target: functional tests pass after injection"
	else
		grep '^not ok' /tmp/fi-$target-after.log | sed 's/^/# /'
		notok "$target: functional tests fail after injection"
	fi
done
echo "# Totals: pass:$((n - fail)) fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ $fail -eq 0 ]
