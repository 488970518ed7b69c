/* Hook-overhead compensation of function_graph times (docs/overhead.md). The model:
 * every traced call adds a constant `in` inside its own [entry, return] timestamps (the
 * hooks' work after the entry stamp and before the return stamp) and a constant `out`
 * outside them (before the entry stamp and after the return stamp), which the trace
 * charges to the caller's self time. So a call gets
 *     self  - in - (the out of each direct child)
 *     total - in - (the in + out of each traced call below it)
 * which, over a tree, is the time the calls' own code took if the model holds. Leaves (a
 * call printed as `f();`: the return hook merged it with its entry) take another hook path
 * than calls with children, so they may have constants of their own.
 * A compensated time below 0 is clamped to 0 and counted. The constants are averages (the
 * hooks sometimes start a ring block, and zero it, inside a call's timestamps), so a call
 * that took the cheap path goes below 0 while another holds the block's cost: sums of self
 * times over many calls (folded, pprof, runtime-breakdown) therefore take the amount cut
 * (tp_row.self_cut_ns) off again and only clamp the sum. */
#ifndef TOOLS_LIB_OVERHEAD_H
#define TOOLS_LIB_OVERHEAD_H

#include <stdbool.h>
#include <stdint.h>

struct overhead {
	int64_t in_ps, out_ps;		/* per traced call with children, in picoseconds */
	int64_t leaf_in_ps, leaf_out_ps;	/* per leaf call */
};

/* What a call adds to its caller's counts (overhead_below). */
struct overhead_acc {
	int64_t children_out_ps;	/* the out of each direct child */
	int64_t below_ps;		/* the in + out of every traced call below */
};

/* Parses "IN,OUT" or "IN,OUT,LEAF_IN,LEAF_OUT": non-negative numbers of nanoseconds with
 * at most three decimals ("152,96.5"), each below 1 s; with two, leaves take the same.
 * Returns 0, or -1 if malformed. */
int overhead_parse(const char *s, struct overhead *o);

/* Compensates a call's total and self time (ns; -1 when unknown: left so) given what its
 * children added up to (acc, zero for a leaf). Returns how many of the two were clamped
 * at 0 (0, 1 or 2); *self_cut_ns is what clamping self at 0 left out (0 if nothing). */
int overhead_apply(const struct overhead *o, bool leaf, const struct overhead_acc *acc,
		   int64_t *dur_ns, int64_t *self_ns, int64_t *self_cut_ns);

/* Adds a call that returned (leaf or not, with its own acc) to its caller's acc. */
void overhead_below(const struct overhead *o, bool leaf, const struct overhead_acc *own,
		    struct overhead_acc *caller);

#endif
