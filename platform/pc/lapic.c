/* Local APIC: identification, end of interrupt, IPIs and the periodic tick. */
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "platform/pc/cpu.h"
#include "platform/pc/layout.h"

#define LAPIC_ID 0x20
#define LAPIC_EOI 0xB0
#define LAPIC_SVR 0xF0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3E0
#define LVT_MASKED 0x10000
#define LVT_PERIODIC 0x20000
#define ICR_PENDING 0x1000

extern uint32_t lapic_ticks_per_ms;

static uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(LAPIC_BASE + reg);
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(LAPIC_BASE + reg, v);
}

void lapic_init(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | 0x800); /* global enable */
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);       /* software enable */
	lapic_write(LAPIC_TIMER_DIV, 0x3);                  /* divide by 16 */
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	uint64_t flags = plat_irq_save();
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_low);
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		plat_cpu_relax();
	plat_irq_restore(flags);
}

void lapic_timer_oneshot_max(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFF);
}

uint32_t lapic_timer_count(void)
{
	return lapic_read(LAPIC_TIMER_CUR);
}

static void timer_interrupt(struct trap_frame *f, void *arg)
{
	(void)f;
	(void)arg;
	lapic_eoi();
	kernel_timer_tick();
}

void lapic_timer_start(void)
{
	trap_set_handler(VEC_TIMER, timer_interrupt, NULL, "timer");
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, lapic_ticks_per_ms * (1000 / PLAT_TICK_HZ));
}
