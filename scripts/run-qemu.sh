#!/usr/bin/env bash
# Boots a glass kernel under QEMU. Usage: scripts/run-qemu.sh KERNEL.elf
# Environment (the Makefile passes its variables): SMP MEM KVM=auto|0|1 HTTP_PORT APP_PORT
# EXIT=1 (power off when the app returns) HEADLESS=1 (serial to stdout without the
# interactive prompt; for scripts) QEMU_EXTRA (more QEMU arguments) APPEND (more -append).
#
# Exit status (docs/writing-apps.md), translated from what the kernel wrote to QEMU's
# isa-debug-exit port (QEMU exits with (code << 1) | 1, see kernel/exit.h):
#   0  the app returned 0 (or, without EXIT=1, you quit QEMU)
#   1  the app returned non-zero
#   2  bad arguments to this script
#   3  kernel panic (an exception, or a broken invariant)
#   4  with EXIT=1, QEMU stopped without the kernel powering off: a triple fault (the
#      guest reset under -no-reboot), or QEMU was quit by hand or by a signal
#   5  QEMU itself failed (it says why on stderr), or an unknown status
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
	echo "usage: run-qemu.sh KERNEL.elf (an existing file)" >&2
	exit 2
fi
kernel=$1
SMP=${SMP:-2}
MEM=${MEM:-512M}
KVM=${KVM:-auto}
HTTP_PORT=${HTTP_PORT:-9090}
APP_PORT=${APP_PORT:-8080}
EXIT=${EXIT:-0}

# KVM only where the CPU really has hardware virtualization: the /dev/kvm of nested
# sandboxes without vmx/svm emulates every guest instruction and is ~1000x slower than TCG.
kvm_usable() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo
}
case "$KVM" in
auto) if kvm_usable; then accel=kvm; else accel=tcg; fi ;;
1) accel=kvm ;;
0) accel=tcg ;;
*) echo "run-qemu: KVM must be auto, 0 or 1 (got '$KVM')" >&2; exit 2 ;;
esac
if [ "$accel" = kvm ]; then
	accel_args=(-accel kvm -cpu host,-arch-capabilities,+invtsc)
else
	accel_args=(-accel tcg)
fi

append="${APPEND:-}"
[ "$EXIT" = 1 ] && append="exit=1 $append"

args=(
	-M pc -m "$MEM" -smp "$SMP" "${accel_args[@]}"
	-display none -nodefaults -no-user-config -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${HTTP_PORT}-:9090,hostfwd=tcp:127.0.0.1:${APP_PORT}-:8080"
	-device virtio-net-pci,netdev=n0
	-kernel "$kernel" -append "$append"
)
if [ "${HEADLESS:-0}" = 1 ]; then
	args+=(-serial stdio)
else
	echo "glass: booting $kernel with $SMP CPUs under ${accel^^}; /ftrace on http://127.0.0.1:$HTTP_PORT/ftrace/"
	echo "glass: quit QEMU with Ctrl-A then X"
	args+=(-serial mon:stdio)
fi

# The status QEMU exited with, as this script's (see the top).
exit_status() {
	case $1 in
	33) echo 0 ;;
	35) echo 1 ;;
	37) echo 3 ;;
	0) if [ "$EXIT" = 1 ]; then echo 4; else echo 0; fi ;;
	*) echo 5 ;;
	esac
}

# QEMU runs as a child (not exec'd) so its status can be translated; whoever stops this
# script (timeout, kill, Ctrl-C of a headless run) stops QEMU with it. Its stdin is this
# script's: a background command's would be /dev/null.
# shellcheck disable=SC2086
qemu-system-x86_64 "${args[@]}" ${QEMU_EXTRA:-} <&0 &
qemu=$!
trap 'kill -TERM "$qemu" 2>/dev/null' TERM INT HUP
status=0
wait "$qemu" || status=$?
# A trapped signal interrupts `wait` (status > 128): wait again for QEMU's own status.
while [ "$status" -gt 128 ] && kill -0 "$qemu" 2>/dev/null; do
	status=0
	wait "$qemu" || status=$?
done
exit "$(exit_status "$status")"
