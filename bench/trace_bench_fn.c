/* The function host-trace-bench calls, built twice: plain (BENCH_FN=bench_fn_plain) and
 * with the kernel's -pg flags (BENCH_FN=bench_fn_pg), which give it a patchable NOP. */
__attribute__((noipa)) int BENCH_FN(int x)
{
	return x + 1;
}
