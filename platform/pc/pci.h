/* PCI configuration space helpers over plat_pci_read32/plat_pci_write32: brute-force
 * enumeration of buses 0..255, BAR decoding and the capability list. Boot-time use only:
 * the config address/data port pair is not locked. */
#ifndef PLATFORM_PC_PCI_H
#define PLATFORM_PC_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_VENDOR_ID      0x00
#define PCI_COMMAND        0x04
#define PCI_STATUS         0x06
#define PCI_HEADER_TYPE    0x0e
#define PCI_BAR0           0x10
#define PCI_CAP_PTR        0x34
#define PCI_INTERRUPT_LINE 0x3c

#define PCI_CMD_IO         0x1
#define PCI_CMD_MEM        0x2
#define PCI_CMD_MASTER     0x4
#define PCI_CMD_INTX_OFF   0x400
#define PCI_STATUS_CAPS    0x10

#define PCI_CAP_VENDOR     0x09

struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t irq;            /* interrupt line as the firmware routed it; 0xff = none */
};

struct pci_bar {
	uint64_t addr;          /* port number for I/O BARs, physical address for memory */
	uint64_t size;
	bool io;
};

/* Finds the first function with this vendor and device id (in bus/dev/fn order), or
 * returns -ENODEV. */
int pci_find(uint16_t vendor, uint16_t device, struct pci_dev *out);

uint32_t pci_read32(const struct pci_dev *d, unsigned off);
uint16_t pci_read16(const struct pci_dev *d, unsigned off);
uint8_t pci_read8(const struct pci_dev *d, unsigned off);
void pci_write16(const struct pci_dev *d, unsigned off, uint16_t v);

/* Decodes BAR n (0..5): address, size (by the all-ones probe, with decoding switched off
 * meanwhile) and type; a 64-bit BAR uses n and n+1. Returns -ENOENT for an unassigned or
 * absent BAR. */
int pci_bar(const struct pci_dev *d, unsigned n, struct pci_bar *out);

/* Offset of the first capability with this id at or after offset `after` in the list
 * (0 = from the start), or 0 if none. */
unsigned pci_cap_next(const struct pci_dev *d, uint8_t id, unsigned after);

/* Sets bits in the command register (PCI_CMD_*) and clears others given in `clear`. */
void pci_set_command(const struct pci_dev *d, uint16_t set, uint16_t clear);

#endif
