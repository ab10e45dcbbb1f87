#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh [EXTRA...]: install the Debian packages the tools need (as root,
# apt-get), plus EXTRA packages (make bench: gnuplot-nox), only when
# something is missing.
set -euo pipefail
pkgs=(build-essential flex bison bc libelf-dev libssl-dev cpio
      qemu-system-x86 ccache sparse python3 python3-ply python3-git file xz-utils
      git kmod rsync python3-sphinx
      # The guest runs the host's programs (9p root): RDMA userspace for
      # soft-RoCE, rdma-core's own tests, perftest; iproute2 for ip/rdma.
      iproute2 util-linux rdma-core ibverbs-providers ibverbs-utils perftest
      python3-pyverbs libibverbs-dev
      # b4 prep and a dry-run b4 send of the series (scripts/b4-dryrun.sh).
      b4
      "$@"
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "[deps.sh] installing: ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
