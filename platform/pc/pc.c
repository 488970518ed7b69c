/* The PC platform's boot sequence and small platform services. */
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "platform/pc/cpu.h"
#include "kernel/compiler.h"
#include "kernel/ksyms.h"
#include "kernel/lock.h"

#define DEBUG_EXIT_PORT 0xf4
#define BACKTRACE_MAX 32

static struct acpi_info acpi;

notrace void plat_cpu_local_set(struct plat_cpu_local *l)
{
	l->self = l;
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)l);
}

/* Called from boot.S on the boot CPU in long mode, interrupts off. Not instrumented: it
 * runs before the per-CPU data it would need exists. */
notrace void pc_start(uint32_t start_info)
{
	plat_cpu_local_set(kernel_cpu_local(0));
	serial_init();
	pvh_parse(start_info);
	idt_init();
	smp_init_stop_vector();
	lapic_init();
	tsc_calibrate();
	acpi_init(&acpi);
	ioapic_init(&acpi);
	kernel_main();
}

unsigned plat_cpu_count_expected(void)
{
	return acpi.ncpus < PLAT_MAX_CPUS ? acpi.ncpus : PLAT_MAX_CPUS;
}

void plat_smp_start(void)
{
	smp_start_aps(&acpi);
	lapic_timer_start();
}

notrace uint64_t plat_irq_save(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
	return flags;
}

notrace void plat_irq_restore(uint64_t flags)
{
	if (flags & 0x200)
		__asm__ volatile("sti" ::: "memory");
}

void plat_exit(int status)
{
	plat_outl(DEBUG_EXIT_PORT, (uint32_t)status);
	plat_halt_forever(); /* without isa-debug-exit */
}

void plat_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Configuration mechanism #1: the address and data ports are a pair shared by all CPUs. */
static struct spinlock pci_lock = SPINLOCK_INIT;

static uint32_t pci_address(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	return 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (off & 0xFC);
}

uint32_t plat_pci_read32(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	uint64_t flags = spin_lock_irqsave(&pci_lock);
	plat_outl(0xCF8, pci_address(bus, dev, fn, off));
	uint32_t v = plat_inl(0xCFC);
	spin_unlock_irqrestore(&pci_lock, flags);
	return v;
}

void plat_pci_write32(unsigned bus, unsigned dev, unsigned fn, unsigned off, uint32_t v)
{
	uint64_t flags = spin_lock_irqsave(&pci_lock);
	plat_outl(0xCF8, pci_address(bus, dev, fn, off));
	plat_outl(0xCFC, v);
	spin_unlock_irqrestore(&pci_lock, flags);
}

/* Frame pointers are on (-fno-omit-frame-pointer); a frame is trusted only if it lies in
 * the identity-mapped first 4 GiB, is aligned, and the chain moves up the stack. */
void plat_backtrace(uint64_t rbp, plat_frame_fn fn, void *arg)
{
	for (int i = 0; i < BACKTRACE_MAX; i++) {
		if (!rbp || (rbp & 7) || rbp >= (4ull << 30) - 16 || rbp < 0x1000)
			return;
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		if (!frame[1])
			return;
		fn(frame[1], (uint64_t)(uintptr_t)&frame[1], arg);
		if (frame[0] <= rbp)
			return;
		rbp = frame[0];
	}
}

/* Where pc's function stands with its frame: returns the stack offset of the return
 * address if the frame is not set up (0 before `push %rbp`, 8 right after it, 0 for a
 * leaf that never pushes), or -1 once `mov %rsp,%rbp` has run. */
static int frameless_ret_offset(uint64_t pc)
{
	uint64_t off, size;
	const char *name = ksym_lookup(pc, &off, &size);
	const uint8_t *f, *p;

	if (!name)
		return -1;
	f = (const uint8_t *)(uintptr_t)(pc - off);
	p = f;
	if (p[0] == 0xe8 || (p[0] == 0x0f && p[1] == 0x1f && p[2] == 0x44)) /* fentry site */
		p += 5;
	if (p[0] != 0x55)
		return 0; /* frameless leaf: the return address stays on top */
	if (pc <= (uint64_t)(uintptr_t)p)
		return 0;
	if (pc <= (uint64_t)(uintptr_t)p + 1)
		return 8;
	return -1;
}

void plat_backtrace_from(uint64_t pc, uint64_t rbp, uint64_t rsp, plat_frame_fn fn, void *arg)
{
	int ret_off = frameless_ret_offset(pc);

	fn(pc, 0, arg);
	if (ret_off >= 0 && rsp >= 0x1000 && rsp < (4ull << 30) - 16)
		fn(*(const uint64_t *)(uintptr_t)(rsp + ret_off), rsp + (uint64_t)ret_off, arg);
	plat_backtrace(rbp, fn, arg);
}
