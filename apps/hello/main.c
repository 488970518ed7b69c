/* hello: the smallest app: greets with the CPU count and the TSC frequency. */
#include "kernel/api.h"

int app_main(void)
{
	uint64_t hz = tsc_hz();

	printf("Hello from glass on %u CPUs, TSC %lu.%03lu MHz\n", cpu_count(), hz / 1000000,
	       hz / 1000 % 1000);
	return 0;
}
