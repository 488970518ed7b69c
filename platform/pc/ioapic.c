/* IOAPIC: routes device interrupt lines to vectors VEC_IRQ_BASE + gsi on the boot CPU. */
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "platform/pc/cpu.h"
#include "platform/pc/layout.h"
#include <errno.h>

#define IOREGSEL 0x00
#define IOWIN 0x10
#define REDTBL(n) (0x10 + 2 * (n))
#define RED_MASKED (1u << 16)
#define RED_LEVEL (1u << 15)
#define RED_ACTIVE_LOW (1u << 13)
#define MAX_PINS 24

static uintptr_t ioapic_base;
static uint32_t gsi_base;
static struct acpi_info madt; /* the ISA overrides, for polarity and trigger */

struct irq_slot {
	void (*handler)(void *arg);
	void *arg;
};
static struct irq_slot slots[MAX_PINS];

static void ioapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(ioapic_base + IOREGSEL, reg);
	mmio_write32(ioapic_base + IOWIN, v);
}

void ioapic_init(const struct acpi_info *acpi)
{
	ioapic_base = acpi->ioapic_addr;
	gsi_base = acpi->ioapic_gsi_base;
	madt = *acpi;
	for (unsigned pin = 0; pin < MAX_PINS; pin++)
		ioapic_write(REDTBL(pin), RED_MASKED);
	/* The legacy 8259 PICs stay masked: everything goes through the IOAPIC. */
	plat_outb(0x21, 0xff);
	plat_outb(0xA1, 0xff);
}

static void irq_trampoline(struct trap_frame *f, void *arg)
{
	struct irq_slot *s = arg;
	(void)f;
	s->handler(s->arg);
	lapic_eoi();
}

/* Redirection flags for a PCI interrupt line. PCI INTx is level-triggered and active low,
 * unless the MADT overrides the ISA IRQ it is wired to: QEMU's pc declares its PCI link
 * IRQs (5, 9, 10, 11) level-triggered and active high. TCG ignores the polarity; KVM's
 * in-kernel IOAPIC does not. MPS INTI flags: bits 0-1 polarity (1 high, 3 low), bits 2-3
 * trigger (1 edge, 3 level); 0 means the bus's default. */
static uint32_t line_flags(unsigned irq, unsigned *gsi)
{
	uint32_t flags = RED_LEVEL | RED_ACTIVE_LOW;
	uint16_t inti;

	*gsi = irq;
	if (irq >= 16)
		return flags;
	*gsi = madt.isa_gsi[irq];
	inti = madt.isa_flags[irq];
	if ((inti & 3) == 1)
		flags &= ~RED_ACTIVE_LOW;
	if (((inti >> 2) & 3) == 1)
		flags &= ~RED_LEVEL;
	return flags;
}

int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg, const char *name)
{
	unsigned gsi;
	uint32_t flags = line_flags(irq, &gsi);
	unsigned pin = gsi - gsi_base;

	if (!ioapic_base || gsi < gsi_base || pin >= MAX_PINS || !handler)
		return -EINVAL;
	slots[pin] = (struct irq_slot){ handler, arg };
	trap_set_handler(VEC_IRQ_BASE + pin, irq_trampoline, &slots[pin], name);
	/* Delivered to the boot CPU's APIC. */
	ioapic_write(REDTBL(pin) + 1, smp_apic_id_of(0) << 24);
	ioapic_write(REDTBL(pin), flags | (VEC_IRQ_BASE + pin));
	return 0;
}
