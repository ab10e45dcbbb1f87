# SPDX-License-Identifier: GPL-2.0
# KUnit suites built as modules (/lib/kunit/*.ko): load each one, then turn
# the KTAP it printed into plain TAP lines and a "# Totals:" line.
set -u
pass=0 fail=0 skip=0
for m in /lib/kunit/*.ko; do
	[ -e "$m" ] || { echo "1..0 # SKIP no KUnit module in the image"; exit 4; }
	before=$(dmesg | wc -l)
	insmod "$m" || { echo "not ok - insmod $m"; fail=$((fail + 1)); continue; }
	dmesg | tail -n +"$((before + 1))" | sed -E 's/^\[[ 0-9.]+\] //' > /tmp/ktap
	# Test case results are indented once under their suite.
	grep -E '^    (not )?ok [0-9]+ ' /tmp/ktap | sed 's/^    //'
	p=$(grep -cE '^    ok [0-9]+ [^#]*$' /tmp/ktap)
	s=$(grep -cE '^    ok [0-9]+ .*# SKIP' /tmp/ktap)
	f=$(grep -cE '^    not ok [0-9]+ ' /tmp/ktap)
	if [ $((p + s + f)) -eq 0 ]; then
		echo "not ok - $m printed no KTAP results"
		f=1
	fi
	pass=$((pass + p)) skip=$((skip + s)) fail=$((fail + f))
	rmmod "$m" 2>/dev/null
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ $fail -eq 0 ]
