/* Compiled without -pg (see app.mk): the uninstrumented baseline. */
#include "apps/ftrace-bench/bench.h"

__attribute__((noipa)) int bench_plain(int x)
{
	return x * 3 + 1;
}
