# SPDX-License-Identifier: GPL-2.0
# Soak (make soak, not make check): the stress, fuzz and lifetime programs
# in turn, with new seeds, until hmm.soak=SECONDS of the kernel command line
# have passed. Each round prints its own TAP totals; the host adds them up.
set -u
# The guest is disposable: the destructive tests run too (run_vmtests.sh -d).
export HMM_MIRROR_DESTRUCTIVE=1
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }
secs=$(arg hmm.soak)
secs=${secs:-600}
stress_d=$(arg hmm.soak_stress_d)
stress_d=${stress_d:-10}
up() { cut -d' ' -f1 /proc/uptime | cut -d. -f1; }
end=$(($(up) + secs))
round=0
rc=0
while [ "$(up)" -lt "$end" ]; do
	round=$((round + 1))
	seed=$((round * 7919 + $(up)))
	echo "# soak: round $round seed $seed uptime $(up) of $end"
	./hmm-mirror-stress -d "$stress_d" -s "$seed" || rc=1
	[ "$(up)" -lt "$end" ] || break
	if [ -x ./hmm-mirror-fuzz ]; then
		left=$((end - $(up)))
		d=120
		[ "$left" -lt "$d" ] && d=$left
		[ "$d" -gt 0 ] && { ./hmm-mirror-fuzz -d "$d" -s "$seed" || rc=1; }
	fi
	[ "$(up)" -lt "$end" ] || break
	if [ -x ./hmm-mirror-lifetime ]; then
		./hmm-mirror-lifetime || rc=1
	fi
done
echo "# soak: $round rounds in $secs s"
exit $rc
