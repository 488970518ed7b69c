#include "tools/lib/overhead.h"

#include <string.h>

#define MAX_PS 1000000000000LL	/* 1 s */

/* One non-negative number of ns with up to three decimals, as ps; *s advances. */
static int parse_ns_ps(const char **s, int64_t *ps)
{
	const char *p = *s;
	int64_t v = 0;
	int frac = -1;	/* decimals read after the point, -1 before it */

	if (*p < '0' || *p > '9')
		return -1;
	for (; (*p >= '0' && *p <= '9') || (*p == '.' && frac < 0); p++) {
		if (*p == '.') {
			frac = 0;
			continue;
		}
		if (frac >= 3 || v > MAX_PS)
			return -1;
		v = v * 10 + (*p - '0');
		frac += frac >= 0;
	}
	if (p[-1] == '.')
		return -1;
	for (int i = frac < 0 ? 0 : frac; i < 3; i++)
		v *= 10;
	if (v >= MAX_PS)
		return -1;
	*ps = v;
	*s = p;
	return 0;
}

int overhead_parse(const char *s, struct overhead *o)
{
	struct overhead r;

	if (!s || parse_ns_ps(&s, &r.in_ps) || *s++ != ',' || parse_ns_ps(&s, &r.out_ps))
		return -1;
	r.leaf_in_ps = r.in_ps;
	r.leaf_out_ps = r.out_ps;
	if (*s && (*s++ != ',' || parse_ns_ps(&s, &r.leaf_in_ps) || *s++ != ',' ||
		   parse_ns_ps(&s, &r.leaf_out_ps) || *s))
		return -1;
	*o = r;
	return 0;
}

/* t - ps rounded to the nearest ns, clamped at 0; *clamped counts a clamp and *cut gets
 * what it left out. */
static int64_t less_ps(int64_t t_ns, int64_t ps, int *clamped, int64_t *cut)
{
	int64_t sub = (ps + 500) / 1000;

	*cut = 0;
	if (t_ns < sub) {
		++*clamped;
		*cut = sub - t_ns;
		return 0;
	}
	return t_ns - sub;
}

int overhead_apply(const struct overhead *o, bool leaf, const struct overhead_acc *acc,
		   int64_t *dur_ns, int64_t *self_ns, int64_t *self_cut_ns)
{
	int64_t in = leaf ? o->leaf_in_ps : o->in_ps, dur_cut;
	int clamped = 0;

	*self_cut_ns = 0;
	if (*dur_ns >= 0)
		*dur_ns = less_ps(*dur_ns, in + acc->below_ps, &clamped, &dur_cut);
	if (*self_ns >= 0)
		*self_ns = less_ps(*self_ns, in + acc->children_out_ps, &clamped, self_cut_ns);
	return clamped;
}

void overhead_below(const struct overhead *o, bool leaf, const struct overhead_acc *own,
		    struct overhead_acc *caller)
{
	int64_t in = leaf ? o->leaf_in_ps : o->in_ps, out = leaf ? o->leaf_out_ps : o->out_ps;

	/* sums of per-call constants below 1 s over the calls of one trace: far from 2^63 */
	caller->children_out_ps += out;
	caller->below_ps += in + out + own->below_ps;
}
