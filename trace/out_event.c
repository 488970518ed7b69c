/* Trace events as text: the table of events (group, name, printer) and the printing of
 * one REC_EVENT's "name: fields", as Linux prints a trace event after its context
 * columns (trace_event_printf of each event's TP_printk format). Shared by the kernel's
 * printer and the host tools; the enable state is the kernel's (trace/events.c). */
#include <string.h>
#include "trace/event_format.h"
#include "trace/out_internal.h"
#include "trace/profile_print.h"

/* At most this many bytes of a string field are printed: a line stays below
 * OUT_LINE_MAX whatever a payload holds. */
#define EV_PRINT_STR_MAX 1024

typedef char *ev_print_fn(struct out_printer *p, char *s, const char *pl, unsigned len);

/* The payload's fixed part, copied out (payloads sit at any alignment); false if the
 * payload is shorter. */
static bool fixed(void *dst, size_t size, const char *pl, unsigned len)
{
	if (len < size)
		return false;
	memcpy(dst, pl, size);
	return true;
}

/* The string that runs from pl + off to the end of the payload, without NUL bytes. */
static char *put_tail(char *s, const char *pl, unsigned len, size_t off)
{
	size_t n = len > off ? len - off : 0;

	if (n > EV_PRINT_STR_MAX)
		n = EV_PRINT_STR_MAX;
	for (size_t i = 0; i < n; i++)
		if (pl[off + i])
			*s++ = pl[off + i];
	return s;
}

static char *put_field(char *s, const char *name, uint64_t v)
{
	s = out_put_str(s, name);
	return out_put_u64(s, v);
}

static char *put_signed(char *s, int64_t v)
{
	if (v < 0) {
		*s++ = '-';
		return out_put_u64(s, -(uint64_t)v);
	}
	return out_put_u64(s, (uint64_t)v);
}

/* sched_wakeup: "comm=%s pid=%d prio=%d target_cpu=%03d" */
static char *print_sched_wakeup(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	(void)p;
	struct ev_sched_wakeup e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = out_put_str(s, "comm=");
	s = out_put_str(s, out_comm(e.pid, UINT64_MAX)); /* tid's newest thread */
	s = put_field(s, " pid=", e.pid);
	s = out_put_str(s, " prio=120 target_cpu=");
	return put_u64_zero(s, e.target_cpu, 3);
}

/* task_newtask: "pid=%d comm=%s" and glass's parent and entry function */
static char *print_thread_create(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	struct ev_thread_create e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = put_field(s, "pid=", e.pid);
	s = out_put_str(s, " comm=");
	s = put_tail(s, pl, len, sizeof(e));
	s = out_put_str(s, " entry=");
	return put_sym(p, s, e.entry);
}

/* task_rename: "pid=%d newcomm=%s" */
static char *print_thread_rename(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	(void)p;
	struct ev_thread_rename e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = put_field(s, "pid=", e.pid);
	s = out_put_str(s, " newcomm=");
	return put_tail(s, pl, len, sizeof(e));
}

/* sched_process_exit: "comm=%s pid=%d prio=%d" and glass's exit status */
static char *print_thread_exit(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	(void)p;
	struct ev_thread_exit e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = out_put_str(s, "comm=");
	s = out_put_str(s, out_comm(e.pid, UINT64_MAX)); /* tid's newest thread */
	s = put_field(s, " pid=", e.pid);
	s = out_put_str(s, " prio=120 status=");
	return put_signed(s, e.status);
}

/* irq_handler_entry: "irq=%d name=%s" */
static char *print_irq_entry(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	(void)p;
	struct ev_irq_entry e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = put_field(s, "irq=", e.vector);
	s = out_put_str(s, " name=");
	return put_tail(s, pl, len, sizeof(e));
}

/* irq_handler_exit: "irq=%d ret=%s" */
static char *print_irq_exit(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	(void)p;
	struct ev_irq_exit e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = put_field(s, "irq=", e.vector);
	return out_put_str(s, e.handled ? " ret=handled" : " ret=unhandled");
}

/* span_begin, span_end, instant: the name and arguments as given */
static char *print_text(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	(void)p;
	return put_tail(s, pl, len, 0);
}

/* counter: "name=value" */
static char *print_counter(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	(void)p;
	struct ev_counter e;

	if (!fixed(&e, sizeof(e), pl, len))
		return NULL;
	s = put_tail(s, pl, len, sizeof(e));
	*s++ = '=';
	return put_signed(s, e.value);
}

/* Events whose printer is still to come: their payload's size. */
static char *print_size(struct out_printer *p, char *s, const char *pl, unsigned len)
{
	(void)p;
	(void)pl;
	return put_field(s, "len=", len);
}

static const struct trace_event_info {
	const char *group, *name;
	ev_print_fn *print;
} table[EV_MAX] = {
	[EV_SCHED_WAKEUP] = { "sched", "sched_wakeup", print_sched_wakeup },
	[EV_THREAD_CREATE] = { "task", "task_newtask", print_thread_create },
	[EV_THREAD_RENAME] = { "task", "task_rename", print_thread_rename },
	[EV_THREAD_EXIT] = { "sched", "sched_process_exit", print_thread_exit },
	[EV_IRQ_ENTRY] = { "irq", "irq_handler_entry", print_irq_entry },
	[EV_IRQ_EXIT] = { "irq", "irq_handler_exit", print_irq_exit },
	[EV_SPAN_BEGIN] = { "app", "span_begin", print_text },
	[EV_SPAN_END] = { "app", "span_end", print_text },
	[EV_INSTANT] = { "app", "instant", print_text },
	[EV_COUNTER] = { "app", "counter", print_counter },
	[EV_SCHED_SWITCH] = { "sched", "sched_switch", print_size }, /* out_put_switch() */
	[EV_PROFILE_SAMPLE] = { "profile", "profile_sample", profile_print_sample },
	[EV_STACK] = { "profile", "stack", profile_print_stack },
	[EV_OFFCPU_STACK] = { "profile", "offcpu_stack", profile_print_offcpu },
	[EV_ALLOC] = { "kmem", "alloc", profile_print_alloc },
	[EV_FREE] = { "kmem", "free", profile_print_free },
	[EV_NET_IO] = { "net", "net_io", profile_print_net },
};

static const struct {
	const char *letter, *name;
} task_states[] = {
	[TS_RUNNING] = { "R", "yield" },    [TS_PREEMPTED] = { "R+", "preempt" },
	[TS_SLEEP] = { "S", "sleep" },      [TS_WAITQ] = { "S", "waitq" },
	[TS_MUTEX] = { "D", "mutex" },      [TS_NET] = { "S", "net" },
	[TS_DEAD] = { "X", "exit" },
};

const char *trace_task_state_letter(unsigned state)
{
	state &= TS_STATE_MASK;
	return state < sizeof(task_states) / sizeof(task_states[0]) ? task_states[state].letter :
		"?";
}

const char *trace_task_state_name(unsigned state)
{
	state &= TS_STATE_MASK;
	return state < sizeof(task_states) / sizeof(task_states[0]) ? task_states[state].name :
		"?";
}

/* sched_switch (Linux's TP_printk): "prev_comm=%s prev_pid=%d prev_prio=%d
 * prev_state=%s ==> next_comm=%s next_pid=%d next_prio=%d", then glass's name of the
 * state (Linux's letters merge several). */
char *out_put_switch(char *s, unsigned prev_tid, unsigned next_tid, unsigned state,
		     uint64_t ts)
{
	s = out_put_str(s, "sched_switch: prev_comm=");
	s = out_put_str(s, out_comm(prev_tid, ts));
	s = put_field(s, " prev_pid=", prev_tid);
	s = out_put_str(s, " prev_prio=120 prev_state=");
	s = out_put_str(s, trace_task_state_letter(state));
	s = out_put_str(s, " ==> next_comm=");
	s = out_put_str(s, out_comm(next_tid, ts));
	s = put_field(s, " next_pid=", next_tid);
	s = out_put_str(s, " next_prio=120 reason=");
	return out_put_str(s, trace_task_state_name(state));
}

const char *trace_event_group(unsigned id)
{
	return id < EV_MAX ? table[id].group : NULL;
}

const char *trace_event_name(unsigned id)
{
	return id < EV_MAX ? table[id].name : NULL;
}

char *out_put_event(struct out_printer *p, char *s, unsigned id, const char *payload,
		    unsigned len)
{
	const char *name = trace_event_name(id);
	char *end;

	if (!name) {
		s = put_field(s, "event_", id);
		s = out_put_str(s, ": ");
		return print_size(p, s, payload, len);
	}
	s = out_put_str(s, name);
	s = out_put_str(s, ": ");
	end = table[id].print(p, s, payload, len);
	if (end)
		return end;
	s = out_put_str(s, "malformed ");
	return print_size(p, s, payload, len);
}
