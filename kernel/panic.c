/* panic(): print, backtrace, trace dump, stop everything. Reentry (a fault while
 * panicking, or two CPUs at once) only halts. */
#include <stdarg.h>
#include "kernel/panic.h"
#include "kernel/printf.h"
#include "kernel/ksyms.h"
#include "kernel/exit.h"
#include "platform/platform.h"
#include "trace/trace.h"

static int panicking;

static void print_frame(uint64_t pc, void *arg)
{
	uint64_t off, size;
	const char *name = ksym_lookup(pc, &off, &size);

	(void)arg;
	if (name)
		kprintf("  [<%016lx>] %s+0x%lx/0x%lx\n", pc, name, off, size);
	else
		kprintf("  [<%016lx>] ?\n", pc);
}

void panic_prepare(void)
{
	trace_stop_on_panic();
}

static void vpanic_at(uint64_t pc, uint64_t rbp, uint64_t rsp, const char *fmt, va_list ap)
{
	char msg[256];

	plat_irq_disable();
	trace_stop_on_panic(); /* the panic's own printing must not push out what led here */
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
		plat_halt_forever();
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
