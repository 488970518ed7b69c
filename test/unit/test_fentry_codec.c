/* fentry.S builds its slots by hand (from trace/codec_format.h's constants); this checks
 * them against the codec. Known calls go through the real trampolines natively (as in
 * test_fgraph), through fentry.S's fast paths and then, for the same calls, through the C
 * hooks, which encode with trace/codec.h. Every slot in the buffer must be what the
 * codec's encoder makes of the record the codec's decoder reads back from it (the same
 * bits, times included), and the two paths must write the same records (times aside).
 * Covered: entry, leaf, return, the function tracer, and the long forms the fast paths
 * leave to C (a return too long for a W_RETURN, or at another depth). */
#include <stdlib.h>
#include "test/unit/check.h"
#include "test/unit/test_fgraph_funcs.h"
#include "test/unit/trace_host_env.h"
#include "trace/config.h"
#include "trace/core.h"
#include "trace/hook.h"
#include "trace/patch.h"
#include "trace/ring.h"
#include "trace/trace.h"

extern const uint64_t __start___mcount_loc[], __stop___mcount_loc[];
extern const uint64_t __start___return_loc[], __stop___return_loc[];

#define MAX_RECS 64

/* The records of one run, as the codec decodes them, with each one's slot type. */
struct run {
	unsigned n;
	unsigned type[MAX_RECS];
	struct trace_rec rec[MAX_RECS]; /* a leaf: its return (its entry is in entry[]) */
	struct trace_rec entry[MAX_RECS];
};

static uint64_t clock_now(void)
{
	return trace_env_clock();
}

static bool all_sites(uint64_t ip, void *arg)
{
	(void)ip;
	(void)arg;
	return true;
}

/* A clean tracer t with every site patched; `c_hooks` forces the C hooks. */
static void setup(enum trace_tracer t, bool c_hooks)
{
	ring_set_overwrite(false);
	ring_init(1, 1 << 20);
	trace_set_max_graph_depth(0);
	trace_set_thresh_us(0);
	trace_set_graph_funcs(NULL, 0);
	trace_set_pids(NULL, 0);
	trace_set_notrace_pids(NULL, 0);
	trace_set_tracer(t);
	trace_set_on(true);
	patch_set_return_hooks(t == TRACE_GRAPH);
	patch_apply(all_sites, NULL);
	if (c_hooks)
		trace_cfg.hook = TRACE_HOOK_C;
}

/* Checks that the one-slot record w (lap bit cleared) is the codec's encoding of what it
 * decodes to at state *st (the previous record's time, the last leaf's or return's depth);
 * adds it to the run. */
static void check_one_slot(struct run *run, uint64_t w, struct wire_state *st)
{
	struct wire_state before = *st;
	struct trace_rec rec, entry;
	uint64_t ts, ets, delta;
	unsigned events = wire_decode1(w, 0, st, &entry, &ets, ring.text_base);

	CHECK(events >= 1);
	delta = ets - before.ts;
	if (w_type(w) == W_LEAF) {
		wire_decode1(w, 1, st, &rec, &ts, ring.text_base);
		CHECK_EQ(wire_leaf(wire_encode(&entry, delta, ring.text_base, before.depth),
				   rec_duration(&rec)), w);
	} else {
		rec = entry;
		CHECK_EQ(wire_encode(&rec, delta, ring.text_base, before.depth), w);
	}
	run->entry[run->n] = entry;
	run->rec[run->n] = rec;
}

/* Walks CPU 0's slots from the start: every record must re-encode to itself. */
static void read_run(struct run *run)
{
	const struct ring_cpu *rc = &ring.cpu[0];
	struct wire_env env = { ring.text_base, clock_now };
	struct wire_state st = { 0, 0, 0 };
	uint32_t end = (uint32_t)rc->head, pos = 0;
	static char text[W_TEXT_MAX];

	run->n = 0;
	while (pos < end && run->n < MAX_RECS) {
		uint64_t w = rc->slots[pos] & ~W_LAP_BIT, second;
		struct wire_state before = st;
		struct trace_rec rec;
		uint64_t ts;
		struct wire_span sp = wire_decode(&rc->slots[pos], end - pos, 0, &env, &st, &rec,
						  &ts, text);

		run->type[run->n] = w_type(w);
		if (w_type(w) == W_SYNC) {
			CHECK_EQ(wire_sync(st.ts, st.tid, st.depth, &second), w);
			CHECK_EQ(second, rc->slots[pos + 1]);
		} else if (w_type(w) == W_LONG || w_type(w) == W_LONG_RET) {
			CHECK_EQ(wire_long(&rec, ts - before.ts, &second), w);
			CHECK_EQ(second, rc->slots[pos + 1]);
			run->entry[run->n] = run->rec[run->n] = rec;
		} else {
			CHECK(sp.slots == 1);
			st = before;
			check_one_slot(run, w, &st);
		}
		if (w_type(w) != W_SYNC)
			run->n++;
		pos += sp.slots;
	}
}

/* Whether two runs hold the same records in the same slot types, times aside. */
static bool same_records(const struct run *a, const struct run *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned i = 0; i < a->n; i++)
		if (a->type[i] != b->type[i] || a->rec[i].w1 != b->rec[i].w1 ||
		    a->entry[i].w1 != b->entry[i].w1 ||
		    rec_type(&a->rec[i]) != rec_type(&b->rec[i]) ||
		    rec_tid(&a->rec[i]) != rec_tid(&b->rec[i]))
			return false;
	return true;
}

/* One run of `calls`, from one call site: the function tracer records where they return. */
static __attribute__((noinline)) void record(enum trace_tracer t, bool c_hooks,
					      void (*calls)(void), struct run *run)
{
	setup(t, c_hooks);
	calls();
	read_run(run);
}

/* Runs `calls` through the fast paths, then through the C hooks, checking every slot of
 * both, and that they wrote the same records, with slots of (at least) the types in
 * `want`. Times decide some forms (a leaf needs a short entry delta and duration), and a
 * busy host may stretch one run: a few tries must give a pair that agrees. */
static void compare_paths(enum trace_tracer t, void (*calls)(void), uint32_t want)
{
	static struct run fast, slow;
	uint32_t types = 0;
	bool same = false;

	for (int try = 0; try < 10 && !same; try++) {
		record(t, false, calls, &fast);
		record(t, true, calls, &slow);
		same = same_records(&fast, &slow);
	}
	CHECK(same);
	for (unsigned i = 0; i < fast.n; i++)
		types |= 1u << fast.type[i];
	CHECK_EQ(types & want, want);
}

static void tree(void)
{
	fg_top(2);
}

static void long_return(void)
{
	/* Longer than a W_RETURN's 24-bit duration: its return is a W_LONG_RET. */
	fg_slow(1u << 25);
	/* As long as a leaf cannot be, and at the depth of the last return, not one above
	 * it: a W_ENTRY, then a W_LONG_RET. */
	fg_spin(1u << 16);
}

static void test_graph(void)
{
	TEST_CASE("fentry.S: entries, leaves and returns are the codec's encoding");
	compare_paths(TRACE_GRAPH, tree, 1u << W_ENTRY | 1u << W_LEAF | 1u << W_RETURN);
	TEST_END();
}

static void test_long(void)
{
	TEST_CASE("fentry.S: the returns it leaves to C take the codec's long form");
	compare_paths(TRACE_GRAPH, long_return, 1u << W_ENTRY | 1u << W_LONG_RET);
	TEST_END();
}

static void test_function(void)
{
	TEST_CASE("fentry.S: the function tracer's records are the codec's encoding");
	compare_paths(TRACE_FUNCTION, tree, 1u << W_FUNC);
	TEST_END();
}

int main(void)
{
	patch_set_sites(__start___mcount_loc, __stop___mcount_loc);
#if CONFIG_FGRAPH_RETHOOK
	patch_set_return_sites(__start___return_loc, __stop___return_loc);
#endif
	trace_host_set_ncpus(1);
	test_graph();
	test_long();
	test_function();
	setup(TRACE_NOP, false);
	return test_exit_status();
}
