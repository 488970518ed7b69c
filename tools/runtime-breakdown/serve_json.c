#include "tools/runtime-breakdown/serve_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/output.h"
#include "tools/runtime-breakdown/threadname.h"
#include "tools/runtime-breakdown/waits.h"

#define MAX_ROWS 2000		/* functions sent to the page */
#define THREAD_PARTS 8		/* functions per thread bar; the rest is "other" */
#define WAIT_PATHS 50		/* blocking call paths sent to the page */

struct pass {
	struct rb_opts *o;
	struct select *sel;
	struct symtab *st;
	struct agg all, by_thread, by_cpu;
	struct cputime time;
	struct waits waits;	/* report passes only */
	int64_t t_min, t_max;
	uint64_t errors;
};

static void on_row(void *ctx, const struct rb_row *in)
{
	struct pass *p = ctx;
	struct rb_row row = *in, *r = &row;

	if (r->start_ns >= 0) {
		int64_t end = r->start_ns + (r->dur_ns > 0 ? r->dur_ns : 0);
		if (p->t_min < 0 || r->start_ns < p->t_min)
			p->t_min = r->start_ns;
		if (end > p->t_max)
			p->t_max = end;
	}
	if (p->sel && p->o->time == TIME_CPU && numlist_allows(&p->sel->tids, r->tid))
		waits_row(&p->waits, r);
	if ((p->sel && !select_row(p->sel, p->st, r)) || !cputime_row(&p->time, r))
		return;
	agg_add(&p->all, r);
	agg_add(&p->by_thread, r);
	if (!p->sel)
		agg_add(&p->by_cpu, r);
}

/* Loads every file once; returns -1 if one could not be read. */
static int run_pass(struct pass *p, struct rb_opts *o, struct select *sel, bool hist)
{
	struct load_cfg lc = { on_row, p, o->max_msgs, o->max_errors, true, NULL, false,
			       o->overhead };
	int ret = 0;

	memset(p, 0, sizeof(*p));
	p->o = o;
	p->sel = sel;
	p->st = symtab_new();
	p->t_min = p->t_max = -1;
	p->time.mode = o->time;
	p->time.idle_is_work = sel && sel->tids.n && numlist_allows(&sel->tids, 0);
	agg_init(&p->all, BY_FUNCTION, hist);
	agg_init(&p->by_thread, BY_THREAD, false);
	agg_init(&p->by_cpu, BY_CPU, false);
	waits_init(&p->waits);
	for (size_t i = 0; i < o->nfiles; i++) {
		struct load_stats ls;
		if (load_file(o->files[i], p->st, &lc, &ls))
			ret = -1;
		p->errors += ls.bad;
		waits_end_file(&p->waits);
	}
	agg_flush(&p->all);
	agg_flush(&p->by_thread);
	agg_flush(&p->by_cpu);
	agg_clamp(&p->all);
	agg_clamp(&p->by_thread);
	agg_clamp(&p->by_cpu);
	return ret;
}

static void pass_free(struct pass *p)
{
	agg_free(&p->all);
	agg_free(&p->by_thread);
	agg_free(&p->by_cpu);
	waits_free(&p->waits);
	symtab_free(p->st);
}

static void key(struct output *j, const char *k)
{
	output_json_str(j, k, strlen(k));
	output_char(j, ':');
}

static void name(struct output *j, const struct symtab *st, uint32_t id)
{
	output_json_str(j, symtab_name(st, id), symtab_len(st, id));
}

static void thread_name(struct output *j, int64_t tid)
{
	char buf[THREAD_LABEL_MAX];
	const char *s = thread_label(buf, tid);

	output_json_str(j, s, strlen(s));
}

/* The distinct groups (tids or CPUs) of a grouped aggregate, ascending. */
static void groups(struct output *j, const struct pass *p, const struct agg *a, bool label)
{
	struct stat_entry **v = agg_sorted(a, p->st, SORT_NAME);

	output_char(j, '[');
	for (size_t i = 0; i < a->n; i++) {
		if (i && v[i]->group == v[i - 1]->group)
			continue;
		if (i)
			output_char(j, ',');
		if (!label) {
			output_i64(j, v[i]->group);
			continue;
		}
		output_str(j, "{\"tid\":");
		output_i64(j, v[i]->group);
		output_str(j, ",\"label\":");
		thread_name(j, v[i]->group);
		output_char(j, '}');
	}
	output_char(j, ']');
	free(v);
}

char *json_meta(struct rb_opts *o, size_t *len)
{
	struct pass p;
	struct output *j;

	if (run_pass(&p, o, NULL, false)) {
		pass_free(&p);
		return NULL;
	}
	j = output_open_mem();
	output_str(j, "{\"files\":[");
	for (size_t i = 0; i < o->nfiles; i++) {
		if (i)
			output_char(j, ',');
		output_json_str(j, o->files[i], strlen(o->files[i]));
	}
	output_str(j, "],\"rows\":");
	output_i64(j, (int64_t)p.all.rows);
	output_str(j, ",\"errors\":");
	output_i64(j, (int64_t)p.errors);
	output_str(j, ",\"functions\":[");
	struct stat_entry **v = agg_sorted(&p.all, p.st, SORT_SELF);
	for (size_t i = 0; i < p.all.n; i++) {
		if (i)
			output_char(j, ',');
		name(j, p.st, v[i]->func);
	}
	free(v);
	output_str(j, "],\"threads\":");
	groups(j, &p, &p.by_thread, true);
	output_str(j, ",\"cpus\":");
	groups(j, &p, &p.by_cpu, false);
	output_str(j, ",\"has_time\":");
	output_str(j, p.t_min >= 0 ? "true" : "false");
	output_str(j, ",\"t_min_us\":");
	output_us(j, p.t_min >= 0 ? p.t_min : 0);
	output_str(j, ",\"t_max_us\":");
	output_us(j, p.t_max >= 0 ? p.t_max : 0);
	output_str(j, "}\n");
	pass_free(&p);
	return output_take(j, len);
}

static void us_field(struct output *j, const char *k, int64_t ns)
{
	output_char(j, ',');
	key(j, k);
	output_us(j, ns);
}

static void function_row(struct output *j, const struct pass *p, const struct stat_entry *e)
{
	output_str(j, "{\"name\":");
	name(j, p->st, e->func);
	output_str(j, ",\"calls\":");
	output_i64(j, (int64_t)e->calls);
	us_field(j, "total_us", e->total_ns);
	us_field(j, "self_us", e->self_ns);
	us_field(j, "mean_us", stat_mean(e));
	us_field(j, "min_us", e->h.min);
	us_field(j, "max_us", e->h.max);
	us_field(j, "p50_us", hist_percentile(&e->h, 50));
	us_field(j, "p95_us", hist_percentile(&e->h, 95));
	us_field(j, "p99_us", hist_percentile(&e->h, 99));
	output_char(j, '}');
}

/* Per-thread bars: the THREAD_PARTS functions with most self time overall, then "other". */
static void thread_bars(struct output *j, const struct pass *p, struct stat_entry **top)
{
	size_t nt = p->all.n < THREAD_PARTS ? p->all.n : THREAD_PARTS;
	struct stat_entry **v = agg_sorted(&p->by_thread, p->st, SORT_SELF);

	output_str(j, ",\"threads\":[");
	for (size_t i = 0; i < p->by_thread.n;) {
		int64_t tid = v[i]->group, other = 0, part[THREAD_PARTS] = { 0 };
		for (; i < p->by_thread.n && v[i]->group == tid; i++) {
			size_t k = 0;
			while (k < nt && top[k]->func != v[i]->func)
				k++;
			if (k < nt)
				part[k] += v[i]->self_ns;
			else
				other += v[i]->self_ns;
		}
		output_str(j, j->buf[j->len - 1] == '[' ? "{\"tid\":" : ",{\"tid\":");
		output_i64(j, tid);
		output_str(j, ",\"label\":");
		thread_name(j, tid);
		output_str(j, ",\"parts\":[");
		for (size_t k = 0; k < nt; k++) {
			output_str(j, k ? ",{\"name\":" : "{\"name\":");
			name(j, p->st, top[k]->func);
			us_field(j, "self_us", part[k]);
			output_char(j, '}');
		}
		output_char(j, ']');
		us_field(j, "other_us", other);
		output_char(j, '}');
	}
	output_char(j, ']');
	free(v);
}

/* "waits":{"threads":[{"label","waited_us"}],"paths":[{"label","waited_us","path"}],
 * "estimate"}, empty unless the report is in on-CPU time; estimate is "" unless the waits
 * were estimated (waits_estimate_text). */
static void waits_json(struct output *j, const struct pass *p)
{
	bool on = cputime_on_cpu(&p->time);
	size_t n = 0;
	struct wait_total *t = on ? waits_by_thread(&p->waits, &n) : NULL;
	struct wait_path *w = on ? waits_by_path(&p->waits) : NULL;
	char path[WAIT_PATH_MAX], est[WAIT_ESTIMATE_MAX];

	output_str(j, ",\"waits\":{\"threads\":[");
	for (size_t i = 0; i < n; i++) {
		output_str(j, i ? ",{\"label\":" : "{\"label\":");
		thread_name(j, t[i].tid);
		us_field(j, "waited_us", t[i].ns);
		output_char(j, '}');
	}
	output_str(j, "],\"paths\":[");
	for (size_t i = 0; on && i < p->waits.npaths && i < WAIT_PATHS; i++) {
		output_str(j, i ? ",{\"label\":" : "{\"label\":");
		thread_name(j, w[i].tid);
		us_field(j, "waited_us", w[i].ns);
		output_str(j, ",\"path\":");
		waits_path_text(&p->waits, p->st, w[i].node, path);
		output_json_str(j, path, strlen(path));
		output_char(j, '}');
	}
	output_str(j, "],\"estimate\":");
	waits_estimate_text(&p->waits, est);
	if (!on)
		est[0] = 0;
	output_json_str(j, est, strlen(est));
	output_char(j, '}');
	free(t);
	free(w);
}

char *json_report(struct rb_opts *o, struct select *sel, enum agg_sort sort, size_t *len)
{
	struct pass p;
	struct output *j = output_open_mem();
	int failed = run_pass(&p, o, sel, true);
	struct stat_entry **v = agg_sorted(&p.all, p.st, sort);
	struct stat_entry **by_self = agg_sorted(&p.all, p.st, SORT_SELF);

	output_str(j, "{\"rows\":");
	output_i64(j, (int64_t)p.all.rows);
	us_field(j, "self_sum_us", p.all.self_sum_ns);
	output_str(j, ",\"failed\":");
	output_str(j, failed ? "true" : "false");
	char line[CPUTIME_LINE_MAX];
	output_str(j, ",\"time\":");
	cputime_describe(line, sizeof(line), &p.time);
	output_json_str(j, line, strlen(line));
	output_str(j, ",\"truncated\":");
	output_str(j, p.all.n > MAX_ROWS ? "true" : "false");
	output_str(j, ",\"functions\":[");
	for (size_t i = 0; i < p.all.n && i < MAX_ROWS; i++) {
		if (i)
			output_char(j, ',');
		function_row(j, &p, v[i]);
	}
	output_char(j, ']');
	thread_bars(j, &p, by_self);
	waits_json(j, &p);
	output_str(j, "}\n");
	free(v);
	free(by_self);
	pass_free(&p);
	return output_take(j, len);
}
