/* TSC and LAPIC timer calibration against PIT channel 2 (a known 1.193182 MHz clock),
 * gated through port 0x61 so no PIT interrupt is needed. */
#include "platform/platform.h"
#include "platform/pc/pc.h"
#include "platform/pc/cpu.h"

#define PIT_HZ 1193182u
#define CALIBRATE_MS 10

static uint64_t tsc_hz;
static uint64_t tsc_at_boot;
uint32_t lapic_ticks_per_ms; /* read by lapic.c */

uint32_t lapic_timer_count(void);
void lapic_timer_oneshot_max(void);

void tsc_calibrate(void)
{
	uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;

	tsc_at_boot = plat_tsc();
	plat_outb(0x61, (plat_inb(0x61) & ~0x02) | 0x01); /* gate high, speaker off */
	plat_outb(0x43, 0xB0);                             /* ch2, lo/hi, mode 0 */
	plat_outb(0x42, count & 0xff);
	plat_outb(0x42, count >> 8);
	lapic_timer_oneshot_max();
	uint32_t apic0 = lapic_timer_count();
	uint64_t t0 = plat_tsc();
	while (!(plat_inb(0x61) & 0x20))
		;
	uint64_t t1 = plat_tsc();
	uint32_t apic1 = lapic_timer_count();

	tsc_hz = (t1 - t0) * 1000 / CALIBRATE_MS;
	lapic_ticks_per_ms = (apic0 - apic1) / CALIBRATE_MS;
}

uint64_t plat_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t plat_boot_tsc(void)
{
	return tsc_at_boot;
}

uint64_t plat_now_ns(void)
{
	uint64_t d = plat_tsc() - tsc_at_boot;
	/* Split to avoid overflowing 64 bits: whole seconds, then the remainder. */
	return d / tsc_hz * 1000000000ull + d % tsc_hz * 1000000000ull / tsc_hz;
}

void tsc_delay_us(uint64_t us)
{
	uint64_t end = plat_tsc() + tsc_hz / 1000000 * us;
	while (plat_tsc() < end)
		plat_cpu_relax();
}
