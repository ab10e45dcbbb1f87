#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# odp-bench.sh: the RDMA on-demand paging figures of make bench, run in the
# guest (scripts/bench.sh, plain kernel, one boot).  perftest on rxe0 over
# the guest's loopback, each tool with an ODP MR (--odp) and with a pinned
# MR (the same run without --odp) as the reference of the same boot:
#   bw    ib_write_bw, ib_read_bw, ib_send_bw, 64 KiB messages, warm MR:
#         enough iterations that the first faults do not count;
#   first ib_write_bw, ib_read_bw with 8 MiB messages and the minimum of 5
#         iterations: the first one faults the whole buffer in (first touch);
#   lat   ib_write_lat, ib_read_lat, ib_send_lat, 8-byte messages.
# Then the storm figures of selftests/rdma/odp_stress.
# Each figure is printed as "@@ODP-BENCH {json}"; odp_stress prints
# "# ODP-STORM {json}".  Arguments (ARGS of run-vm.sh, from make bench):
# the perftest repetitions, whose median the host takes (default 3; 0: the
# storms only), and the seconds per storm and per quiet phase before it
# (odp_stress -d, default 3).
set -u
reps=${1:-3}
bw_iters=${ODP_BENCH_BW_ITERS:-500}
lat_iters=${ODP_BENCH_LAT_ITERS:-1000}
storm_d=${2:-3}

sh "$HMM_TOP/suites/rdma-setup.sh" | sed 's/^/# setup: /'

listening() { grep -q ':4853 .* 0A ' /proc/net/tcp /proc/net/tcp6 2>/dev/null; }

# perf KIND TOOL MR SIZE ITERS REP: one server/client pair; prints the
# client's result line as JSON.
perf() {
	kind=$1 tool=$2 mr=$3 size=$4 iters=$5 rep=$6
	odp=
	[ "$mr" = odp ] && odp=--odp
	set -- -d rxe0 -x 0 -F -s "$size" -n "$iters" $odp
	timeout 300 "$tool" "$@" > /tmp/srv.log 2>&1 &
	srv=$!
	i=0
	while ! listening && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	timeout 300 "$tool" "$@" localhost > /tmp/cli.log 2>&1
	crc=$?
	wait $srv
	src=$?
	# The result line is the first line of numbers after the column header.
	line=$(awk '/^ *#bytes/ { h = 1; next } h && /^ *[0-9]/ { print; exit }' /tmp/cli.log)
	if [ $crc -ne 0 ] || [ $src -ne 0 ] || [ -z "$line" ]; then
		sed 's/^/# client: /' /tmp/cli.log
		sed 's/^/# server: /' /tmp/srv.log
		echo "@@ODP-BENCH {\"kind\":\"$kind\",\"tool\":\"$tool\",\"mr\":\"$mr\",\"size\":$size,\"iters\":$iters,\"rep\":$rep,\"error\":\"client rc $crc, server rc $src\"}"
		return
	fi
	# shellcheck disable=SC2086
	set -- $line
	case $kind in
	lat)	# bytes iters t_min t_max t_typical t_avg t_stdev p99 p99.9
		echo "@@ODP-BENCH {\"kind\":\"$kind\",\"tool\":\"$tool\",\"mr\":\"$mr\",\"size\":$size,\"iters\":$iters,\"rep\":$rep,\"t_min_us\":$3,\"t_typical_us\":$5,\"t_avg_us\":$6,\"p99_us\":$8,\"p999_us\":$9,\"t_max_us\":$4}" ;;
	*)	# bytes iters bw_peak bw_avg msg_rate
		echo "@@ODP-BENCH {\"kind\":\"$kind\",\"tool\":\"$tool\",\"mr\":\"$mr\",\"size\":$size,\"iters\":$iters,\"rep\":$rep,\"bw_avg_mbs\":$4,\"msg_rate_mpps\":$5}" ;;
	esac
}

rep=1
while [ $rep -le "$reps" ]; do
	for mr in odp pinned; do
		for t in ib_write_bw ib_read_bw ib_send_bw; do
			perf bw $t $mr 65536 "$bw_iters" $rep
		done
		for t in ib_write_bw ib_read_bw; do
			perf first $t $mr 8388608 5 $rep
		done
		for t in ib_write_lat ib_read_lat ib_send_lat; do
			perf lat $t $mr 8 "$lat_iters" $rep
		done
	done
	rep=$((rep + 1))
done

# Storm figures: completion, errors, p50/p99/max per storm kind.
/tests/odp_stress -d "$storm_d" -s 1
