#include "tools/lib/schedsw.h"

#include <string.h>

static const char *find(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(e - p) >= n ? memmem(p, (size_t)(e - p), lit, n) : NULL;
}

static const char *skip_spaces(const char *p, const char *e)
{
	while (p < e && *p == ' ')
		p++;
	return p;
}

/* Digits at p (at most 18) into *v; returns the position after them, or NULL. */
static const char *number(const char *p, const char *e, int64_t *v)
{
	const char *s = p;

	*v = 0;
	while (p < e && *p >= '0' && *p <= '9' && p - s < 18)
		*v = *v * 10 + (*p++ - '0');
	return p > s && (p == e || *p < '0' || *p > '9') ? p : NULL;
}

/* "KEY=value" in [p, e): the value up to the next space. */
static bool field(const char *p, const char *e, const char *key, struct fgl_str *v)
{
	const char *k = find(p, e, key), *q;

	if (!k)
		return false;
	k += strlen(key);
	for (q = k; q < e && *q != ' '; q++)
		;
	v->p = k;
	v->n = (size_t)(q - k);
	return true;
}

/* "prev_comm=A prev_pid=1 ... ==> next_comm=B next_pid=2 ..." */
static bool linux_fields(const char *p, const char *e, struct fgl *l)
{
	const char *arrow = find(p, e, " ==> ");
	struct fgl_str pid, state;

	if (!arrow || !field(p, arrow, "prev_comm=", &l->prev_comm) ||
	    !field(p, arrow, "prev_pid=", &pid) || !number(pid.p, pid.p + pid.n, &l->prev_tid) ||
	    !field(arrow, e, "next_comm=", &l->next_comm) ||
	    !field(arrow, e, "next_pid=", &pid) || !number(pid.p, pid.p + pid.n, &l->next_tid))
		return false;
	l->prev_state = field(p, arrow, "prev_state=", &state) && state.n ? state.p[0] : 0;
	l->kind = FGL_CTX_SWITCH;
	return true;
}

bool schedsw_event(const char *p, const char *e, struct fgl *l)
{
	if ((size_t)(e - p) < 13 || memcmp(p, "sched_switch:", 13))
		return false;
	return linux_fields(p + 13, e, l);
}

bool schedsw_comment(const char *p, const char *e, struct fgl *l)
{
	return schedsw_event(skip_spaces(p + 2, e), e, l);
}

/* "comm:pid" ending at e (the comm may hold colons: the pid is after the last one). */
static bool task(const char *p, const char *e, struct fgl_str *comm, int64_t *tid)
{
	const char *c = e;

	while (c > p && c[-1] != ':')
		c--;
	if (c == p || number(c, e, tid) != e)
		return false;
	comm->p = p;
	comm->n = (size_t)(c - 1 - p);
	return true;
}

bool schedsw_tcmd(const char *p, const char *e, struct fgl *l)
{
	const char *arrow, *a, *ae, *b, *be;

	p = skip_spaces(p, e);
	if (find(p, e, "prev_comm="))	/* without the plugin: the kernel's own format */
		return linux_fields(p, e, l);
	arrow = find(p, e, " ==> ");
	if (!arrow)
		return false;
	a = p;
	ae = find(a, arrow, " [");	/* the priority follows the task */
	b = skip_spaces(arrow + 5, e);
	be = find(b, e, " [");
	if (!ae || !be || !task(a, ae, &l->prev_comm, &l->prev_tid) ||
	    !task(b, be, &l->next_comm, &l->next_tid))
		return false;
	/* "comm:pid [prio] S ==>": the state is the word before the arrow */
	const char *st = arrow;
	while (st > ae && st[-1] != ' ')
		st--;
	l->prev_state = st < arrow && st[-1] == ' ' && st[0] != '[' ? st[0] : 0;
	l->kind = FGL_CTX_SWITCH;
	return true;
}
