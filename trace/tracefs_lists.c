/* The tracefs files that hold lists: the function filters (set_ftrace_filter,
 * set_ftrace_notrace, set_graph_function, set_graph_notrace), the list of every
 * patchable function (available_filter_functions) and the pid lists (set_ftrace_pid,
 * set_ftrace_notrace_pid). Each file's table entry says in `arg` which list it is. */
#include <errno.h>
#include "trace/tracefs_file.h"
#include "trace/config.h"
#include "trace/env.h"
#include "trace/filter.h"
#include "trace/patch.h"
#include "kernel/printf.h"

bool tf_want_none(uint64_t ip, void *arg)
{
	(void)ip;
	(void)arg;
	return false;
}

/* Patches the call sites the current tracer and filters select. */
static int repatch(void)
{
	if (trace_cfg.tracer == TRACE_NOP)
		return patch_apply(tf_want_none, NULL);
	return patch_apply(filter_wanted, NULL);
}

/* ---- function filters ---- */

static struct filter_set scratch; /* a set being computed (under tf_lock) */

/* The set a list file shows or writes; NULL for available_filter_functions. */
static struct filter_set *filter_of(const struct tracefs_file *f)
{
	switch (f->ops->arg) {
	case TF_LIST_FILTER:
		return &filter_ftrace;
	case TF_LIST_NOTRACE:
		return &filter_notrace;
	case TF_LIST_GRAPH:
		return &filter_graph;
	case TF_LIST_GRAPH_NOTRACE:
		return &filter_graph_notrace;
	default:
		return NULL;
	}
}

/* set_graph_function, set_graph_notrace: hand the selected functions to the hooks. */
static int apply_graph(struct tracefs_file *f, const struct filter_set *set)
{
	uint64_t ips[TRACE_GRAPH_FUNCS_MAX];
	unsigned n = 0;

	for (size_t i = filter_next(set, 0); i != (size_t)-1; i = filter_next(set, i + 1)) {
		if (n == TRACE_GRAPH_FUNCS_MAX)
			return tf_fail(f, -EINVAL, f->ops->arg == TF_LIST_GRAPH_NOTRACE ?
				    "set_graph_notrace: at most 32 functions" :
				    "set_graph_function: at most 32 functions");
		ips[n++] = patch_site(i);
	}
	return f->ops->arg == TF_LIST_GRAPH_NOTRACE ? trace_set_graph_notrace(ips, n) :
					     trace_set_graph_funcs(ips, n);
}

int tf_filter_write(struct tracefs_file *f, const char *buf, size_t len)
{
	struct filter_set *set = filter_of(f);
	bool truncate = tf_truncating(f);
	const char *why = "";
	int err = filter_parse(set, &scratch, buf, len, truncate, &why);

	if (err)
		return tf_fail(f, err, why);
	if (f->ops->arg == TF_LIST_GRAPH || f->ops->arg == TF_LIST_GRAPH_NOTRACE) {
		err = apply_graph(f, &scratch);
		if (err)
			return err;
		*set = scratch;
		return 0;
	}
	*set = scratch;
	if (trace_cfg.tracer != TRACE_NOP && repatch())
		return tf_fail(f, -EINVAL, "patching call sites failed");
	return 0;
}

/* One line of a function list: the next site's name (all sites, or a set's). */
size_t tf_functions_show(struct tracefs_file *f, char *s, size_t cap)
{
	const struct filter_set *set = filter_of(f);
	size_t i = set ? filter_next(set, f->cursor) : f->cursor;
	uint64_t off;
	const char *name;

	if (set && !set->n && f->cursor == 0 && f->ops->arg != TF_LIST_NOTRACE &&
	    f->ops->arg != TF_LIST_GRAPH_NOTRACE) {
		f->cursor = (size_t)-1;
		return (size_t)ksnprintf(s, cap, "#### all functions enabled ####\n");
	}
	if (i == (size_t)-1 || i >= filter_sites())
		return 0;
	f->cursor = i + 1;
	name = trace_env_symbol(patch_site(i), &off);
	if (!name)
		return (size_t)ksnprintf(s, cap, "0x%llx\n", (unsigned long long)patch_site(i));
	return (size_t)ksnprintf(s, cap, "%.*s\n", FILTER_TOKEN_MAX, name);
}

/* ---- pid lists ---- */

static struct trace_pid_set *pids_of(const struct tracefs_file *f)
{
	return f->ops->arg == TF_PIDS_TRACE ? &trace_cfg.pids : &trace_cfg.notrace_pids;
}

/* Parses a list of thread ids into tids (after *n existing ones). */
static int parse_pids(struct tracefs_file *f, const char *buf, size_t len, unsigned *tids,
		      unsigned *n)
{
	size_t i = 0;

	while (i < len) {
		size_t start;
		uint64_t v;

		while (i < len && tf_is_space(buf[i]))
			i++;
		for (start = i; i < len && !tf_is_space(buf[i]); i++)
			;
		if (i == start)
			break;
		if (tf_parse_u64(buf + start, i - start, &v) || v > 0x7fffffff)
			return tf_fail(f, -EINVAL, "expected thread ids (decimal)");
		if (*n == TRACE_PIDS_MAX)
			return tf_fail(f, -EINVAL, "too many thread ids (at most 32)");
		tids[(*n)++] = (unsigned)v;
	}
	return 0;
}

int tf_pids_write(struct tracefs_file *f, const char *buf, size_t len)
{
	const struct trace_pid_set *cur = pids_of(f);
	unsigned tids[TRACE_PIDS_MAX], n = 0;
	int err;

	if (!tf_truncating(f))
		for (; n < cur->n && n < TRACE_PIDS_MAX; n++)
			tids[n] = cur->tids[n];
	err = parse_pids(f, buf, len, tids, &n);
	if (err)
		return err;
	if (f->ops->arg == TF_PIDS_TRACE)
		return trace_set_pids(tids, n);
	return trace_set_notrace_pids(tids, n);
}

size_t tf_pids_show(struct tracefs_file *f, char *s, size_t cap)
{
	const struct trace_pid_set *set = pids_of(f);
	size_t n = 0;

	if (!set->n)
		return (size_t)ksnprintf(s, cap, "no pid\n");
	for (unsigned i = 0; i < set->n && i < TRACE_PIDS_MAX; i++)
		n += (size_t)ksnprintf(s + n, cap - n, "%u\n", set->tids[i]);
	return n;
}
