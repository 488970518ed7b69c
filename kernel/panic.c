/* panic(): stop the other CPUs and tracing, print the message, a backtrace and the trace
 * dump, then power off or halt. A second panic on another CPU, or a fault while this one
 * is reporting, only halts. */
#include <stdarg.h>
#include "kernel/panic.h"
#include "kernel/printf.h"
#include "kernel/ksyms.h"
#include "kernel/exit.h"
#include "platform/platform.h"
#include "trace/trace.h"

static int panic_cpu = -1; /* the CPU that panics; any other one that panics then halts */
static int reporting;      /* set while the panic CPU prints its report */

static void print_frame(uint64_t pc, uint64_t slot, void *arg)
{
	uint64_t off, size;
	const char *name;

	(void)arg;
	/* FGRAPH=hijack: a return function_graph hooked holds return_to_handler, the real
	 * one is on the shadow stack. With rethook this is pc itself: nothing to translate. */
	pc = trace_graph_ret_addr(pc, slot);
	name = ksym_lookup(pc, &off, &size);
	if (name)
		kprintf("  [<%016lx>] %s+0x%lx/0x%lx\n", pc, name, off, size);
	else
		kprintf("  [<%016lx>] ?\n", pc);
}

void panic_prepare(void)
{
	int none = -1, self = (int)plat_cpu_id();

	plat_irq_disable();
	trace_stop_on_panic();
	if (!__atomic_compare_exchange_n(&panic_cpu, &none, self, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		if (none != self)
			plat_halt_forever(); /* another CPU is panicking: let it report */
		return;                      /* already prepared (exception -> panic_at) */
	}
	plat_panic_stop_others();
}

static void vpanic_at(uint64_t pc, uint64_t rbp, uint64_t rsp, const char *fmt, va_list ap)
{
	char msg[256];

	panic_prepare();
	if (reporting++)
		plat_halt_forever(); /* a fault while reporting: do not loop */
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	kprintf("\nKernel panic on CPU %u: %s\nBacktrace:\n", plat_cpu_id(), msg);
	if (pc)
		plat_backtrace_from(pc, rbp, rsp, print_frame, NULL);
	else
		plat_backtrace(rbp, print_frame, NULL);
	trace_dump_on_panic();
	kprintf("---[ end Kernel panic: %s ]---\n", msg);
	if (kernel_exit_requested())
		plat_exit(GLASS_EXIT_PANIC);
	plat_halt_forever();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic_at(0, (uint64_t)(uintptr_t)__builtin_frame_address(0), 0, fmt, ap);
	va_end(ap);
	plat_halt_forever();
}

void panic_at(uint64_t pc, uint64_t rbp, uint64_t rsp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic_at(pc, rbp, rsp, fmt, ap);
	va_end(ap);
	plat_halt_forever();
}
