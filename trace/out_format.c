/* The printer's value formatting, out of line: the digit table, the helpers tracefs and
 * the panic dump use (trace/output.h), timestamps, task names, marker text. */
#include "trace/out_internal.h"

const char out_digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

char *out_put_str(char *p, const char *s)
{
	return put_mem(p, s, strlen(s));
}


char *out_put_u64(char *p, uint64_t v)
{
	return put_u64(p, v);
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

char *out_put_timestamp(struct out_printer *p, char *s, uint64_t tsc, bool round)
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


/* The guest names a tid after its latest thread (as Linux's saved cmdlines do); a host
 * reader with the whole thread table overrides this to name the thread alive at ts. */
__attribute__((weak)) const char *trace_env_comm_at(unsigned tid, uint64_t ts)
{
	(void)ts;
	return trace_env_comm(tid);
}

const char *out_comm(unsigned tid, uint64_t ts)
{
	return tid ? trace_env_comm_at(tid, ts) : "<idle>";
}


char *out_put_payload(struct out_printer *p, char *s, const struct out_event *ev)
{
	const struct trace_rec *r = &ev->rec;

	if (rec_type(r) == REC_EVENT)
		return out_put_event(p, s, rec_event_id(r), ev->text,
				     ev->text_len < rec_event_len(r) ? ev->text_len : rec_event_len(r));
	s = out_put_str(s, "tracing_mark_write: ");
	return out_put_text(s, ev);
}


char *out_put_text(char *s, const struct out_event *ev)
{
	size_t n = ev->text_len < OUT_TEXT_MAX ? ev->text_len : OUT_TEXT_MAX;

	if (n && ev->text[n - 1] == '\n')
		n--;
	return put_mem(s, ev->text, n);
}

