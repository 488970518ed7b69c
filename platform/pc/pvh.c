/* The hvm_start_info block QEMU's PVH loader leaves for us (Xen's PVH boot ABI):
 * command line, RSDP address and the E820-style memory map. */
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "kernel/panic.h"

#define PVH_MAGIC 0x336ec578
#define E820_RAM 1

struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

static const struct hvm_start_info *info;
extern char __image_end[];

void pvh_parse(uint32_t start_info_paddr)
{
	info = (const struct hvm_start_info *)(uintptr_t)start_info_paddr;
	if (!info || info->magic != PVH_MAGIC)
		panic("not started through PVH (start_info %#x)", start_info_paddr);
	if (info->version < 1 || !info->memmap_entries)
		panic("PVH start_info has no memory map (version %u)", info->version);
}

const char *plat_cmdline(void)
{
	return info->cmdline_paddr ? (const char *)(uintptr_t)info->cmdline_paddr : "";
}

uint64_t pvh_rsdp(void)
{
	return info->rsdp_paddr;
}

void plat_memory_ranges(void (*fn)(uint64_t base, uint64_t len, void *arg), void *arg)
{
	const struct hvm_memmap_entry *e = (const void *)(uintptr_t)info->memmap_paddr;
	uint64_t floor = ((uint64_t)(uintptr_t)__image_end + 4095) & ~4095ull;
	uint64_t ceiling = 4ull << 30; /* the identity map's end */

	for (uint32_t i = 0; i < info->memmap_entries; i++) {
		if (e[i].type != E820_RAM)
			continue;
		uint64_t lo = e[i].addr, hi = e[i].addr + e[i].size;
		if (lo < floor)
			lo = floor;
		if (hi > ceiling)
			hi = ceiling;
		lo = (lo + 4095) & ~4095ull;
		hi &= ~4095ull;
		if (hi > lo)
			fn(lo, hi - lo, arg);
	}
}
