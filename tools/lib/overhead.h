/* Hook-overhead compensation of function_graph times (docs/tools.md, "Overhead
 * compensation"). The model: every traced call adds a constant `in` inside its own
 * [entry, return] timestamps (the hooks' work after the entry stamp and before the return
 * stamp) and a constant `out` outside them (before the entry stamp and after the return
 * stamp), which the trace charges to the caller's self time. So a call gets
 *     self  - in - (the out of each direct child)
 *     total - in - (the in + out of each traced call below it)
 * which, over a tree, is the time the calls' own code took if the model holds. Leaves (a
 * call printed as `f();`: the return hook merged it with its entry) take another hook path
 * than calls with children, so they may have constants of their own.
 * A compensated time below 0 is clamped to 0 and counted: the constants are then too
 * large for that call (a cheaper hook path, or a wrong calibration). */
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
 * at 0 (0, 1 or 2). */
int overhead_apply(const struct overhead *o, bool leaf, const struct overhead_acc *acc,
		   int64_t *dur_ns, int64_t *self_ns);

/* Adds a call that returned (leaf or not, with its own acc) to its caller's acc. */
void overhead_below(const struct overhead *o, bool leaf, const struct overhead_acc *own,
		    struct overhead_acc *caller);

#endif
