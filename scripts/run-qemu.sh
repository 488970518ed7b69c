#!/usr/bin/env bash
# Boots a glass kernel under QEMU. Usage: scripts/run-qemu.sh KERNEL.elf
# Environment (the Makefile passes its variables): SMP MEM KVM=auto|0|1 HTTP_PORT APP_PORT
# EXIT=1 (power off when the app returns) HEADLESS=1 (serial to stdout without the
# interactive prompt; for scripts) QEMU_EXTRA (more QEMU arguments) APPEND (more -append).
set -euo pipefail
kernel=${1:?usage: run-qemu.sh KERNEL.elf}
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
# shellcheck disable=SC2086
exec qemu-system-x86_64 "${args[@]}" ${QEMU_EXTRA:-}
