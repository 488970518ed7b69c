/* The tracer settings and their setters (contract in trace/config.h). */
#include <errno.h>
#include "trace/config.h"
#include "trace/env.h"

struct trace_config trace_cfg = {
	.hook = TRACE_HOOK_NOP,
	.active = TRACER_NOP,
	.tracer = TRACER_NOP,
	.pid_gen = 1, /* a zeroed trace_task (gen 0) evaluates the filters first */
	.sleep_time = true,
};

void trace_set_sleep_time(bool on)
{
	trace_cfg.sleep_time = on;
}

_Static_assert(__builtin_offsetof(struct trace_config, hook) == TRACE_CFG_HOOK_OFFSET,
	       "fentry.S reads trace_cfg.hook at this offset");
_Static_assert(__builtin_offsetof(struct trace_config, active) == TRACE_CFG_ACTIVE_OFFSET,
	       "fentry.S reads trace_cfg.active at this offset");
_Static_assert(__builtin_offsetof(struct trace_config, thresh_tsc) == TRACE_CFG_THRESH_OFFSET,
	       "fentry.S reads trace_cfg.thresh_tsc at this offset");
_Static_assert(__builtin_offsetof(struct trace_config, pid_gen) == TRACE_CFG_PID_GEN_OFFSET,
	       "fentry.S reads trace_cfg.pid_gen at this offset");


/* Whether tracer t needs its C hook: a filter the assembly fast paths do not apply. They
 * do apply pid filters (the kernel's httpd always excludes itself), through the task's
 * cached verdict. */
static bool trace_needs_c_hook(int t)
{
	const struct trace_func_list *g = &trace_cfg.graph_funcs, *n = &trace_cfg.graph_notrace;

	if (trace_cfg.far_sites)
		return true;
	return t == TRACER_GRAPH && (g->set[g->cur].n || n->set[n->cur].n ||
				     trace_cfg.max_graph_depth || trace_cfg.thresh_tsc);
}

/* The one place that derives what the hooks dispatch on. A hook racing with it may use
 * the old setting for one call (see the contract in config.h). */
static void trace_update_active(void)
{
	bool run = trace_cfg.on && !trace_cfg.stopped;
	int t = run ? trace_cfg.tracer : TRACER_NOP;

	trace_cfg.active = t;
	if (t == TRACER_NOP)
		trace_cfg.hook = TRACE_HOOK_NOP;
	else if (trace_needs_c_hook(t))
		trace_cfg.hook = TRACE_HOOK_C;
	else
		trace_cfg.hook = t == TRACER_GRAPH ? TRACE_HOOK_GRAPH : TRACE_HOOK_FUNCTION;
}

void trace_set_on(bool on)
{
	trace_cfg.on = on;
	trace_update_active();
}
void trace_set_far_sites(void)
{
	trace_cfg.far_sites = true;
	trace_update_active();
}

void trace_set_tracer(enum trace_tracer t)
{
	trace_cfg.tracer = t;
	trace_update_active();
}

void trace_set_max_graph_depth(unsigned depth)
{
	trace_cfg.max_graph_depth = depth;
	trace_update_active();
}

void trace_set_thresh_us(uint64_t us)
{
	trace_cfg.thresh_tsc = us * trace_env_clock_hz() / 1000000;
	trace_update_active();
}

uint64_t trace_thresh_us(void)
{
	uint64_t hz = trace_env_clock_hz();

	return hz ? (trace_cfg.thresh_tsc * 1000000 + hz / 2) / hz : 0;
}

static int trace_set_func_list(struct trace_func_list *l, const uint64_t *ips, unsigned n)
{
	unsigned next = l->cur ^ 1;

	if (n > TRACE_GRAPH_FUNCS_MAX)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++)
		l->set[next].ip[i] = (uint32_t)ips[i];
	l->set[next].n = n;
	/* Release: the filled copy is visible before hooks are told to use it. */
	__atomic_store_n(&l->cur, next, __ATOMIC_RELEASE);
	trace_update_active();
	return 0;
}

int trace_set_graph_funcs(const uint64_t *ips, unsigned n)
{
	return trace_set_func_list(&trace_cfg.graph_funcs, ips, n);
}

int trace_set_graph_notrace(const uint64_t *ips, unsigned n)
{
	return trace_set_func_list(&trace_cfg.graph_notrace, ips, n);
}

bool trace_func_listed(const struct trace_func_list *l, uint64_t ip)
{
	unsigned cur = __atomic_load_n(&l->cur, __ATOMIC_ACQUIRE);
	unsigned n = l->set[cur].n;

	for (unsigned i = 0; i < n && i < TRACE_GRAPH_FUNCS_MAX; i++)
		if (l->set[cur].ip[i] == (uint32_t)ip)
			return true;
	return false;
}

/* Tasks re-evaluate their cached verdict when they next see the new generation. */
static void trace_pid_gen_bump(void)
{
	/* Release: what changed is visible before tasks see the new generation. */
	__atomic_store_n(&trace_cfg.pid_gen, trace_cfg.pid_gen + 1, __ATOMIC_RELEASE);
}

static int trace_set_pid_set(struct trace_pid_set *s, const unsigned *tids, unsigned n)
{
	if (n > TRACE_PIDS_MAX)
		return -EINVAL;
	s->n = 0;
	for (unsigned i = 0; i < n; i++)
		s->tids[i] = tids[i];
	s->n = n;
	trace_pid_gen_bump();
	trace_update_active();
	return 0;
}

int trace_set_pids(const unsigned *tids, unsigned n)
{
	return trace_set_pid_set(&trace_cfg.pids, tids, n);
}

int trace_set_notrace_pids(const unsigned *tids, unsigned n)
{
	return trace_set_pid_set(&trace_cfg.notrace_pids, tids, n);
}

void trace_set_trace_server(bool on)
{
	trace_cfg.trace_server = on;
	trace_pid_gen_bump();
}

static bool trace_pid_in(const struct trace_pid_set *s, unsigned tid)
{
	for (unsigned i = 0; i < s->n && i < TRACE_PIDS_MAX; i++)
		if (s->tids[i] == tid)
			return true;
	return false;
}

bool trace_pid_allowed(unsigned tid)
{
	if (trace_pid_in(&trace_cfg.notrace_pids, tid))
		return false;
	return trace_cfg.pids.n == 0 || trace_pid_in(&trace_cfg.pids, tid);
}

void trace_stop(const char *why)
{
	const char *none = NULL;

	/* Rare (broken state only), so a locked compare-exchange is fine: the first reason
	 * wins even if two CPUs stop at once. */
	__atomic_compare_exchange_n(&trace_cfg.stopped, &none, why, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	trace_update_active();
}
