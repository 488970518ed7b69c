/* PCI configuration space: enumeration, BARs, capabilities (see pci.h). */
#include <errno.h>
#include "platform/platform.h"
#include "platform/pc/pci.h"

uint32_t pci_read32(const struct pci_dev *d, unsigned off)
{
	return plat_pci_read32(d->bus, d->dev, d->fn, off);
}

uint16_t pci_read16(const struct pci_dev *d, unsigned off)
{
	return (uint16_t)(pci_read32(d, off & ~3u) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, unsigned off)
{
	return (uint8_t)(pci_read32(d, off & ~3u) >> ((off & 3) * 8));
}

/* Read-modify-write of the containing dword. Used only on the command register, whose
 * neighbour (status) has write-1-to-clear bits: writing back zeros there is harmless. */
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	unsigned shift = (off & 2) * 8;
	uint32_t x = pci_read32(d, off & ~3u);

	if (off == PCI_COMMAND)
		x &= 0xffff;
	x = (x & ~(0xffffu << shift)) | (uint32_t)v << shift;
	plat_pci_write32(d->bus, d->dev, d->fn, off & ~3u, x);
}

static bool probe_fn(unsigned bus, unsigned dev, unsigned fn, uint16_t vendor,
		     uint16_t device, struct pci_dev *out)
{
	uint32_t id = plat_pci_read32(bus, dev, fn, PCI_VENDOR_ID);

	if ((id & 0xffff) != vendor || (id >> 16) != device)
		return false;
	out->bus = (uint8_t)bus;
	out->dev = (uint8_t)dev;
	out->fn = (uint8_t)fn;
	out->vendor = vendor;
	out->device = device;
	out->irq = pci_read8(out, PCI_INTERRUPT_LINE);
	return true;
}

int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out)
{
	unsigned bus, dev, fn, nfn;

	for (bus = 0; bus < 256; bus++) {
		for (dev = 0; dev < 32; dev++) {
			if ((plat_pci_read32(bus, dev, 0, PCI_VENDOR_ID) & 0xffff) == 0xffff)
				continue;
			/* Header type bit 7: a multi-function device. */
			nfn = (plat_pci_read32(bus, dev, 0, 0x0c) >> 16) & 0x80 ? 8 : 1;
			for (fn = 0; fn < nfn; fn++)
				if (probe_fn(bus, dev, fn, vendor, device, out))
					return 0;
		}
	}
	return -ENODEV;
}

void pci_set_command(const struct pci_dev *d, uint16_t set, uint16_t clear)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);

	pci_write16(d, PCI_COMMAND, (uint16_t)((cmd & ~clear) | set));
}

/* Writes all ones to a BAR dword and reads back the size mask, restoring the value. */
static uint32_t bar_probe(const struct pci_dev *d, unsigned off, uint32_t orig)
{
	uint32_t mask;

	plat_pci_write32(d->bus, d->dev, d->fn, off, 0xffffffffu);
	mask = pci_read32(d, off);
	plat_pci_write32(d->bus, d->dev, d->fn, off, orig);
	return mask;
}

int pci_bar(const struct pci_dev *d, unsigned n, struct pci_bar *out)
{
	unsigned off = PCI_BAR0 + 4 * n;
	uint32_t lo = pci_read32(d, off), hi = 0, mlo, mhi = 0xffffffffu;
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	bool is64 = !(lo & 1) && ((lo >> 1) & 3) == 2;

	if (n > 5 || (is64 && n > 4))
		return -ENOENT;
	if (is64)
		hi = pci_read32(d, off + 4);
	/* Decoding off while the BAR briefly holds all ones. */
	pci_write16(d, PCI_COMMAND, cmd & (uint16_t)~(PCI_CMD_IO | PCI_CMD_MEM));
	mlo = bar_probe(d, off, lo);
	if (is64)
		mhi = bar_probe(d, off + 4, hi);
	pci_write16(d, PCI_COMMAND, cmd);
	out->io = lo & 1;
	out->addr = out->io ? (lo & ~3u) : ((uint64_t)hi << 32 | (lo & ~15u));
	mlo &= out->io ? ~3u : ~15u;
	out->size = ~((uint64_t)mhi << 32 | mlo) + 1;
	if (!is64 && !out->io)
		out->size &= 0xffffffffu;
	if (out->io)
		out->size &= 0xffffu;
	return (mlo == 0 || out->addr == 0) ? -ENOENT : 0;
}

unsigned pci_cap_next(const struct pci_dev *d, uint8_t id, unsigned after)
{
	unsigned off, guard;

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAPS))
		return 0;
	off = after ? pci_read8(d, after + 1) : pci_read8(d, PCI_CAP_PTR);
	/* At most 48 capabilities fit in config space: stops a looping list. */
	for (guard = 0; off >= 0x40 && guard < 48; guard++) {
		off &= ~3u;
		if (pci_read8(d, off) == id)
			return off;
		off = pci_read8(d, off + 1);
	}
	return 0;
}
