/* ACPI: find the MADT through the RSDP and read the CPUs' APIC ids, the IOAPIC and the ISA
 * interrupt overrides. Only the tables this kernel needs; every length is checked. */
#include <string.h>
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "kernel/panic.h"

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
} __attribute__((packed));

struct sdt_header {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2

static bool checksum_ok(const void *p, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

static const struct rsdp *rsdp_scan(uint64_t from, uint64_t to)
{
	for (uint64_t a = from; a + sizeof(struct rsdp) <= to; a += 16) {
		const struct rsdp *r = (const void *)(uintptr_t)a;
		if (!memcmp(r->sig, "RSD PTR ", 8) && checksum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct sdt_header *find_table(const struct rsdp *r, const char sig[4])
{
	bool x = r->revision >= 2 && r->xsdt;
	const struct sdt_header *root = (const void *)(uintptr_t)(x ? r->xsdt : r->rsdt);
	size_t esize = x ? 8 : 4;
	size_t n = (root->length - sizeof(*root)) / esize;
	const uint8_t *entries = (const uint8_t *)(root + 1);

	for (size_t i = 0; i < n; i++) {
		uint64_t a = 0;
		memcpy(&a, entries + i * esize, esize);
		const struct sdt_header *t = (const void *)(uintptr_t)a;
		if (!memcmp(t->sig, sig, 4) && checksum_ok(t, t->length))
			return t;
	}
	return NULL;
}

static void madt_entry(const uint8_t *e, struct acpi_info *out)
{
	uint32_t v32;
	uint16_t v16;

	switch (e[0]) {
	case MADT_LAPIC:
		memcpy(&v32, e + 4, 4);
		if ((v32 & 1) && out->ncpus < sizeof(out->apic_ids))
			out->apic_ids[out->ncpus++] = e[3];
		break;
	case MADT_IOAPIC:
		if (!out->ioapic_addr) {
			memcpy(&out->ioapic_addr, e + 4, 4);
			memcpy(&out->ioapic_gsi_base, e + 8, 4);
		}
		break;
	case MADT_OVERRIDE:
		if (e[3] < 16) {
			memcpy(&v32, e + 4, 4);
			memcpy(&v16, e + 8, 2);
			out->isa_gsi[e[3]] = v32;
			out->isa_flags[e[3]] = v16;
		}
		break;
	}
}

void acpi_init(struct acpi_info *out)
{
	const struct rsdp *r = (const void *)(uintptr_t)pvh_rsdp();

	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < 16; i++)
		out->isa_gsi[i] = i;
	if (!r)
		r = rsdp_scan(0xE0000, 0x100000);
	if (!r)
		panic("ACPI: no RSDP");
	const struct sdt_header *madt = find_table(r, "APIC");
	if (!madt)
		panic("ACPI: no MADT");
	const uint8_t *p = (const uint8_t *)madt + sizeof(*madt) + 8; /* lapic addr, flags */
	const uint8_t *end = (const uint8_t *)madt + madt->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		madt_entry(p, out);
		p += p[1];
	}
	if (!out->ncpus)
		panic("ACPI: MADT lists no enabled CPU");
}
