#include "apps/ftrace-bench/bench.h"

__attribute__((noipa)) int bench_traced(int x)
{
	return x * 3 + 1;
}
