/* The one platform API. Core code (kernel/, trace/, net/, httpd/, apps/) calls only this;
 * platform/pc/ implements it for an x86-64 PC under QEMU. Every function may be called on
 * any CPU once plat_init() has run, unless its contract says otherwise. */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define PLAT_MAX_CPUS 16

/* Time stamp counter: monotonic per CPU and synchronized across CPUs on QEMU. */
static inline uint64_t plat_tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* TSC ticks per second, calibrated against the PIT at boot. */
uint64_t plat_tsc_hz(void);

/* The TSC when the kernel started (before calibration). */
uint64_t plat_boot_tsc(void);

/* Nanoseconds since boot, from the TSC. */
uint64_t plat_now_ns(void);

/* Per-CPU data is reached through the GS base. The kernel's per-CPU struct starts with
 * this header; the platform sets GS to it on each CPU (plat_cpu_local_set) and keeps
 * irq_depth up to date on interrupt entry and exit. */
struct plat_cpu_local {
	struct plat_cpu_local *self; /* gs:0 */
	uint32_t cpu;                /* gs:8, dense index, 0 = boot CPU */
	uint32_t irq_depth;          /* gs:12, nesting of interrupts on this CPU */
	void *current;               /* gs:16, the kernel's current thread */
};
void plat_cpu_local_set(struct plat_cpu_local *l);

static inline unsigned plat_cpu_id(void)
{
	unsigned c;
	__asm__ volatile("movl %%gs:8, %0" : "=r"(c));
	return c;
}
static inline unsigned plat_irq_depth(void)
{
	unsigned d;
	__asm__ volatile("movl %%gs:12, %0" : "=r"(d));
	return d;
}

/* Number of CPUs that came online, and (before plat_smp_start) how many will. */
unsigned plat_cpu_count(void);
unsigned plat_cpu_count_expected(void);

/* Interrupt state. plat_irq_save() disables and returns the previous state. */
uint64_t plat_irq_save(void);
void plat_irq_restore(uint64_t flags);
static inline void plat_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void plat_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline bool plat_irq_enabled(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f & 0x200;
}
/* Stop until the next interrupt (enables interrupts atomically with the halt). */
static inline void plat_wait_for_irq(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void plat_cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

/* Serial console: write bytes, polled; safe from any context (own lock). */
void plat_console_write(const char *s, size_t n);

/* Power off QEMU with an exit status: QEMU exits with (status << 1) | 1. Never returns. */
__attribute__((noreturn)) void plat_exit(int status);

/* Halt this CPU for good with interrupts off. */
__attribute__((noreturn)) void plat_halt_forever(void);

/* The kernel command line given by -append ("" if none). */
const char *plat_cmdline(void);

/* Physical memory: calls fn for each usable RAM range above 1 MiB not used by the image. */
void plat_memory_ranges(void (*fn)(uint64_t base, uint64_t len, void *arg), void *arg);

/* Starts the other CPUs found in ACPI (each then calls kernel_ap_main() with its per-CPU
 * data set and interrupts off) and the timer tick on every CPU. Called once by the kernel
 * on the boot CPU, after memory and the scheduler are ready. */
void plat_smp_start(void);

/* Per-CPU timer tick: the platform calls kernel_timer_tick() from its timer interrupt
 * on every CPU at PLAT_TICK_HZ, with interrupts disabled. */
#define PLAT_TICK_HZ 100
void kernel_timer_tick(void);
/* The platform calls kernel_irq_exit() at the end of every hardware interrupt's handler
 * (interrupts disabled): a thread woken meanwhile may take the CPU now rather than at the
 * next tick (kernel/sched.c). */
void kernel_irq_exit(void);
/* One more timer interrupt on this CPU about `us` microseconds from now (one at a time),
 * with no tick or sample of its own: another kernel_irq_exit() soon, when the current
 * thread could not be acted on at this one. A tick may come late by that much. */
void plat_timer_soon(unsigned us);

/* Sampling timer: while hz is not 0, the platform also calls kernel_profile_sample() from
 * a timer interrupt on every CPU hz times a second, with interrupts disabled and the
 * interrupted context (in the interrupted thread's stack). Each CPU follows a new setting
 * at its next timer interrupt (within a tick); the tick stays at PLAT_TICK_HZ. */
struct plat_irq_context {
	uint64_t pc, rbp, rsp;
};
void plat_profile_set_hz(unsigned hz);
void kernel_profile_sample(const struct plat_irq_context *c);
/* The stack the CPU's boot context (its idle thread) runs on: [*lo, *hi). */
void plat_cpu_stack(unsigned cpu, uint64_t *lo, uint64_t *hi);

/* Run fn(arg) on every other online CPU with interrupts off while this CPU waits for all
 * of them to enter; they spin until this CPU calls plat_release_others(). Used to patch
 * kernel text safely. Callers must not hold spinlocks the others may need. */
void plat_stop_others(void);
void plat_release_others(void);

/* Panic: halts the other CPUs (an IPI each, no waiting: one may spin with interrupts off)
 * and makes the console write without its lock, which a halted CPU may hold. */
void plat_panic_stop_others(void);

/* Send a reschedule interrupt to a CPU (wakes it from halt). */
void plat_kick_cpu(unsigned cpu);

/* A backtrace's callback: a code address, and the address of the stack slot it was read
 * from (0 for an interrupted pc, which is on no stack). A tracer that replaced return
 * addresses tells the real one from the slot (trace_graph_ret_addr()). */
typedef void (*plat_frame_fn)(uint64_t pc, uint64_t slot, void *arg);
/* Frame-pointer backtrace: calls fn for each return address up the rbp chain. */
void plat_backtrace(uint64_t rbp, plat_frame_fn fn, void *arg);
/* The same from an interrupted context (pc, rbp, rsp): first pc itself, then, when pc's
 * function has not set up its frame yet (its first instructions, or a frameless leaf), the
 * return address on top of the stack, then the rbp chain. */
void plat_backtrace_from(uint64_t pc, uint64_t rbp, uint64_t rsp, plat_frame_fn fn, void *arg);

/* Port I/O and PCI configuration space (mechanism #1). */
uint32_t plat_pci_read32(unsigned bus, unsigned dev, unsigned fn, unsigned off);
void plat_pci_write32(unsigned bus, unsigned dev, unsigned fn, unsigned off, uint32_t v);
static inline uint8_t plat_inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1,%0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint16_t plat_inw(uint16_t p) { uint16_t v; __asm__ volatile("inw %1,%0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t plat_inl(uint16_t p) { uint32_t v; __asm__ volatile("inl %1,%0" : "=a"(v) : "Nd"(p)); return v; }
static inline void plat_outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0,%1" :: "a"(v), "Nd"(p)); }
static inline void plat_outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0,%1" :: "a"(v), "Nd"(p)); }
static inline void plat_outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0,%1" :: "a"(v), "Nd"(p)); }

/* Device interrupts: route legacy IRQ line `irq` (from PCI config 0x3c) through the IOAPIC
 * to handler(arg), delivered on CPU 0, level-triggered active-low as PCI INTx is.
 * Returns 0 or a negative error. handler runs with interrupts off and must be short.
 * name ("virtio-net") is the interrupt's name in irq_handler_entry trace events. */
int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg, const char *name);

#endif
