/* fault: a deliberate page fault, for the test that exceptions print a symbolized
 * backtrace naming the faulting function and its callers. */
#include "kernel/api.h"

/* Above the 4 GiB identity map: not present, so the write page-faults. */
#define UNMAPPED_ADDRESS 0x100000000000ull

__attribute__((noipa)) void fault_deliberately(volatile uint64_t *p)
{
	*p = 0xdead;
}

__attribute__((noipa)) void fault_caller(void)
{
	fault_deliberately((volatile uint64_t *)UNMAPPED_ADDRESS);
}

int app_main(void)
{
	printf("fault: writing to %#llx\n", UNMAPPED_ADDRESS);
	fault_caller();
	printf("fault: survived, which is wrong\n");
	return 1;
}
