#!/usr/bin/env bash
# Fetches Debian's lwip 2.1.3 source package and unpacks it under $O/lwip/src.
# Usage: scripts/fetch-lwip.sh            (O defaults to build)
#        LWIP_SRC=dir scripts/fetch-lwip.sh  (use an existing lwIP tree: just links it)
#
# The system's apt configuration and state are never touched: `apt-get update` and
# `apt-get source --download-only` run against a temporary sources list, list and cache
# directory. The deb-src entry uses the same mirror and suite as the machine's own Debian
# `deb` entry, signed by the Debian archive keyring, so apt verifies the Sources index
# against the archive signature and the downloaded files against the index hashes;
# `dpkg-source -x` then checks the tarballs against the .dsc checksums again.
# Idempotent: once $O/lwip/src/.glass-ok exists the script exits at once.
set -euo pipefail

O=${O:-build}
dest=$O/lwip/src
want_version=2.1.3
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "fetch-lwip: $*" >&2; exit 1; }

if [ -n "${LWIP_SRC:-}" ]; then
	[ -f "$LWIP_SRC/src/core/tcp.c" ] || die "LWIP_SRC=$LWIP_SRC has no src/core/tcp.c"
	mkdir -p "$O/lwip"
	want=$(cd "$LWIP_SRC" && pwd)
	[ "$(readlink "$dest" 2>/dev/null || true)" = "$want" ] && exit 0
	rm -rf "$dest"
	ln -s "$want" "$dest"
	exit 0
fi
[ -f "$dest/.glass-ok" ] && exit 0

# The machine's Debian mirror for its release, main component, as apt itself parses it.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' |
	awk -v r="$codename" '$2 == r && $3 == "main" { print $1; exit }')
[ -n "$mirror" ] || die "no 'deb ... $codename main' entry in the apt sources; use LWIP_SRC=dir"
[ -r "$keyring" ] || die "$keyring missing: apt-get install debian-archive-keyring"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/parts" "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/dl"
echo "deb-src [signed-by=$keyring] $mirror $codename main" > "$tmp/sources.list"
apt_opts=(
	-o "Dir::Etc::SourceList=$tmp/sources.list"
	-o "Dir::Etc::SourceParts=$tmp/parts"
	-o "Dir::State::Lists=$tmp/lists"
	-o "Dir::Cache=$tmp/cache"
	-o "Dir::Cache::pkgcache="
	-o "Dir::Cache::srcpkgcache="
	-o "APT::Sandbox::User=$(id -un)"
	-q
)
echo "fetch-lwip: downloading the lwip source package ($codename)" >&2
apt-get "${apt_opts[@]}" update >"$tmp/update.log" 2>&1 ||
	{ cat "$tmp/update.log" >&2; die "apt-get update (temporary list) failed"; }
(cd "$tmp/dl" && apt-get "${apt_opts[@]}" source --download-only lwip) >"$tmp/source.log" 2>&1 ||
	{ cat "$tmp/source.log" >&2; die "apt-get source failed"; }

dsc=$(ls "$tmp"/dl/lwip_*.dsc 2>/dev/null | head -n 1)
[ -n "$dsc" ] || die "no .dsc downloaded"
version=$(sed -n 's/^Version: //p' "$dsc")
case "$version" in
"$want_version"+*|"$want_version"-*) ;;
*) die "got lwip $version, want $want_version" ;;
esac

# dpkg-source verifies every file against the .dsc checksums (and the maintainer's
# signature when debian-keyring is installed) before it unpacks anything.
rm -rf "$dest" "$dest.tmp"
mkdir -p "$O/lwip"
dpkg-source --no-copy -x "$dsc" "$dest.tmp" >"$tmp/unpack.log" 2>&1 ||
	{ cat "$tmp/unpack.log" >&2; die "dpkg-source -x failed (checksum mismatch?)"; }
[ -f "$dest.tmp/src/core/tcp.c" ] || die "unpacked tree has no src/core/tcp.c"
echo "$version" > "$dest.tmp/.glass-ok"
mv "$dest.tmp" "$dest"
echo "fetch-lwip: lwip $version in $dest" >&2
