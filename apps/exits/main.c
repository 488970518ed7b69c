/* exits: ends as the command line's `ends=` says, for the test of the exit statuses of
 * scripts/run-qemu.sh (docs/writing-apps.md): `ends=fail` returns 1, `ends=crash` resets
 * the machine with a triple fault, anything else returns 0. */
#include "kernel/api.h"
#include "kernel/cmdline.h"

/* An empty IDT: the breakpoint then faults, the fault's delivery faults (a double fault),
 * and that one's too: the CPU shuts down, which QEMU turns into a reset. */
static void triple_fault(void)
{
	static const struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} empty_idt = { 0, 0 };

	__asm__ volatile("cli; lidt %0; int3" : : "m"(empty_idt) : "memory");
}

int app_main(void)
{
	char how[16];

	if (!cmdline_get("ends", how, sizeof(how)))
		how[0] = 0;
	printf("exits: ending with '%s'\n", how);
	if (!strcmp(how, "fail"))
		return 1;
	if (!strcmp(how, "crash"))
		triple_fault();
	return 0;
}
