/* libFuzzer target: arbitrary bytes through runtime-breakdown's CSV reader (header mapping,
 * field splitting, number parsing, also hits CSV) and the aggregation with histograms. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tools/runtime-breakdown/agg.h"

static void row(void *ctx, const struct rb_row *r)
{
	agg_add(ctx, r);
}

/* function tracer hits: the "function,...,timestamp_us" header makes a hits CSV */
static void hit(void *ctx, const struct rb_hit *h)
{
	if (!h->func || h->tid < -1)
		__builtin_trap();
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-csv-XXXXXX";
	int fd = mkstemp(path);
	struct symtab *st = symtab_new();
	struct agg a;
	struct load_stats ls;
	struct load_cfg cfg = { row, &a, 0, (unsigned long)-1, true, hit, false, NULL };

	if (fd < 0 || write(fd, "function,", 9) != 9 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	agg_init(&a, BY_THREAD, true);
	load_file(path, st, &cfg, &ls);
	agg_flush(&a);
	for (size_t i = 0; i < a.n; i++)
		if (hist_percentile(&a.e[i].h, 50) > hist_percentile(&a.e[i].h, 99))
			__builtin_trap();
	agg_free(&a);
	symtab_free(st);
	unlink(path);
	return 0;
}
