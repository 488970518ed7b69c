# x86-64 PC under QEMU. Early boot and interrupt entry are not instrumented.
KERNEL_SRCS += platform/pc/serial.c platform/pc/idt.c platform/pc/pvh.c platform/pc/tsc.c \
	platform/pc/lapic.c platform/pc/ioapic.c platform/pc/acpi.c platform/pc/smp.c \
	platform/pc/pc.c platform/pc/pci.c platform/pc/virtio_pci.c platform/pc/virtq.c \
	platform/pc/virtio_net.c
KERNEL_NOTRACE_SRCS += platform/pc/boot.S platform/pc/isr.S
