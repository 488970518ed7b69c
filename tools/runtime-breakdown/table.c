#include "tools/runtime-breakdown/table.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/csv.h"
#include "tools/runtime-breakdown/threadname.h"

#define NAME_MAX_COLS 48

const char *fmt_us(char *buf, int64_t ns)
{
	const char *sign = ns < 0 ? "-" : "";
	uint64_t u = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	snprintf(buf, 32, "%s%" PRIu64 ".%03u", sign, u / 1000, (unsigned)(u % 1000));
	return buf;
}

static const char *group_label(enum agg_by by)
{
	return by == BY_THREAD ? "tid" : "cpu";
}

static int name_width(struct stat_entry **v, size_t n, const struct symtab *st)
{
	size_t w = 8;

	for (size_t i = 0; i < n; i++)
		if (symtab_len(st, v[i]->func) > w)
			w = symtab_len(st, v[i]->func);
	return (int)(w > NAME_MAX_COLS ? NAME_MAX_COLS : w);
}

static void section(FILE *f, const struct agg *a, int64_t group)
{
	char label[THREAD_LABEL_MAX];

	if (a->by == BY_THREAD)
		fprintf(f, "\nthread %s\n", thread_label(label, group));
	else
		fprintf(f, "\n%s %" PRId64 "\n", group_label(a->by), group);
}

static void header(FILE *f, int w)
{
	fprintf(f, "%-*s %10s %14s %14s %6s %12s %12s %12s %12s %12s %12s\n", w, "function",
		"calls", "total_us", "self_us", "self%", "mean_us", "min_us", "max_us", "p50_us",
		"p95_us", "p99_us");
}

static void row(FILE *f, const struct agg *a, const struct stat_entry *e,
		const struct symtab *st, int w)
{
	char b[8][32];
	double pct = a->self_sum_ns ? 100.0 * (double)e->self_ns / (double)a->self_sum_ns : 0;

	fprintf(f, "%-*.*s %10" PRIu64 " %14s %14s %6.1f %12s %12s %12s %12s %12s %12s\n", w, w,
		symtab_name(st, e->func), e->calls, fmt_us(b[0], e->total_ns),
		fmt_us(b[1], e->self_ns), pct, fmt_us(b[2], stat_mean(e)), fmt_us(b[3], e->h.min),
		fmt_us(b[4], e->h.max), fmt_us(b[5], hist_percentile(&e->h, 50)),
		fmt_us(b[6], hist_percentile(&e->h, 95)), fmt_us(b[7], hist_percentile(&e->h, 99)));
}

void table_print(FILE *f, const struct agg *a, const struct symtab *st, enum agg_sort sort,
		 size_t top)
{
	struct stat_entry **v = agg_sorted(a, st, sort);
	int w = name_width(v, a->n, st);
	size_t shown = 0;

	if (a->by == BY_FUNCTION)
		header(f, w);
	for (size_t i = 0; i < a->n; i++) {
		if (a->by != BY_FUNCTION && (i == 0 || v[i]->group != v[i - 1]->group)) {
			section(f, a, v[i]->group);
			header(f, w);
			shown = 0;
		}
		if (!top || shown++ < top)
			row(f, a, v[i], st, w);
	}
	free(v);
}

void table_csv(FILE *f, const struct agg *a, const struct symtab *st, enum agg_sort sort,
	       size_t top)
{
	struct stat_entry **v = agg_sorted(a, st, sort);
	size_t shown = 0;
	char b[8][32];

	fprintf(f, "function%s%s,calls,total_us,self_us,mean_us,min_us,max_us,p50_us,p95_us,"
		"p99_us\n", a->by == BY_FUNCTION ? "" : ",", a->by == BY_FUNCTION ? "" :
		group_label(a->by));
	for (size_t i = 0; i < a->n; i++) {
		if (i && v[i]->group != v[i - 1]->group)
			shown = 0;
		if (top && shown++ >= top)
			continue;
		const struct stat_entry *e = v[i];
		csv_fput(f, symtab_name(st, e->func));
		if (a->by != BY_FUNCTION)
			fprintf(f, ",%" PRId64, e->group);
		fprintf(f, ",%" PRIu64 ",%s,%s,%s,%s,%s,%s,%s,%s\n", e->calls,
			fmt_us(b[0], e->total_ns), fmt_us(b[1], e->self_ns),
			fmt_us(b[2], stat_mean(e)), fmt_us(b[3], e->h.min), fmt_us(b[4], e->h.max),
			fmt_us(b[5], hist_percentile(&e->h, 50)),
			fmt_us(b[6], hist_percentile(&e->h, 95)),
			fmt_us(b[7], hist_percentile(&e->h, 99)));
	}
	free(v);
}
