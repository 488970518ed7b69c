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

int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg)
{
	unsigned pin = irq - gsi_base;

	if (!ioapic_base || irq < gsi_base || pin >= MAX_PINS || !handler)
		return -EINVAL;
	slots[pin] = (struct irq_slot){ handler, arg };
	trap_set_handler(VEC_IRQ_BASE + pin, irq_trampoline, &slots[pin]);
	/* PCI INTx: level-triggered, active low; delivered to the boot CPU's APIC. */
	ioapic_write(REDTBL(pin) + 1, smp_apic_id_of(0) << 24);
	ioapic_write(REDTBL(pin), RED_LEVEL | RED_ACTIVE_LOW | (VEC_IRQ_BASE + pin));
	return 0;
}
