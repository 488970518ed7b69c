/* Application processor bring-up (INIT-SIPI-SIPI), cross-CPU kicks, and the stop-machine
 * rendezvous used to patch kernel text while other CPUs run. */
#include <string.h>
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "platform/pc/cpu.h"
#include "platform/pc/layout.h"
#include "kernel/page.h"
#include "kernel/panic.h"
#include "kernel/printf.h"
#include "kernel/compiler.h"

#define AP_STACK_PAGES 4
#define ICR_INIT 0x00004500
#define ICR_STARTUP 0x00004600
#define ICR_FIXED_ASSERT 0x00004000

extern const char ap_trampoline[], ap_trampoline_end[];
extern uint64_t ap_boot_stack;

static uint32_t cpu_apic_ids[PLAT_MAX_CPUS];
static uint64_t cpu_stack_lo[PLAT_MAX_CPUS]; /* each AP's boot (idle) stack */
static volatile unsigned cpus_online = 1;
static volatile unsigned ap_booting_cpu;

static volatile unsigned stop_entered;
static volatile bool stop_release;

unsigned plat_cpu_count(void)
{
	return cpus_online;
}

void plat_cpu_stack(unsigned cpu, uint64_t *lo, uint64_t *hi)
{
	extern char boot_stack_top[];

	if (cpu == 0 || cpu >= PLAT_MAX_CPUS || !cpu_stack_lo[cpu]) {
		*hi = (uint64_t)(uintptr_t)boot_stack_top;
		*lo = *hi - BOOT_STACK_SIZE;
		return;
	}
	*lo = cpu_stack_lo[cpu];
	*hi = *lo + AP_STACK_PAGES * 4096;
}

uint32_t smp_apic_id_of(unsigned cpu)
{
	return cpu_apic_ids[cpu];
}

/* First C code on an AP, still without per-CPU data: compiled without -pg (early.c list). */
notrace void ap_main(void)
{
	unsigned cpu = ap_booting_cpu;

	plat_cpu_local_set(kernel_cpu_local(cpu));
	idt_load();
	lapic_init();
	/* Publish: the boot CPU waits for this before starting the next AP. */
	__atomic_store_n(&cpus_online, cpu + 1, __ATOMIC_RELEASE);
	lapic_timer_start();
	kernel_ap_main();
}

static bool start_ap(unsigned cpu, uint32_t apic_id)
{
	void *stack = page_alloc(AP_STACK_PAGES);
	if (!stack)
		panic("SMP: no memory for CPU %u's stack", cpu);
	ap_boot_stack = (uint64_t)(uintptr_t)stack + AP_STACK_PAGES * 4096;
	cpu_stack_lo[cpu] = (uint64_t)(uintptr_t)stack;
	ap_booting_cpu = cpu;
	cpu_apic_ids[cpu] = apic_id;
	lapic_send_ipi(apic_id, ICR_INIT);
	tsc_delay_us(10000);
	for (int i = 0; i < 2 && cpus_online <= cpu; i++) {
		lapic_send_ipi(apic_id, ICR_STARTUP | (AP_TRAMPOLINE_ADDR >> 12));
		for (int t = 0; t < 2000 && __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE) <= cpu; t++)
			tsc_delay_us(100);
	}
	return cpus_online > cpu;
}

static void stop_handler(struct trap_frame *f, void *arg)
{
	(void)f;
	(void)arg;
	lapic_eoi();
	__atomic_fetch_add(&stop_entered, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&stop_release, __ATOMIC_ACQUIRE))
		plat_cpu_relax();
	/* The patcher may have rewritten code this CPU is about to run: cpuid serializes the
	 * instruction stream, as the cross-modifying-code rules require. */
	uint32_t r[4];
	cpuid(0, 0, r);
	__atomic_fetch_sub(&stop_entered, 1, __ATOMIC_ACQ_REL);
}

static void resched_handler(struct trap_frame *f, void *arg)
{
	(void)f;
	(void)arg;
	lapic_eoi(); /* waking the CPU from hlt is all that is needed */
}

static void halt_handler(struct trap_frame *f, void *arg)
{
	(void)f;
	(void)arg;
	plat_halt_forever();
}

void plat_panic_stop_others(void)
{
	serial_panic_mode();
	for (unsigned c = 0; c < cpus_online; c++)
		if (c != plat_cpu_id())
			lapic_send_ipi(cpu_apic_ids[c], ICR_FIXED_ASSERT | VEC_HALT);
}

void smp_init_stop_vector(void)
{
	trap_set_handler(VEC_HALT, halt_handler, NULL, "ipi-halt");
	trap_set_handler(VEC_STOP, stop_handler, NULL, "ipi-stop");
	trap_set_handler(VEC_RESCHED, resched_handler, NULL, "ipi-resched");
}

void smp_start_aps(const struct acpi_info *acpi)
{
	uint32_t self = lapic_id();
	unsigned next = 1;

	cpu_apic_ids[0] = self;
	memcpy((void *)AP_TRAMPOLINE_ADDR, ap_trampoline, ap_trampoline_end - ap_trampoline);
	for (unsigned i = 0; i < acpi->ncpus && next < PLAT_MAX_CPUS; i++) {
		if (acpi->apic_ids[i] == self)
			continue;
		if (!start_ap(next, acpi->apic_ids[i])) {
			kprintf("SMP: CPU with APIC id %u did not start\n", acpi->apic_ids[i]);
			break;
		}
		next++;
	}
}

notrace void plat_stop_others(void)
{
	unsigned n = cpus_online;

	stop_release = false;
	for (unsigned c = 0; c < n; c++)
		if (c != plat_cpu_id())
			lapic_send_ipi(cpu_apic_ids[c], ICR_FIXED_ASSERT | VEC_STOP);
	while (__atomic_load_n(&stop_entered, __ATOMIC_ACQUIRE) < n - 1)
		plat_cpu_relax();
}

notrace void plat_release_others(void)
{
	__atomic_store_n(&stop_release, true, __ATOMIC_RELEASE);
	while (__atomic_load_n(&stop_entered, __ATOMIC_ACQUIRE))
		plat_cpu_relax();
}

void plat_kick_cpu(unsigned cpu)
{
	if (cpu != plat_cpu_id() && cpu < cpus_online)
		lapic_send_ipi(cpu_apic_ids[cpu], ICR_FIXED_ASSERT | VEC_RESCHED);
}
