/* The kernel proper starts here once the platform has set up the boot CPU. */
#include <string.h>
#include "kernel/api.h"
#include "kernel/cmdline.h"
#include "kernel/exit.h"
#include "kernel/heap.h"
#include "kernel/init.h"
#include "kernel/page.h"
#include "kernel/printf.h"
#include "kernel/sched.h"
#include "platform/platform.h"
#include "trace/trace.h"

static int exit_requested;
static uint64_t ram_bytes;

int kernel_exit_requested(void)
{
	return exit_requested;
}

static void add_ram(uint64_t base, uint64_t len, void *arg)
{
	(void)arg;
	page_add_range(base, len);
	ram_bytes += len;
}

static void app_thread(void *arg)
{
	(void)arg;
	int rc = app_main();
	kprintf("glass: app %s returned %d\n", CONFIG_APP_NAME, rc);
	if (cmdline_has("trace_dump=1"))
		trace_console_dump();
	if (exit_requested)
		plat_exit(rc == 0 ? GLASS_EXIT_OK : GLASS_EXIT_FAIL);
	thread_exit_status(rc); /* the status of its sched_process_exit event */
}

void kernel_main(void)
{
	exit_requested = cmdline_has("exit=1");
	kprintf("glass: booting app '%s', command line '%s'\n", CONFIG_APP_NAME, plat_cmdline());
	plat_memory_ranges(add_ram, NULL);
	kprintf("glass: %lu MiB of RAM for the page allocator\n", ram_bytes >> 20);
	kprintf("glass: TSC %lu.%03lu MHz\n", plat_tsc_hz() / 1000000,
		plat_tsc_hz() / 1000 % 1000);
	trace_init(plat_cpu_count_expected());
	trace_apply_boot_params();
	plat_smp_start();
	kprintf("glass: %u CPUs online\n", plat_cpu_count());
	kernel_late_init();
	if (!thread_create("main", app_thread, NULL, 0))
		kprintf("glass: cannot create the app thread\n");
	sched_idle();
}

void kernel_ap_main(void)
{
	kprintf("glass: CPU %u online\n", plat_cpu_id());
	sched_idle();
}
