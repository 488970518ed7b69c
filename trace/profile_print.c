/* Printing the profile events (trace/profile_print.h). A stack id is resolved through
 * the reader's stack table (trace_env_stack_frames(): the kernel's own table, or a
 * capture's raw header and `stack` events on the host); one the table lacks prints as
 * "stack=ID: [unknown]". */
#include <string.h>
#include "trace/env.h"
#include "trace/event_format.h"
#include "trace/out_internal.h"
#include "trace/profile_format.h"
#include "trace/profile_print.h"

/* A reader without stack ids (a printer test with names of its own): every id unknown.
 * The kernel (kernel/trace_env.c) and the capture reader (tools/lib/captext.c) define
 * these for real. */
__attribute__((weak)) const uint32_t *trace_env_stack_frames(uint32_t id, unsigned *n)
{
	(void)id;
	(void)n;
	return NULL;
}

__attribute__((weak)) void trace_env_stack_define(uint32_t id, const uint32_t *pcs, unsigned n)
{
	(void)id;
	(void)pcs;
	(void)n;
}

/* Stack lines stay below OUT_LINE_MAX: frames stop when a next name might not fit. */
#define STACK_TEXT_MAX 1536

static bool fixed(void *dst, size_t size, const char *pl, unsigned len)
{
	if (len < size)
		return false;
	memcpy(dst, pl, size);
	return true;
}

static char *put_field(char *s, const char *name, uint64_t v)
{
	s = out_put_str(s, name);
	return out_put_u64(s, v);
}

static char *put_hex(char *s, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 60;

	s = put_mem(s, "0x", 2);
	while (shift > 0 && !(v >> shift & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*s++ = hex[v >> shift & 0xf];
	return s;
}

static char *put_frames(struct out_printer *p, char *s, const uint32_t *pcs, unsigned n)
{
	char *start = s;

	for (unsigned i = 0; i < n; i++) {
		if (i)
			s = put_mem(s, " <- ", 4);
		if (s - start > STACK_TEXT_MAX - OUT_SYM_MAX - 8)
			return put_mem(s, "...", 3);
		s = put_sym(p, s, pcs[i]);
	}
	return s;
}

/* " stack=ID: f <- g <- ..." */
static char *put_stack(struct out_printer *p, char *s, uint32_t id)
{
	unsigned n = 0;
	const uint32_t *pcs = id ? trace_env_stack_frames(id, &n) : NULL;

	s = put_field(s, " stack=", id);
	s = put_mem(s, ": ", 2);
	if (!pcs || !n)
		return out_put_str(s, "[unknown]");
	return put_frames(p, s, pcs, n);
}

/* profile_sample: "hz=99 stack=12: fib <- fib <- compute_work" */
char *profile_print_sample(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	struct ev_profile_sample e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = put_field(s, "hz=", e.hz);
	if (e.flags)
		s = put_field(s, " flags=", e.flags);
	return put_stack(p, s, e.stack_id);
}

/* stack: "id=12 depth=3: fib <- fib <- compute_work"; a reader without the kernel's table
 * learns the id from it (trace_env_stack_define()). */
char *profile_print_stack(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	uint32_t id, pcs[EV_STACK_MAX_DEPTH];
	unsigned depth;

	if (len < EV_STACK_SIZE(1) || len > EV_STACK_SIZE(EV_STACK_MAX_DEPTH))
		return NULL;
	memcpy(&id, pl, 4);
	depth = (uint8_t)pl[4];
	if (!depth || EV_STACK_SIZE(depth) != len)
		return NULL;
	memcpy(pcs, pl + EV_STACK_SIZE(0), 4 * depth);
	trace_env_stack_define(id, pcs, depth);
	s = put_field(s, "id=", id);
	s = put_field(s, " depth=", depth);
	s = put_mem(s, ": ", 2);
	return put_frames(p, s, pcs, depth);
}

/* offcpu_stack: "ns=81234 state=S wait=waitq stack=7: schedule_locked <- ..." (Linux's
 * letter of the state, glass's name of it, as sched_switch prints them) */
char *profile_print_offcpu(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	struct ev_offcpu_stack e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = put_field(s, "ns=", e.away_ns);
	s = out_put_str(s, " state=");
	s = out_put_str(s, trace_task_state_letter(e.state));
	s = out_put_str(s, " wait=");
	s = out_put_str(s, trace_task_state_name(e.state));
	return put_stack(p, s, e.stack_id);
}

static const char *alloc_kind(uint8_t kind)
{
	return kind == EV_ALLOC_PAGE ? "page" : "heap";
}

/* alloc: "kind=heap bytes=64 ptr=0x... every=1 stack=9: kmalloc <- ..." */
char *profile_print_alloc(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	struct ev_alloc e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = out_put_str(s, "kind=");
	s = out_put_str(s, alloc_kind(e.kind));
	s = put_field(s, " bytes=", e.bytes);
	s = out_put_str(s, " ptr=");
	s = put_hex(s, e.ptr);
	s = put_field(s, " every=", e.every);
	return put_stack(p, s, e.stack_id);
}

/* free: "kind=heap bytes=64 ptr=0x..." */
char *profile_print_free(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	struct ev_free e;

	(void)p;
	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = out_put_str(s, "kind=");
	s = out_put_str(s, alloc_kind(e.kind));
	s = put_field(s, " bytes=", e.bytes);
	s = out_put_str(s, " ptr=");
	return put_hex(s, e.ptr);
}

static char *put_endpoint(char *s, const uint8_t a[4], uint16_t port)
{
	for (int i = 0; i < 4; i++) {
		s = out_put_u64(s, a[i]);
		*s++ = i < 3 ? '.' : ':';
	}
	return out_put_u64(s, port);
}

/* net_io: "conn=tcp:10.0.2.15:9090-10.0.2.2:51234 dir=tx bytes=1448 stack=3: ..." */
char *profile_print_net(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	struct ev_net_io e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = out_put_str(s, e.proto == 17 ? "conn=udp:" : "conn=tcp:");
	s = put_endpoint(s, e.laddr, e.lport);
	*s++ = '-';
	s = put_endpoint(s, e.raddr, e.rport);
	s = out_put_str(s, e.dir ? " dir=tx" : " dir=rx");
	s = put_field(s, " bytes=", e.bytes);
	return put_stack(p, s, e.stack_id);
}
