/* The trace printer: Linux's function_graph and function text from per-CPU records.
 * The rules (which line, which column, which width) follow the Linux functions named in
 * the comments; ../shared/spec/ftrace-format.md gives them byte by byte.
 *
 * Speed matters: the whole buffer is served over HTTP, so lines are built with the small
 * hand-written helpers below, never a generic printf, and symbol names are cached. */
#include <string.h>
#include "trace/output.h"
#include "trace/env.h"

unsigned out_options = OUT_OPT_DEFAULT;

#define NSEC_PER_SEC 1000000000ull
/* Under QEMU TCG every call's return costs a jump-cache lookup, so the per-line helpers
 * are inlined into the few functions that build a line. */
#define hot static inline __attribute__((always_inline))
#define GRAPH_INDENT 2
#define PROC_WIDTH 14 /* TRACE_GRAPH_PROCINFO_LENGTH */

static const char dashes[] = " ------------------------------------------\n";

/* ---- number and text helpers ---- */

/* Short copies without a memcpy call: the kernel's memcpy is `rep movsb`, which costs a
 * trip through the emulator per byte under QEMU TCG. 8-byte moves, the last one
 * overlapping, never touch a byte outside [p, p + n). */
hot void move8(char *d, const char *s)
{
	uint64_t w;

	__builtin_memcpy(&w, s, 8);
	__builtin_memcpy(d, &w, 8);
}

/* The same with 4 and 2 bytes, for copies shorter than 8 bytes. */
hot void move4(char *d, const char *s)
{
	uint32_t w;

	__builtin_memcpy(&w, s, 4);
	__builtin_memcpy(d, &w, 4);
}

hot void move2(char *d, const char *s)
{
	uint16_t w;

	__builtin_memcpy(&w, s, 2);
	__builtin_memcpy(d, &w, 2);
}

hot char *put_mem(char *p, const char *s, size_t n)
{
	size_t i;

	if (__builtin_constant_p(n) && n <= 16) {
		__builtin_memcpy(p, s, n); /* a few plain moves */
		return p + n;
	}
	if (n < 8) {
		/* Two overlapping moves instead of a loop per byte (short names, numbers). */
		if (n >= 4) {
			move4(p, s);
			move4(p + n - 4, s + n - 4);
		} else if (n >= 2) {
			move2(p, s);
			move2(p + n - 2, s + n - 2);
		} else if (n) {
			p[0] = s[0];
		}
		return p + n;
	}
	for (i = 0; i + 8 < n; i += 8)
		move8(p + i, s + i);
	move8(p + n - 8, s + n - 8);
	return p + n;
}

/* n spaces. May write up to 7 spaces past p + n: every caller writes on from there, and
 * every buffer the printer writes into has OUT_EMIT_MAX bytes of room per event. */
hot char *put_spaces(char *p, int n)
{
	static const char spaces[8] = "        ";

	if (n <= 0)
		return p;
	for (int i = 0; i < n; i += 8)
		move8(p + i, spaces);
	return p + n;
}

char *out_put_str(char *p, const char *s)
{
	return put_mem(p, s, strlen(s));
}

/* "00" "01" ... "99": two digits per division. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Writes the decimal digits of v backwards ending at end; returns the first digit. */
hot char *digits_back(char *end, uint64_t v)
{
	while (v >= 10) {
		end -= 2;
		__builtin_memcpy(end, &digit_pairs[v % 100 * 2], 2);
		if (v < 100)
			return end;
		v /= 100;
	}
	*--end = (char)('0' + v);
	return end;
}

/* Decimal digits of v: a few compares for the small numbers of a trace line. */
hot int ndigits(uint64_t v)
{
	int n = 1;
	uint64_t t = 10;

	while (v >= t) {
		if (++n == 20) /* 10^20 does not fit */
			break;
		t *= 10;
	}
	return n;
}

/* Digits written in place, not through a buffer and a second copy. */
hot char *put_u64(char *p, uint64_t v)
{
	int n = ndigits(v);

	digits_back(p + n, v);
	return p + n;
}

char *out_put_u64(char *p, uint64_t v)
{
	return put_u64(p, v);
}

/* v right-aligned in width columns (printf "%*llu"). */
hot char *put_u64_right(char *p, uint64_t v, int width)
{
	int n = ndigits(v);

	p = put_spaces(p, width - n);
	digits_back(p + n, v);
	return p + n;
}

/* v left-aligned in width columns (printf "%-*llu"). */
static char *put_u64_left(char *p, uint64_t v, int width)
{
	int n = ndigits(v);

	digits_back(p + n, v);
	return put_spaces(p + n, width - n);
}

/* The low `width` digits of v with leading zeros (printf "%0*llu" for v < 10^width). */
hot char *put_u64_zero(char *p, uint64_t v, int width)
{
	int i = width;

	for (; i >= 2; i -= 2, v /= 100)
		__builtin_memcpy(p + i - 2, &digit_pairs[v % 100 * 2], 2);
	if (i)
		p[0] = (char)('0' + v % 10);
	return p + width;
}

/* ---- time ---- */

/* floor(x / hz) for x < 2^63 by multiplying with inv = floor((2^64 - 1) / hz): the
 * estimate is at most 2 low (a division is a slow helper call under TCG). */
hot uint64_t div_hz(const struct out_printer *p, uint64_t x)
{
	uint64_t q = (uint64_t)(((unsigned __int128)x * p->hz_inv) >> 64);
	uint64_t hz = p->cfg.clock_hz;

	while (x - q * hz >= hz)
		q++;
	return q;
}

/* TSC ticks to nanoseconds, truncated. */
hot uint64_t ticks_ns(const struct out_printer *p, uint64_t t)
{
	uint64_t hz = p->cfg.clock_hz;

	if (t < (1ull << 32) && hz <= NSEC_PER_SEC * 4) /* t * 1e9 < 2^62 */
		return div_hz(p, t * NSEC_PER_SEC);
	return t / hz * NSEC_PER_SEC + t % hz * NSEC_PER_SEC / hz;
}

/* Splits a TSC value into whole seconds and the remaining ticks. Timestamps arrive
 * nearly sorted, so the current second is cached to save a division per line. */
static uint64_t tsc_split(struct out_printer *p, uint64_t tsc, uint64_t *rem)
{
	uint64_t hz = p->cfg.clock_hz;

	if (tsc < p->sec_start || tsc >= p->sec_end) {
		p->sec = tsc / hz;
		p->sec_start = p->sec * hz;
		p->sec_end = p->sec_start + hz;
	}
	*rem = tsc - p->sec_start;
	return p->sec;
}

/* "%5lu.%06lu" of a timestamp; Linux's graph abstime truncates to microseconds, while
 * the function tracer rounds (ns2usecs() adds 500 ns). */
static char *put_timestamp(struct out_printer *p, char *s, uint64_t tsc, bool round)
{
	uint64_t hz = p->cfg.clock_hz, rem, usec;
	uint64_t sec = tsc_split(p, tsc, &rem);

	if (round) {
		usec = (2 * rem * 1000000 + hz) / (2 * hz);
		if (usec == 1000000) {
			sec++;
			usec = 0;
		}
	} else if (hz <= NSEC_PER_SEC * 4) { /* rem * 1e6 < 2^63 */
		usec = div_hz(p, rem * 1000000);
	} else {
		usec = rem * 1000000 / hz;
	}
	s = put_u64_right(s, sec, 5);
	*s++ = '.';
	return put_u64_zero(s, usec, 6);
}

/* ---- names ---- */

/* The function name at addr (Linux %ps: no offset), or 0x<hex> when unknown. */
hot char *put_sym(struct out_printer *p, char *s, uint32_t addr)
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

/* Linux's trace_find_cmdline(): pid 0 is always <idle>. */
static const char *comm_of(unsigned tid)
{
	return tid ? trace_env_comm(tid) : "<idle>";
}

/* print_graph_proc(): comm cut to 7 characters, "-tid", centred in 14 columns. */
static char *format_proc(char *s, unsigned tid)
{
	const char *comm = comm_of(tid);
	char tmp[24];
	char *e = put_mem(tmp, comm, strnlen(comm, 7));
	int len, spaces;

	*e++ = '-';
	e = out_put_u64(e, tid);
	len = (int)(e - tmp);
	spaces = len < PROC_WIDTH ? PROC_WIDTH - len : 0;
	s = put_spaces(s, spaces / 2);
	s = put_mem(s, tmp, (size_t)len);
	return put_spaces(s, spaces - spaces / 2);
}

hot char *put_proc(struct out_printer *p, char *s, unsigned cpu, unsigned tid)
{
	struct out_cpu_state *c = &p->cpu[cpu];

	if (c->proc_tid != (int)tid) {
		c->proc_len = (uint8_t)(format_proc(c->proc, tid) - c->proc);
		c->proc_tid = (int)tid;
	}
	return put_mem(s, c->proc, c->proc_len);
}

/* ---- function_graph columns ---- */

hot bool opt(const struct out_printer *p, unsigned o)
{
	return (p->cfg.opts & o) != 0;
}

/* opt() of options passed down as a value: out_read() passes the default options as a
 * constant, so their tests fold away in the common case. */
hot bool has(unsigned opts, unsigned o)
{
	return (opts & o) != 0;
}

/* print_graph_cpu(): " %*d) " sized for the highest CPU number (made by out_init). */
hot char *put_cpu(struct out_printer *p, char *s, unsigned cpu)
{
	move8(s, p->cpu_col[cpu]);
	return s + p->cpu_width + 3;
}

/* trace_find_mark(): the overhead mark of a duration in ns, the first limit it is
 * strictly greater than. */
hot char duration_mark(uint64_t ns)
{
	static const struct {
		uint64_t ns;
		char mark;
	} marks[] = {
		{ 1000000000, '$' }, { 100000000, '@' }, { 10000000, '*' },
		{ 1000000, '#' }, { 100000, '!' }, { 10000, '+' },
	};

	if (ns <= 10000) /* nearly every call: no table walk */
		return ' ';
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (ns > marks[i].ns)
			return marks[i].mark;
	return ' ';
}

/* print_graph_duration() with a time: mark, microseconds with up to 7 significant
 * digits (decimals truncated), " us ", padding to 8, "|  ". */
hot char *put_duration(unsigned o, char *s, uint64_t ns)
{
	char *num;
	int len;

	*s++ = has(o, OUT_OPT_OVERHEAD) ? duration_mark(ns) : ' ';
	*s++ = ' ';
	num = s;
	s = put_u64(s, ns / 1000);
	len = (int)(s - num);
	if (len < 7) {
		int n = 7 - len < 3 ? 7 - len : 3;

		/* all three digits, then keep n of them */
		*s++ = '.';
		put_u64_zero(s, ns % 1000, 3);
		s += n;
		len += n + 1;
	}
	s = put_mem(s, " us ", 4);
	s = put_spaces(s, 8 - len);
	return put_mem(s, "|  ", 3);
}

/* The duration column without a time (nested entries, comments). */
hot char *put_no_duration(unsigned o, char *s)
{
	if (has(o, OUT_OPT_DURATION) && has(o, OUT_OPT_CONTEXT))
		s = put_mem(s, "              |  ", 17);
	return s;
}

/* verif_pid(): a context-switch block when this CPU's tid changed since its last line.
 * Out of line: it is rare, and the check for it (put_switch) is inlined per event. */
static __attribute__((noinline)) char *put_switch_block(struct out_printer *p, char *s,
							unsigned cpu, unsigned tid)
{
	struct out_cpu_state *c = &p->cpu[cpu];
	int prev = c->last_tid;

	c->last_tid = (int)tid;
	if (prev < 0)
		return s;
	s = put_mem(s, dashes, sizeof(dashes) - 1);
	s = put_cpu(p, s, cpu);
	s = format_proc(s, (unsigned)prev);
	s = put_mem(s, " => ", 4);
	s = put_proc(p, s, cpu, tid);
	s = put_mem(s, "\n", 1);
	s = put_mem(s, dashes, sizeof(dashes) - 1);
	return put_mem(s, "\n", 1);
}

hot char *put_switch(struct out_printer *p, char *s, unsigned cpu, unsigned tid)
{
	if (p->cpu[cpu].last_tid == (int)tid)
		return s;
	return put_switch_block(p, s, cpu, tid);
}

/* The context part of print_graph_prologue(): abstime, CPU, proc. */
hot char *put_context(struct out_printer *p, unsigned o, char *s, unsigned cpu,
			const struct out_event *ev)
{
	if (!has(o, OUT_OPT_CONTEXT))
		return s;
	if (has(o, OUT_OPT_ABSTIME)) {
		s = put_timestamp(p, s, ev->ts, false);
		s = put_mem(s, " |  ", 4);
	}
	if (has(o, OUT_OPT_CPU))
		s = put_cpu(p, s, cpu);
	if (has(o, OUT_OPT_PROC)) {
		s = put_proc(p, s, cpu, rec_tid(&ev->rec));
		s = put_mem(s, " | ", 3);
	}
	return s;
}

/* print_graph_irq(): the `==========>` / `<==========` line around an irq entry. */
static char *put_irq_mark(struct out_printer *p, char *s, unsigned cpu,
			  const struct out_event *ev, bool enter)
{
	bool fill = opt(p, OUT_OPT_DURATION) && opt(p, OUT_OPT_CONTEXT);

	s = put_context(p, p->cfg.opts, s, cpu, ev);
	if (fill)
		s = put_mem(s, "  ", 2);
	s = put_mem(s, enter ? "==========>" : "<==========", 11);
	if (fill)
		s = put_mem(s, " |", 2);
	return put_mem(s, "\n", 1);
}

/* ---- function_graph events ---- */

/* check_irq_entry(): with funcgraph-irqs off, hides everything from an irq entry until
 * its return. */
hot bool irq_entry_hidden(struct out_printer *p, unsigned o, unsigned cpu,
			  const struct trace_rec *r)
{
	struct out_cpu_state *c = &p->cpu[cpu];

	if (has(o, OUT_OPT_IRQS))
		return false;
	if (c->depth_irq >= 0)
		return true;
	if (!(rec_flags(r) & REC_F_IRQ))
		return false;
	c->depth_irq = (int)rec_depth(r);
	return true;
}

/* check_irq_return(): the return that leaves hidden irq code is hidden too. */
hot bool irq_return_hidden(struct out_printer *p, unsigned o, unsigned cpu, int depth)
{
	struct out_cpu_state *c = &p->cpu[cpu];

	if (has(o, OUT_OPT_IRQS) || c->depth_irq < 0)
		return false;
	if (c->depth_irq >= depth)
		c->depth_irq = -1;
	return true;
}

/* Whether the printer shows nothing at all for ev (and it carries no loss): a context
 * switch record, which Linux's function_graph buffer does not even hold. */
hot bool graph_hidden(const struct out_event *ev)
{
	return !ev->lost && rec_type(&ev->rec) == REC_SWITCH;
}

/* The next event of this CPU, if it is the return of the entry just taken (a leaf); NULL
 * if not. Hidden events in between are consumed: Linux, which has none of them in its
 * buffer, sees the return right after the entry. The event is peeked into the other head
 * slot, so the entry (in the current one) stays valid, and so does the return until the
 * slot after it is peeked. */
hot const struct trace_rec *take_leaf_return(struct out_printer *p, unsigned cpu,
					     const struct trace_rec *e)
{
	struct out_cpu_state *c = &p->cpu[cpu];
	struct out_event *h = c->ev == c->head ? c->head + 1 : c->head;

	c->ev = h;
	if (!p->src.peek(p->src.ctx, cpu, h))
		return NULL;
	while (graph_hidden(h)) {
		p->src.consume(p->src.ctx, cpu);
		if (!p->src.peek(p->src.ctx, cpu, h))
			return NULL;
	}
	if (h->lost || rec_type(&h->rec) != REC_RETURN || rec_tid(&h->rec) != rec_tid(e) ||
	    rec_func(&h->rec) != rec_func(e)) {
		p->have |= 1u << cpu;
		return NULL;
	}
	p->src.consume(p->src.ctx, cpu);
	return &h->rec;
}

hot char *graph_leaf(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		     const struct out_event *ev, const struct trace_rec *ret)
{
	const struct trace_rec *e = &ev->rec;
	int depth = (int)rec_depth(e);

	p->cpu[cpu].depth = depth - 1;
	p->cpu[cpu].enter_funcs[depth] = 0;
	p->cpu[cpu].enter_irq[depth] = 0;
	if (has(o, OUT_OPT_DURATION) && has(o, OUT_OPT_CONTEXT))
		s = put_duration(o, s, ticks_ns(p, rec_duration(ret)));
	s = put_spaces(s, depth * GRAPH_INDENT);
	s = put_sym(p, s, rec_func(e));
	s = put_mem(s, "();\n", 4);
	if (rec_flags(e) & REC_F_IRQ)
		s = put_irq_mark(p, s, cpu, ev, false);
	return s;
}

hot char *graph_nested(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		       const struct trace_rec *e)
{
	int depth = (int)rec_depth(e);

	p->cpu[cpu].depth = depth;
	p->cpu[cpu].enter_funcs[depth] = rec_func(e);
	p->cpu[cpu].enter_irq[depth] = (rec_flags(e) & REC_F_IRQ) != 0;
	s = put_no_duration(o, s);
	s = put_spaces(s, depth * GRAPH_INDENT);
	s = put_sym(p, s, rec_func(e));
	return put_mem(s, "() {\n", 5);
}

/* print_graph_entry(): the entry has been consumed; its return may follow (leaf). */
hot char *graph_entry(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		      const struct out_event *ev)
{
	const struct trace_rec *e = &ev->rec, *ret;
	unsigned tid = rec_tid(e);

	if (irq_entry_hidden(p, o, cpu, e))
		return s;
	s = put_switch(p, s, cpu, tid);
	if ((rec_flags(e) & REC_F_IRQ) && has(o, OUT_OPT_IRQS))
		s = put_irq_mark(p, s, cpu, ev, true);
	s = put_context(p, o, s, cpu, ev);
	ret = take_leaf_return(p, cpu, e);
	if (ret)
		return graph_leaf(p, o, s, cpu, ev, ret);
	return graph_nested(p, o, s, cpu, e);
}

/* print_graph_return(): at the depth the return carries (its entry's), so a return whose
 * entry is not in the buffer (a read that began mid-call, an overwritten entry,
 * tracing_thresh) prints where it belongs, with the function's name after the brace. */
hot char *graph_return(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		       const struct out_event *ev)
{
	const struct trace_rec *r = &ev->rec;
	struct out_cpu_state *c = &p->cpu[cpu];
	int depth = (int)rec_depth(r);
	bool match, irq;

	if (irq_return_hidden(p, o, cpu, depth))
		return s;
	c->depth = depth - 1;
	match = c->enter_funcs[depth] == rec_func(r);
	irq = match && c->enter_irq[depth];
	c->enter_funcs[depth] = 0;
	c->enter_irq[depth] = 0;

	s = put_switch(p, s, cpu, rec_tid(r));
	s = put_context(p, o, s, cpu, ev);
	if (has(o, OUT_OPT_DURATION) && has(o, OUT_OPT_CONTEXT))
		s = put_duration(o, s, ticks_ns(p, rec_duration(r)));
	s = put_spaces(s, depth * GRAPH_INDENT);
	if (match && !has(o, OUT_OPT_TAIL)) {
		*s++ = '}';
	} else {
		s = put_mem(s, "} /* ", 5);
		s = put_sym(p, s, rec_func(r));
		s = put_mem(s, " */", 3);
	}
	*s++ = '\n';
	if (irq && has(o, OUT_OPT_IRQS))
		s = put_irq_mark(p, s, cpu, ev, false);
	return s;
}

/* Marker text without its trailing newline, cut to OUT_TEXT_MAX. */
static char *put_text(char *s, const struct out_event *ev)
{
	size_t n = ev->text_len < OUT_TEXT_MAX ? ev->text_len : OUT_TEXT_MAX;

	if (n && ev->text[n - 1] == '\n')
		n--;
	return put_mem(s, ev->text, n);
}

/* print_graph_comment(): a marker as a comment one level below the open call. */
static char *graph_comment(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	int depth = p->cpu[cpu].depth;

	s = put_switch(p, s, cpu, rec_tid(&ev->rec));
	s = put_context(p, p->cfg.opts, s, cpu, ev);
	s = put_no_duration(p->cfg.opts, s);
	if (depth > 0)
		s = put_spaces(s, (depth + 1) * GRAPH_INDENT);
	s = put_mem(s, "/* ", 3);
	s = put_text(s, ev);
	return put_mem(s, " */\n", 4);
}

/* ---- function tracer ---- */

/* trace_print_context(): "%16s-%-7d [%03d] " + irq-info flags + " %5lu.%06lu: ". Our
 * records carry no irq/preempt state, so the five irq-info flags are always `.....`. */
static char *fn_context(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	const struct trace_rec *r = &ev->rec;
	const char *comm = comm_of(rec_tid(r));
	size_t n = strnlen(comm, 15);

	if (!opt(p, OUT_OPT_CONTEXT))
		return s;
	s = put_spaces(s, 16 - (int)n);
	s = put_mem(s, comm, n);
	*s++ = '-';
	s = put_u64_left(s, rec_tid(r), 7);
	s = put_mem(s, " [", 2);
	s = put_u64_zero(s, cpu, cpu > 999 ? 4 : 3);
	s = put_mem(s, "] ", 2);
	if (opt(p, OUT_OPT_IRQ_INFO))
		s = put_mem(s, ".....", 5);
	*s++ = ' ';
	s = put_timestamp(p, s, ev->ts, true);
	return put_mem(s, ": ", 2);
}

/* trace_fn_trace(): "func <-parent". */
static char *fn_line(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	const struct trace_rec *r = &ev->rec;

	s = fn_context(p, s, cpu, ev);
	s = put_sym(p, s, rec_func(r));
	if (opt(p, OUT_OPT_PARENT) && rec_parent(r)) {
		s = put_mem(s, " <-", 3);
		s = put_sym(p, s, rec_parent(r));
	}
	return put_mem(s, "\n", 1);
}

/* trace_print_print(): a trace_marker write, from tracing_mark_write(). */
static char *fn_marker(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	s = fn_context(p, s, cpu, ev);
	s = out_put_str(s, "tracing_mark_write: ");
	s = put_text(s, ev);
	return put_mem(s, "\n", 1);
}

/* ---- headers ---- */

/* print_graph_headers(): the two column lines, a piece per enabled column. */
static const struct {
	unsigned opt;
	const char *name, *bar;
} graph_columns[] = {
	{ OUT_OPT_ABSTIME, "     TIME       ", "      |         " },
	{ OUT_OPT_CPU, " CPU", " |  " },
	{ OUT_OPT_PROC, "  TASK/PID       ", "   |    |        " },
	{ OUT_OPT_DURATION, "  DURATION   ", "   |   |      " },
};

static char *graph_header(struct out_printer *p, char *s)
{
	const size_t n = sizeof(graph_columns) / sizeof(graph_columns[0]);

	if (!opt(p, OUT_OPT_CONTEXT))
		return s;
	*s++ = '#';
	for (size_t i = 0; i < n; i++)
		if (opt(p, graph_columns[i].opt))
			s = out_put_str(s, graph_columns[i].name);
	s = out_put_str(s, "               FUNCTION CALLS\n#");
	for (size_t i = 0; i < n; i++)
		if (opt(p, graph_columns[i].opt))
			s = out_put_str(s, graph_columns[i].bar);
	return out_put_str(s, "               |   |   |   |\n");
}

/* print_event_info(): events in the buffer, and those plus the lost ones. */
static char *put_entries(struct out_printer *p, char *s)
{
	s = out_put_str(s, "# entries-in-buffer/entries-written: ");
	s = out_put_u64(s, p->cfg.entries);
	*s++ = '/';
	s = out_put_u64(s, p->cfg.written);
	s = out_put_str(s, "   #P:");
	s = out_put_u64(s, p->cfg.ncpus);
	return out_put_str(s, "\n#\n");
}

/* print_func_help_header{,_irq}() of a current kernel. */
static char *fn_header(struct out_printer *p, char *s)
{
	if (!opt(p, OUT_OPT_CONTEXT))
		return s;
	s = put_entries(p, s);
	if (!opt(p, OUT_OPT_IRQ_INFO))
		return out_put_str(s, "#           TASK-PID     CPU#     TIMESTAMP  FUNCTION\n"
				      "#              | |         |         |         |\n");
	return out_put_str(s, "#                                _-----=> irqs-off/BH-disabled\n"
			      "#                               / _----=> need-resched\n"
			      "#                              | / _---=> hardirq/softirq\n"
			      "#                              || / _--=> preempt-depth\n"
			      "#                              ||| / _-=> migrate-disable\n"
			      "#                              |||| /     delay\n"
			      "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
			      "#              | |         |   |||||     |         |\n");
}

static const char *const tracer_names[] = {
	[OUT_NOP] = "nop", [OUT_FUNCTION] = "function", [OUT_GRAPH] = "function_graph",
};

/* test_ftrace_alive()'s warning, plus why the tracer stopped itself. */
static char *put_stopped(struct out_printer *p, char *s)
{
	s = out_put_str(s, "# WARNING: FUNCTION TRACING IS CORRUPTED\n"
			   "#          MAY BE MISSING FUNCTION EVENTS\n#          ");
	s = put_mem(s, p->cfg.stopped, strnlen(p->cfg.stopped, OUT_SYM_MAX));
	return put_mem(s, "\n", 1);
}

/* Linux's function_graph header has no entries line; ours adds the function tracer's
 * when events were lost, so a loss is visible in the header as well as in the text. */
static char *put_header(struct out_printer *p, char *s)
{
	s = out_put_str(s, "# tracer: ");
	s = out_put_str(s, tracer_names[p->cfg.tracer]);
	s = out_put_str(s, "\n#\n");
	if (p->cfg.stopped)
		s = put_stopped(p, s);
	if (p->cfg.note)
		s = put_mem(s, p->cfg.note, strnlen(p->cfg.note, OUT_NOTE_MAX));
	if (p->cfg.tracer != OUT_GRAPH)
		return fn_header(p, s);
	if (p->cfg.written > p->cfg.entries && opt(p, OUT_OPT_CONTEXT))
		s = put_entries(p, s);
	return graph_header(p, s);
}

/* ---- the merge loop ---- */

/* print_trace_line(): events this CPU lost before the next one. */
static char *put_lost(char *s, unsigned cpu, uint64_t lost)
{
	s = out_put_str(s, "CPU:");
	s = out_put_u64(s, cpu);
	if (lost == OUT_LOST_UNKNOWN)
		return out_put_str(s, " [LOST EVENTS]\n");
	s = out_put_str(s, " [LOST ");
	s = out_put_u64(s, lost);
	return out_put_str(s, " EVENTS]\n");
}

/* trace_find_next_entry(): the CPU whose next event is oldest (lowest CPU on a tie). */
hot int oldest_cpu(struct out_printer *p)
{
	uint32_t m;
	uint64_t best_ts;
	int best;

	for (m = p->cfg.cpus & ~p->have; m; m &= m - 1) {
		unsigned cpu = (unsigned)__builtin_ctz(m);

		if (p->src.peek(p->src.ctx, cpu, p->cpu[cpu].ev))
			p->have |= 1u << cpu;
	}
	m = p->have;
	if (!m)
		return -1;
	best = __builtin_ctz(m);
	best_ts = p->cpu[best].ev->ts;
	for (m &= m - 1; m; m &= m - 1) {
		unsigned cpu = (unsigned)__builtin_ctz(m);

		if (p->cpu[cpu].ev->ts < best_ts) {
			best = (int)cpu;
			best_ts = p->cpu[cpu].ev->ts;
		}
	}
	return best;
}

hot char *graph_event(struct out_printer *p, unsigned o, char *s, unsigned cpu,
		      const struct out_event *ev)
{
	switch (rec_type(&ev->rec)) {
	case REC_ENTRY:
		return graph_entry(p, o, s, cpu, ev);
	case REC_RETURN:
		return graph_return(p, o, s, cpu, ev);
	case REC_FUNC: /* Linux prints function events in their own format */
		return fn_line(p, s, cpu, ev);
	default: /* REC_SWITCH: graph output shows switches from tid changes */
		return s;
	}
}

static char *fn_event(struct out_printer *p, char *s, unsigned cpu, const struct out_event *ev)
{
	switch (rec_type(&ev->rec)) {
	case REC_FUNC:
		return fn_line(p, s, cpu, ev);
	default: /* graph records cannot be in the buffer: changing tracer clears it */
		return s;
	}
}

/* Formats the next event into s; returns the end, or NULL if no CPU has an event. A
 * marker's text lives in the source until consumed, so it is formatted first; any other
 * event is consumed first, because an entry looks at the event after it (leaf). */
hot char *next_event(struct out_printer *p, unsigned o, char *s, int cpu)
{
	/* Used in place: consume() does not touch the slot, and the next peek of this CPU
	 * goes to the other slot (take_leaf_return) or comes after this event is done. */
	const struct out_event *ev = p->cpu[cpu].ev;
	enum rec_type type;

	type = rec_type(&ev->rec);
	if (ev->lost)
		s = put_lost(s, (unsigned)cpu, ev->lost);
	if (type == REC_TEXT && p->cfg.tracer == OUT_GRAPH)
		s = graph_comment(p, s, (unsigned)cpu, ev);
	else if (type == REC_TEXT)
		s = fn_marker(p, s, (unsigned)cpu, ev);
	p->have &= ~(1u << cpu);
	p->src.consume(p->src.ctx, (unsigned)cpu);
	if (type == REC_TEXT || type == REC_NONE)
		return s;
	if (p->cfg.tracer == OUT_GRAPH)
		return graph_event(p, o, s, (unsigned)cpu, ev);
	return fn_event(p, s, (unsigned)cpu, ev);
}

/* Formats events into the reader's buffer, or one at a time into the stage when the
 * room left might not hold the next one. One loop with the event formatting inlined:
 * under TCG a call per event costs. */
size_t out_read(struct out_printer *p, char *buf, size_t len)
{
	size_t n = 0;

	while (n < len) {
		size_t room = len - n;
		char *dst, *end;
		int cpu;

		if (p->stage_off < p->stage_len) {
			size_t k = p->stage_len - p->stage_off;

			k = k < room ? k : room;
			/* put_mem, not memcpy: the kernel's is `rep movsb`, slow under TCG */
			put_mem(buf + n, p->stage + p->stage_off, k);
			p->stage_off += k;
			n += k;
			continue;
		}
		if (!p->header_done) {
			p->header_done = true;
			if (!p->cfg.header)
				continue;
			dst = room >= OUT_EMIT_MAX ? buf + n : p->stage;
			end = put_header(p, dst);
		} else {
			cpu = oldest_cpu(p);
			if (cpu < 0)
				break;
			/* Straight into buf when the event surely fits: only the last line or
			 * so of each read goes through the stage. */
			if (room >= OUT_EMIT_MAX ||
			    (room >= OUT_LINE_MAX && rec_type(&p->cpu[cpu].ev->rec) != REC_TEXT))
				dst = buf + n;
			else
				dst = p->stage;
			/* Two copies of the event code: with the default options as a
			 * constant (their tests fold away) and with any options. */
			if (p->cfg.opts == OUT_OPT_DEFAULT)
				end = next_event(p, OUT_OPT_DEFAULT, dst, cpu);
			else
				end = next_event(p, p->cfg.opts, dst, cpu);
		}
		if (dst == p->stage) {
			p->stage_off = 0;
			p->stage_len = (size_t)(end - p->stage);
		} else {
			n = (size_t)(end - buf);
		}
	}
	return n;
}

void out_init(struct out_printer *p, const struct out_config *cfg, const struct out_source *src)
{
	unsigned top;

	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	p->src = *src;
	if (p->cfg.ncpus > OUT_MAX_CPUS)
		p->cfg.ncpus = OUT_MAX_CPUS;
	if (!p->cfg.clock_hz)
		p->cfg.clock_hz = 1;
	p->cfg.cpus &= p->cfg.ncpus >= 32 ? ~0u : (1u << p->cfg.ncpus) - 1;
	p->hz_inv = ~0ull / p->cfg.clock_hz;
	/* max_bytes_for_cpu: digits of nr_cpu_ids - 1 */
	top = p->cfg.ncpus ? p->cfg.ncpus - 1 : 0;
	p->cpu_width = 1;
	while (top >= 10) {
		top /= 10;
		p->cpu_width++;
	}
	for (unsigned cpu = 0; cpu < OUT_MAX_CPUS; cpu++) {
		char *e = p->cpu_col[cpu];

		*e++ = ' ';
		e = put_u64_right(e, cpu, (int)p->cpu_width);
		put_mem(e, ")       ", 8); /* ") " and padding for move8 */
	}
	for (unsigned i = 0; i < OUT_MAX_CPUS; i++) {
		p->cpu[i].last_tid = -1;
		p->cpu[i].depth_irq = -1;
		p->cpu[i].proc_tid = -1;
		p->cpu[i].ev = p->cpu[i].head;
	}
}
