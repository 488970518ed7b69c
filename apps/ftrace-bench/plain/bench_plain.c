/* Compiled without -pg (see app.mk): the uninstrumented baseline. */
#include "apps/ftrace-bench/bench.h"
#include "platform/platform.h"

__attribute__((noipa)) int bench_plain(int x)
{
	return x * 3 + 1;
}

/* The same with one TSC read, as each hook of a function_graph call makes: the difference
 * is what the clock costs (a helper call under TCG). */
__attribute__((noipa)) int bench_plain_tsc(int x)
{
	return x * 3 + 1 + (int)plat_tsc();
}
