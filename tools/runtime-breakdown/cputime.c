#include "tools/runtime-breakdown/cputime.h"

#include <inttypes.h>

#include "tools/runtime-breakdown/table.h"

/* a - b, never below 0: timestamps have microsecond resolution and durations are
 * truncated, so the off-CPU part can exceed a short call's duration by a microsecond */
static int64_t minus(int64_t a, int64_t b)
{
	return a > b ? a - b : 0;
}

bool cputime_row(struct cputime *c, struct rb_row *r)
{
	c->rows++;
	if (c->mode == TIME_WALL || r->off_ns < 0)
		return true;
	c->rows_off++;
	if (r->start_ns < 0)
		c->rows_est++;
	if (r->dur_ns >= 0)
		r->dur_ns = minus(r->dur_ns, r->off_ns);
	if (r->self_ns >= 0 && r->off_self_ns >= 0)
		r->self_ns = minus(r->self_ns, r->off_self_ns);
	if (!is_idle_task(r->tid) || c->idle_is_work)
		return true;
	c->idle_calls++;
	c->idle_ns += r->self_ns > 0 ? r->self_ns : 0;
	return false;
}

bool cputime_on_cpu(const struct cputime *c)
{
	return c->mode == TIME_CPU && c->rows_off;
}

/* How the on-CPU time was found: measured, estimated, or both (several files). */
static const char *method(char *buf, size_t n, const struct cputime *c)
{
	if (!c->rows_est)
		return "";
	if (c->rows_est == c->rows_off)
		return " (estimated from the switches: the trace has no timestamps; "
		       "waiting = self time of calls that switched out)";
	snprintf(buf, n, " (estimated for %" PRIu64 " calls from traces without timestamps: "
		 "waiting = self time of calls that switched out)", c->rows_est);
	return buf;
}

const char *cputime_describe(char *buf, size_t n, const struct cputime *c)
{
	char b[32], m[160];

	if (cputime_on_cpu(c) && c->idle_is_work)
		snprintf(buf, n, "time: on the CPU%s, waiting listed apart (switch information "
			 "in %" PRIu64 " of %" PRIu64 " calls); the idle task counts as work "
			 "(--tid 0)", method(m, sizeof(m), c), c->rows_off, c->rows);
	else if (cputime_on_cpu(c))
		snprintf(buf, n, "time: on the CPU%s, waiting listed apart (switch information "
			 "in %" PRIu64 " of %" PRIu64 " calls); idle, not work: %s us in the "
			 "idle task's calls", method(m, sizeof(m), c), c->rows_off, c->rows,
			 fmt_us(b, c->idle_ns));
	else if (c->mode == TIME_WALL)
		snprintf(buf, n, "time: wall clock (--time wall): waiting counts as time in the "
			 "call");
	else
		snprintf(buf, n, "time: wall clock: the trace has no switch information (it "
			 "needs threads: context-switch lines or funcgraph-proc)");
	return buf;
}

void cputime_print(FILE *f, const struct cputime *c)
{
	char line[CPUTIME_LINE_MAX];

	fprintf(f, "%s\n", cputime_describe(line, sizeof(line), c));
}
