/* Private to the printer's files: what the merge of CPUs (trace/output.c), the headers
 * (trace/out_header.c), the function printer (trace/out_function.c) and the
 * function_graph printer (trace/out_graph.c) share. The rules of each (which line, which
 * column, which width) follow the Linux functions named in the comments;
 * ../shared/spec/ftrace-format.md gives them byte by byte. */
#ifndef TRACE_OUT_INTERNAL_H
#define TRACE_OUT_INTERNAL_H

#include <stdbool.h>
#include <string.h>
#include "trace/env.h"
#include "trace/event_format.h"
#include "trace/out_format.h"
#include "trace/output.h"

#define NSEC_PER_SEC 1000000000ull

OUT_HOT bool opt(const struct out_printer *p, unsigned o)
{
	return (p->cfg.opts & o) != 0;
}

/* opt() of options passed down as a value: the function_graph printer is compiled with
 * the default options as a constant, so their tests fold away in the common case. */
OUT_HOT bool has(unsigned opts, unsigned o)
{
	return (opts & o) != 0;
}

/* ---- time ---- */

/* floor(x / hz) for x < 2^63 by multiplying with inv = floor((2^64 - 1) / hz): the
 * estimate is at most 2 low (a division is a slow helper call under TCG). */
OUT_HOT uint64_t div_hz(const struct out_printer *p, uint64_t x)
{
	uint64_t q = (uint64_t)(((unsigned __int128)x * p->hz_inv) >> 64);
	uint64_t hz = p->cfg.clock_hz;

	while (x - q * hz >= hz)
		q++;
	return q;
}

/* TSC ticks to nanoseconds, truncated. */
OUT_HOT uint64_t ticks_ns(const struct out_printer *p, uint64_t t)
{
	uint64_t hz = p->cfg.clock_hz;

	if (t < (1ull << 32) && hz <= NSEC_PER_SEC * 4) /* t * 1e9 < 2^62 */
		return div_hz(p, t * NSEC_PER_SEC);
	return t / hz * NSEC_PER_SEC + t % hz * NSEC_PER_SEC / hz;
}


/* "%5lu.%06lu" of a timestamp; Linux's graph abstime truncates to microseconds, while
 * the function tracer rounds (ns2usecs() adds 500 ns). (trace/out_format.c) */
char *out_put_timestamp(struct out_printer *p, char *s, uint64_t tsc, bool round);

/* ---- names and text ---- */

/* The function name at addr (Linux %ps: no offset), or 0x<hex> when unknown. */
OUT_HOT char *put_sym(struct out_printer *p, char *s, uint32_t addr)
{
	struct out_sym_cache *c = &p->syms[(addr >> 4 ^ addr >> 13) % OUT_SYM_CACHE];

	if (c->addr != addr || !c->name) {
		uint64_t off;
		const char *name = trace_env_symbol(addr, &off);

		if (!name) {
			static const char hex[] = "0123456789abcdef";
			int shift = 28;

			s = put_mem(s, "0x", 2);
			while (shift > 0 && !(addr >> shift & 0xf))
				shift -= 4;
			for (; shift >= 0; shift -= 4)
				*s++ = hex[addr >> shift & 0xf];
			return s;
		}
		c->addr = addr;
		c->name = name;
		c->len = (uint16_t)strnlen(name, OUT_SYM_MAX);
	}
	return put_mem(s, c->name, c->len);
}


/* Linux's trace_find_cmdline(): pid 0 is always <idle>. (trace/out_format.c) */
const char *out_comm(unsigned tid, uint64_t ts); /* the name of tid's thread at ts */
/* Marker text without its trailing newline, cut to OUT_TEXT_MAX. (trace/out_format.c) */
char *out_put_text(char *s, const struct out_event *ev);
/* A trace event's "name: fields" (trace/out_event.c). */
char *out_put_event(struct out_printer *p, char *s, unsigned id, const char *payload,
		    unsigned len);
/* A switch record's "sched_switch: prev_comm=... ==> next_comm=..." (trace/out_event.c). */
char *out_put_switch(char *s, unsigned prev_tid, unsigned next_tid, unsigned state,
		     uint64_t ts); /* ts: the switch's time, for the threads' names */
/* A marker's "tracing_mark_write: text", or an event's "name: fields". */
char *out_put_payload(struct out_printer *p, char *s, const struct out_event *ev);

/* ---- the printers ---- */

/* The file's header (trace/out_header.c). */
char *out_put_header(struct out_printer *p, char *s);
/* print_trace_line(): `CPU:N [LOST M EVENTS]` (trace/output.c). */
char *out_put_lost(char *s, unsigned cpu, uint64_t lost);
/* trace_fn_trace(): "func <-parent" (trace/out_function.c). */
char *out_fn_line(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev);
/* out_read() of the function tracer (trace/out_function.c) and of function_graph
 * (trace/out_graph.c). */
size_t out_fn_read(struct out_printer *p, char *buf, size_t len);
size_t out_graph_read(struct out_printer *p, char *buf, size_t len);

#endif
