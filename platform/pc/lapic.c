/* Local APIC: identification, end of interrupt, IPIs, the tick and the sampling timer.
 * The LAPIC has one timer per CPU. Without sampling it runs periodic at PLAT_TICK_HZ, as
 * it always did. With sampling on (plat_profile_set_hz) it runs one-shot, armed for the
 * earlier of two TSC deadlines, the next tick and the next sample, each advanced by its
 * own period so neither drifts. Each CPU switches mode at its next timer interrupt.
 *
 * Each sample's deadline is dithered: a nominal deadline advances by whole periods, and the
 * sample is taken a pseudo-random offset in [-period/2, period/2) away from it, so the
 * frequency is the one asked for on average but the samples never run in lockstep with a
 * periodic workload. Without that, a deterministic guest (QEMU -icount, where guest time
 * is instructions) whose loop lasts close to a simple multiple of the period is sampled at
 * the same few points of its loop over and over: compute's shares then moved by 12
 * points between 10000 and 9973 Hz (docs/benchmarks.md, "Accuracy"). */
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

/* The sampling setting: TSC ticks between samples (0: off), and its generation, which
 * each CPU compares with the one its timer is set up for. */
static uint64_t sample_period;
static unsigned sample_gen;

/* One CPU's timer: the generation its mode follows, and the one-shot deadlines. */
static struct cpu_timer {
	unsigned gen;
	bool oneshot;
	bool soon;        /* an extra interrupt was asked for (plat_timer_soon) */
	uint64_t next_tick, next_sample, period;
	uint64_t nominal;	/* the undithered deadline of the next sample */
	uint64_t rng;		/* xorshift64 state of the dither, never 0 */
} timers[PLAT_MAX_CPUS];

/* An offset in [-period/2, period/2) from the CPU's xorshift64 generator. */
static int64_t sample_dither(struct cpu_timer *t)
{
	t->rng ^= t->rng << 13;
	t->rng ^= t->rng >> 7;
	t->rng ^= t->rng << 17;
	return t->period ? (int64_t)(t->rng % t->period) - (int64_t)(t->period / 2) : 0;
}

static void timer_periodic(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, lapic_ticks_per_ms * (1000 / PLAT_TICK_HZ));
}

/* Arms the one-shot timer to fire `ticks` TSC ticks from now. */
static void timer_arm(uint64_t ticks)
{
	uint64_t per_ms = plat_tsc_hz() / 1000, count = ticks * lapic_ticks_per_ms / per_ms;

	lapic_write(LAPIC_TIMER_INIT, count ? (uint32_t)count : 1);
}

/* This CPU's timer follows the sampling setting of generation gen. */
static void timer_follow(struct cpu_timer *t, unsigned gen, uint64_t now)
{
	t->gen = gen;
	t->soon = false;
	t->period = __atomic_load_n(&sample_period, __ATOMIC_ACQUIRE);
	t->oneshot = t->period != 0;
	if (!t->oneshot) {
		timer_periodic();
		return;
	}
	t->next_tick = now + plat_tsc_hz() / PLAT_TICK_HZ;
	if (!t->rng) /* seeded per CPU, the same every boot: runs stay reproducible */
		t->rng = 0x9E3779B97F4A7C15ull * (uint64_t)(plat_cpu_id() + 1);
	t->nominal = now + t->period;
	t->next_sample = t->nominal + (uint64_t)sample_dither(t);
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot */
}

/* Moves a deadline past now by whole periods: a late interrupt skips what it missed. */
static uint64_t next_deadline(uint64_t deadline, uint64_t period, uint64_t now)
{
	deadline += period;
	if (deadline <= now)
		deadline = now + period;
	return deadline;
}

static void timer_interrupt(struct trap_frame *f, void *arg)
{
	struct cpu_timer *t = &timers[plat_cpu_id()];
	unsigned gen = __atomic_load_n(&sample_gen, __ATOMIC_ACQUIRE);
	uint64_t now = plat_tsc();
	bool tick = true, sample = false;

	(void)arg;
	lapic_eoi();
	if (gen != t->gen)
		timer_follow(t, gen, now);
	if (t->soon) {
		t->soon = false;
		if (!t->oneshot) { /* the extra interrupt: the period again, and no tick now */
			timer_periodic();
			return;
		}
	}
	if (t->oneshot) {
		tick = now >= t->next_tick;
		sample = now >= t->next_sample;
		if (tick)
			t->next_tick = next_deadline(t->next_tick, plat_tsc_hz() / PLAT_TICK_HZ, now);
		if (sample) {
			t->nominal = next_deadline(t->nominal, t->period, now);
			t->next_sample = t->nominal + (uint64_t)sample_dither(t);
			if ((int64_t)(t->next_sample - now) <= 0) /* a late one: soon */
				t->next_sample = now + 1;
		}
		/* Armed before the tick, which may switch to another thread. */
		timer_arm((t->next_tick < t->next_sample ? t->next_tick : t->next_sample) - now);
	}
	if (sample) {
		struct plat_irq_context c = { .pc = f->rip, .rbp = f->rbp, .rsp = f->rsp };

		kernel_profile_sample(&c);
	}
	if (tick)
		kernel_timer_tick();
}

/* Periodic mode: the count restarts at the short delay (the next interrupt restores the
 * period, so the tick comes a period after it: ticks are late by the delay, never early).
 * One-shot mode: armed for the delay if that comes before the next deadline; the
 * interrupt then finds nothing due and re-arms for it. */
void plat_timer_soon(unsigned us)
{
	struct cpu_timer *t = &timers[plat_cpu_id()];
	uint64_t flags = plat_irq_save(), delay = plat_tsc_hz() / 1000000 * us, now = plat_tsc();

	if (!t->soon && (!t->oneshot ||
			 (t->next_tick < t->next_sample ? t->next_tick : t->next_sample) > now + delay)) {
		t->soon = true;
		timer_arm(delay);
	}
	plat_irq_restore(flags);
}

void lapic_timer_start(void)
{
	trap_set_handler(VEC_TIMER, timer_interrupt, NULL, "timer");
	timer_periodic();
}

void plat_profile_set_hz(unsigned hz)
{
	uint64_t period = hz ? plat_tsc_hz() / hz : 0;

	__atomic_store_n(&sample_period, period, __ATOMIC_RELEASE);
	__atomic_fetch_add(&sample_gen, 1, __ATOMIC_ACQ_REL);
}
