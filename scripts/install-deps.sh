#!/usr/bin/env bash
# Installs the Debian packages glass needs, or says exactly how to.
# Usage: scripts/install-deps.sh [--with-browser | --with-viewers]
# Idempotent: checks each package with dpkg first, so a ready machine pays ~50 ms.
set -euo pipefail

packages=(
	gcc binutils make libc6-dev        # kernel and host tools
	qemu-system-x86                    # boots the kernel
	libzstd-dev zstd                   # .zst traces
	gnuplot-nox                        # plots
	libmicrohttpd-dev                  # runtime-breakdown --serve
	wget curl                          # talking to the guest
	clang libclang-rt-14-dev           # fuzz targets (libFuzzer)
	xz-utils dpkg-dev debian-archive-keyring  # fetching and unpacking lwIP's source package
	pkg-config
	python3 iproute2 file jq          # test helpers (ss, file, the HTTP abuse client, JSON lines)
	wrk                               # make bench: webg requests per second
	libprotobuf-c-dev protobuf-c-compiler zlib1g-dev libsqlite3-dev  # exports (perfetto, pprof, sqlite)
	protobuf-compiler sqlite3 golang-go trace-cmd  # tests check the exports with their real consumers
)
if [ "${1:-}" = "--with-browser" ]; then
	packages+=(chromium)
fi
if [ "${1:-}" = "--with-viewers" ]; then	# the KernelShark screenshot in docs/tracedat.md
	packages+=(kernelshark xvfb xdotool imagemagick)
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "glass: missing Debian packages: ${missing[*]}" >&2
	echo "glass: install them with: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "glass: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
	{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
