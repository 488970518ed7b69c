/* Per-task call stacks. Invariant: frame depths strictly increase from bottom to top, so
 * "the open call at depth d" is found by popping from the top. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tparse_internal.h"
#include "tools/lib/xalloc.h"

/* Threads (tid > 0) migrate between CPUs, so their stack is keyed by tid alone; the idle
 * task (tid 0) exists once per CPU, and so does the "unknown thread" stack (tid -1). */
static uint64_t task_key(int cpu, int64_t tid)
{
	if (tid > 0)
		return (uint64_t)tid;
	return (1ULL << 62) | ((uint64_t)(uint32_t)cpu << 8) | (uint64_t)(tid + 1);
}

struct task *tp_task(struct tparse *tp, int cpu, int64_t tid)
{
	uint64_t key = task_key(cpu, tid);
	struct task_cache *c = &tp->task_cache[cpu & (TASK_CACHE - 1)];

	/* CPUs interleave line by line, so remember the last task of each CPU */
	if (c->idx && c->key == key)
		return &tp->tasks[c->idx - 1];
	uint32_t idx = umap_get(&tp->task_map, key);
	if (!idx) {
		xgrow((void **)&tp->tasks, &tp->cap_tasks, tp->ntasks + 1, sizeof(*tp->tasks));
		tp->tasks[tp->ntasks] = (struct task){ .tid = tid, .cpu = cpu, .out_since_ns = -1,
							.last_cpu = -1 };
		idx = (uint32_t)++tp->ntasks;
		umap_put(&tp->task_map, key, idx);
	}
	c->key = key;
	c->idx = idx;
	return &tp->tasks[idx - 1];
}

static uint32_t cct_child(struct tparse *tp, uint32_t parent, uint32_t func)
{
	uint64_t key = (uint64_t)parent << 32 | func;
	uint32_t node;

	if (!tp->cfg.paths)
		return 0;
	node = umap_get(&tp->node_map, key);
	if (node)
		return node;
	if (!tp->nnodes)
		tp->nnodes = 1;
	xgrow((void **)&tp->nodes, &tp->cap_nodes, tp->nnodes + 1, sizeof(*tp->nodes));
	tp->nodes[tp->nnodes] = (struct cct_node){ parent, func };
	node = (uint32_t)tp->nnodes++;
	umap_put(&tp->node_map, key, node);
	return node;
}

static struct frame *top(struct task *t)
{
	return t->n ? &t->frames[t->n - 1] : NULL;
}

static void warn_unclosed(struct tparse *tp, const struct frame *f)
{
	if (!f->func)
		return;
	tp->stats.unclosed++;
	tp_warn(tp, "call to %s (depth %d) has no return", symtab_name(tp->st, f->func),
		f->depth);
}

/* Pops frames at depth >= min_depth: their returns are missing (lost events). A popped
 * call that switched out (offcpu_est.c) passes that on to its caller, whose self time
 * now holds the popped call's whole time. */
static void pop_from(struct tparse *tp, struct task *t, int min_depth)
{
	while (t->n && t->frames[t->n - 1].depth >= min_depth) {
		bool switched = t->frames[t->n - 1].switched;
		warn_unclosed(tp, &t->frames[t->n - 1]);
		t->n--;
		if (switched && t->n)
			t->frames[t->n - 1].switched = true;
	}
}

static void pop_silently(struct task *t)
{
	t->n = 0;
}

static struct frame *push(struct tparse *tp, struct task *t, uint32_t func, int depth,
			  int64_t start)
{
	xgrow((void **)&t->frames, &t->cap, t->n + 1, sizeof(*t->frames));
	struct frame *f = &t->frames[t->n++];
	*f = (struct frame){ .func = func, .depth = depth, .start_ns = start,
			     .vstart_ns = t->vclock, .off_base_ns = t->off_ns, .id = ++tp->last_id };
	return f;
}

static uint32_t node_below(const struct task *t)
{
	return t->n >= 2 ? t->frames[t->n - 2].node : 0;
}

/* The frame of the caller of a call at depth d, made a placeholder if not in the trace. */
static struct frame *parent_of(struct tparse *tp, struct task *t, int depth)
{
	struct frame *f = top(t);

	if (depth == 0)
		return NULL;
	if (f && f->depth == depth - 1)
		return f;
	f = push(tp, t, 0, depth - 1, -1);
	f->node = cct_child(tp, node_below(t), 0);
	return f;
}

/* Writes the row of a call that returned; f = its frame, NULL for a leaf line (whose
 * overhead compensation differs: the hooks merged its entry and return). */
static void emit(struct tparse *tp, struct task *t, const struct fgl *l, struct tp_row *r,
		 const struct frame *f)
{
	static const struct overhead_acc none;
	struct frame *p = parent_of(tp, t, l->depth);
	const struct overhead_acc *below = f ? &f->below : &none;

	r->cpu = l->cpu;
	r->depth = l->depth;
	r->tid = t->tid;
	r->parent = p ? p->func : 0;
	r->parent_id = p ? p->id : 0;
	if (t->tid == -1)	/* off-CPU time needs threads */
		r->off_ns = r->off_self_ns = -1;
	if (p && r->dur_ns > 0)
		p->child_ns += r->dur_ns;
	if (p && tp->cfg.overhead)
		overhead_below(tp->cfg.overhead, !f, below, &p->below);
	if (r->dur_ns > 0 && r->vstart_ns + r->dur_ns > t->vclock)
		t->vclock = r->vstart_ns + r->dur_ns;
	if (!r->func)
		return;
	/* after the caller's child_ns took the traced duration: its self time is compensated
	 * from the traced one by its own count of children */
	if (tp->cfg.overhead)
		tp->stats.clamped += (uint64_t)overhead_apply(tp->cfg.overhead, !f, below,
							      &r->dur_ns, &r->self_ns,
							      &r->self_cut_ns);
	tp->stats.calls++;
	if (tp->cfg.row)
		tp->cfg.row(tp->cfg.ctx, r);
}

static uint32_t intern(struct tparse *tp, const struct fgl_str *s)
{
	return symtab_intern(tp->st, s->p, s->n);
}

void tp_entry(struct tparse *tp, struct task *t, const struct fgl *l)
{
	tp_offcpu_charge(t, false);
	pop_from(tp, t, l->depth);
	uint32_t func = intern(tp, &l->func);
	parent_of(tp, t, l->depth);
	struct frame *f = push(tp, t, func, l->depth, l->abs_ns);
	f->node = cct_child(tp, node_below(t), func);
	tp_tl_begin(tp, t, l, func, f->start_ns, f->vstart_ns);
}

void tp_leaf(struct tparse *tp, struct task *t, const struct fgl *l)
{
	tp_offcpu_charge(t, false);
	pop_from(tp, t, l->depth);
	struct tp_row r = { .func = intern(tp, &l->func), .dur_ns = l->dur_ns,
			    .self_ns = l->dur_ns, .start_ns = l->abs_ns, .vstart_ns = t->vclock };
	struct frame *p = parent_of(tp, t, l->depth);
	r.id = ++tp->last_id;	/* after a caller made up by parent_of */
	r.node = cct_child(tp, p ? p->node : 0, r.func);
	tp_tl_begin(tp, t, l, r.func, r.start_ns, r.vstart_ns);
	tp_tl_end(tp, t, l, r.func, r.start_ns, r.vstart_ns, r.dur_ns);
	emit(tp, t, l, &r, NULL);
}

/* Makes sure the top frame is the call this return closes, and names it from the tail. */
static struct frame *frame_for_return(struct tparse *tp, struct task *t, const struct fgl *l)
{
	uint32_t tail = l->func.n ? intern(tp, &l->func) : 0;
	struct frame *f = top(t);

	if (f && f->depth == l->depth && tail && f->func && f->func != tail) {
		warn_unclosed(tp, f);
		t->n--;
		f = NULL;
	} else if (f && f->depth != l->depth) {
		f = NULL;
	}
	if (!f) {
		parent_of(tp, t, l->depth);
		f = push(tp, t, tail, l->depth, -1);
		f->node = cct_child(tp, node_below(t), tail);
		if (tail)
			tp->stats.tail_returns++;
	} else if (!f->func && tail) {
		/* the caller made up for a child's return is named now: its own path (folded,
		 * pprof) ends in its name; the children already written keep [unknown] */
		f->func = tail;
		f->node = cct_child(tp, node_below(t), tail);
		tp->stats.tail_returns++;
	}
	return f;
}

void tp_return(struct tparse *tp, struct task *t, const struct fgl *l)
{
	/* off-CPU time goes to the innermost open call, which may be one whose return was
	 * lost; with no open call, to the one this return closes */
	tp_offcpu_charge(t, true);
	pop_from(tp, t, l->depth + 1);
	frame_for_return(tp, t, l);
	tp_offcpu_charge(t, false);
	struct frame f = t->frames[--t->n];
	struct tp_row r = { .func = f.func, .dur_ns = l->dur_ns, .self_ns = -1,
			    .start_ns = f.start_ns, .vstart_ns = f.vstart_ns, .node = f.node,
			    .id = f.id };
	if (l->dur_ns >= 0) {
		r.self_ns = l->dur_ns > f.child_ns ? l->dur_ns - f.child_ns : 0;
		if (r.start_ns < 0 && l->abs_ns >= 0)
			r.start_ns = l->abs_ns - l->dur_ns;
	}
	tp_offcpu_row(tp, t, &f, l, &r);
	if (!f.func) {
		tp->stats.unnamed_returns++;
		tp_warn(tp, "return at depth %d has no entry and no function name", l->depth);
	}
	tp_tl_end(tp, t, l, f.func, f.start_ns, f.vstart_ns, l->dur_ns);
	emit(tp, t, l, &r, &f);
}

static int64_t *cpu_tid_slot(struct tparse *tp, int cpu)
{
	size_t old = tp->ncpu_tid;

	if ((size_t)cpu >= old) {
		xgrow((void **)&tp->cpu_tid, &tp->ncpu_tid, (size_t)cpu + 1, sizeof(*tp->cpu_tid));
		for (size_t i = old; i < tp->ncpu_tid; i++)
			tp->cpu_tid[i] = -1;
	}
	return &tp->cpu_tid[cpu];
}

void tp_switch(struct tparse *tp, int cpu, int64_t prev_tid, int64_t next_tid)
{
	int64_t *slot = cpu_tid_slot(tp, cpu);

	tp_offcpu_block(tp, cpu, prev_tid);
	if (*slot == -1 && prev_tid != -1) {
		/* the stack built so far on this CPU belonged to prev */
		struct task *anon = tp_task(tp, cpu, -1);
		struct frame *frames = anon->frames;
		size_t n = anon->n, cap = anon->cap;
		int64_t vclock = anon->vclock;
		struct task *owner = tp_task(tp, cpu, prev_tid);
		if (n && !owner->n) {
			anon = tp_task(tp, cpu, -1);
			anon->frames = owner->frames;
			anon->cap = owner->cap;
			anon->n = 0;
			owner->frames = frames;
			owner->cap = cap;
			owner->n = n;
			owner->vclock = vclock;
			tp_offcpu_adopt(tp, cpu, owner);
		}
	}
	*slot = next_tid;
}

int64_t tp_cpu_tid(struct tparse *tp, int cpu)
{
	return (size_t)cpu < tp->ncpu_tid ? tp->cpu_tid[cpu] : -1;
}

void tp_close_all(struct tparse *tp, bool report)
{
	for (size_t i = 0; i < tp->ntasks; i++) {
		if (report)
			pop_from(tp, &tp->tasks[i], 0);
		else
			pop_silently(&tp->tasks[i]);
	}
	for (size_t i = 0; i < tp->ntasks; i++)
		free(tp->tasks[i].frames);
	tp->ntasks = 0;
	memset(tp->task_cache, 0, sizeof(tp->task_cache));
	umap_free(&tp->task_map);
	umap_init(&tp->task_map);
	free(tp->cpu_tid);
	tp->cpu_tid = NULL;
	tp->ncpu_tid = 0;
	tp_offcpu_reset(tp);
}

void tp_tasks_free(struct tparse *tp)
{
	tp_close_all(tp, false);
	free(tp->tasks);
	tp->tasks = NULL;
	tp->cap_tasks = 0;
	umap_free(&tp->task_map);
}
