/* Preemptive scheduler with per-CPU run queues. Locking: each CPU's rq_lock protects its
 * run queue, sleep list and the states of its threads; it is held across switch_to and
 * released by whichever thread runs next. Lock order: waitq lock, then rq_lock. */
#include <errno.h>
#include <string.h>
#include "kernel/sched.h"
#include "kernel/percpu.h"
#include "kernel/heap.h"
#include "kernel/page.h"
#include "kernel/panic.h"
#include "kernel/sched_internal.h"
#include "kernel/thread_past.h"
#include "kernel/compiler.h"
#include "trace/trace.h"
#include "trace/events.h"

#define STACK_PAGES THREAD_STACK_PAGES

struct percpu percpu[PLAT_MAX_CPUS];

static struct spinlock tid_lock = SPINLOCK_INIT;
static uint64_t tid_used[(THREAD_MAX_TID + 1) / 64];
static unsigned tid_next = 1;
static char tid_names[THREAD_MAX_TID + 1][THREAD_NAME_LEN];
/* When each tid's latest thread was created and exited (0: still running), for trace
 * readers (raw_header's thread table): exited threads still appear in the buffers. */
static uint64_t tid_created[THREAD_MAX_TID + 1], tid_exited[THREAD_MAX_TID + 1];
static unsigned create_rr;

void switch_to(uint64_t *prev_rsp, uint64_t next_rsp);
void thread_start(void);

/* Called by the platform before this CPU's GS base is set, so neither it nor anything it
 * calls may be instrumented. The boot context becomes the CPU's idle thread (tid 0). */
notrace struct plat_cpu_local *kernel_cpu_local(unsigned cpu_id)
{
	struct percpu *cpu = &percpu[cpu_id];

	cpu->local.cpu = cpu_id;
	cpu->idle.tid = 0;
	cpu->idle.cpu = cpu_id;
	cpu->idle.state = THREAD_RUNNING;
	cpu->idle.name[0] = 'i', cpu->idle.name[1] = 'd', cpu->idle.name[2] = 'l';
	cpu->idle.name[3] = 'e', cpu->idle.name[4] = 0;
	trace_task_init(&cpu->idle.trace, 0);
	cpu->local.current = &cpu->idle;
	return &cpu->local;
}

struct thread *thread_current(void)
{
	return current_thread();
}

const char *thread_name_of(unsigned tid)
{
	if (tid == 0)
		return "<idle>";
	if (tid > THREAD_MAX_TID || !tid_names[tid][0])
		return "<...>";
	return tid_names[tid];
}

bool thread_record(unsigned tid, uint64_t *created, uint64_t *exited, const char **name)
{
	if (tid > THREAD_MAX_TID || (tid && !tid_names[tid][0]))
		return false;
	*created = tid ? tid_created[tid] : plat_boot_tsc();
	*exited = tid ? tid_exited[tid] : 0;
	*name = tid ? tid_names[tid] : "<idle>";
	return true;
}

static unsigned tid_alloc(const char *name)
{
	uint64_t flags;
	unsigned tid = 0;

	thread_past_reserve(); /* room to keep the thread whose tid this may reuse */
	flags = spin_lock_irqsave(&tid_lock);
	for (unsigned n = 0; n < THREAD_MAX_TID; n++) {
		unsigned t = tid_next;
		tid_next = tid_next % THREAD_MAX_TID + 1;
		if (!(tid_used[t / 64] & (1ull << (t % 64)))) {
			tid_used[t / 64] |= 1ull << (t % 64);
			tid = t;
			break;
		}
	}
	if (tid && tid_names[tid][0]) { /* the tid's previous thread: keep it for readers */
		struct thread_past old = { tid_created[tid], tid_exited[tid], tid, { 0 } };

		memcpy(old.name, tid_names[tid], THREAD_NAME_LEN);
		thread_past_add(&old);
	}
	if (tid) {
		tid_created[tid] = plat_tsc();
		tid_exited[tid] = 0;
		strncpy(tid_names[tid], name, THREAD_NAME_LEN - 1);
		tid_names[tid][THREAD_NAME_LEN - 1] = 0;
	}
	spin_unlock_irqrestore(&tid_lock, flags);
	return tid;
}

static void tid_free(unsigned tid)
{
	uint64_t flags = spin_lock_irqsave(&tid_lock);
	tid_used[tid / 64] &= ~(1ull << (tid % 64));
	spin_unlock_irqrestore(&tid_lock, flags);
}

static void thread_free(struct thread *t)
{
	tid_free(t->tid);
	page_free(t->stack, STACK_PAGES);
	kfree(t);
}

/* sched_wakeup: the current thread makes t runnable on its CPU. Called before t is
 * queued, so the event precedes the switch to t in the merged trace. */
notrace static void trace_wakeup(const struct thread *t)
{
	struct ev_sched_wakeup e = { .pid = (uint16_t)t->tid, .target_cpu = (uint8_t)t->cpu };

	trace_event_write(EV_SCHED_WAKEUP, &e, sizeof(e));
}

/* The state prev leaves its CPU in (the switch record's prev_state): `runnable` says why a
 * thread that stays runnable goes (TS_PREEMPTED or TS_RUNNING); a sleeper's reason was
 * set by sched_block(). */
notrace static inline unsigned leave_state(const struct thread *prev, unsigned runnable)
{
	switch (prev->state) {
	case THREAD_SLEEPING:
		return prev->sleep_state;
	case THREAD_DEAD:
		return TS_DEAD;
	default:
		return runnable;
	}
}

/* Picks the next thread and switches to it. Interrupts off, rq_lock held by the caller;
 * returns (in the same thread, later) with rq_lock held again. `runnable`: the state a
 * thread that stays runnable leaves in (leave_state()). */
static void schedule_locked(struct percpu *cpu, unsigned runnable)
{
	struct thread *prev = cpu->local.current;
	struct thread *next;

	if (prev->state == THREAD_RUNNING && prev != &cpu->idle) {
		prev->state = THREAD_RUNNABLE;
		runqs_push(&cpu->rq, prev);
	}
	next = runqs_pop(&cpu->rq);
	if (!next)
		next = &cpu->idle;
	next->state = THREAD_RUNNING;
	cpu->woken = false;
	cpu->woken_server = false;
	if (next == prev)
		return;
	cpu->ran_since = plat_tsc();
	if (prev->state == THREAD_DEAD)
		cpu->reap = prev;
	trace_sched_switch(&prev->trace, prev->tid, &next->trace, next->tid,
			   (int)leave_state(prev, runnable));
	unsigned irq_depth = cpu->local.irq_depth;
	cpu->local.current = next;
	switch_to(&prev->rsp, next->rsp);
	/* Back in prev, possibly much later; `cpu` is still ours (no migration). */
	cpu->local.irq_depth = irq_depth;
}

/* After a switch, with rq_lock released: finish off a thread that ended on this CPU. */
static void reap_dead(struct percpu *cpu)
{
	struct thread *dead = cpu->reap;

	if (!dead)
		return;
	cpu->reap = NULL;
	if (dead->detached) {
		thread_free(dead);
		return;
	}
	__atomic_store_n(&dead->reaped, true, __ATOMIC_RELEASE);
	waitq_wake_all(&dead->exit_wq);
}

static void schedule(void)
{
	uint64_t flags = plat_irq_save();
	struct percpu *cpu = this_cpu();

	spin_lock_raw(&cpu->rq_lock);
	schedule_locked(cpu, TS_RUNNING);
	spin_unlock_raw(&cpu->rq_lock);
	reap_dead(cpu);
	plat_irq_restore(flags);
}

void thread_entry(struct thread *t)
{
	struct percpu *cpu = this_cpu();

	cpu->local.irq_depth = 0;
	spin_unlock_raw(&cpu->rq_lock);
	reap_dead(cpu);
	plat_irq_enable();
	t->fn(t->arg);
	thread_exit();
}

/* task_newtask: the current thread created t (pid, entry function, name). */
notrace static void trace_newtask(const struct thread *t)
{
	struct ev_thread_create e = { .pid = (uint16_t)t->tid,
				      .entry = (uint32_t)(uintptr_t)t->fn };

	trace_event_write_str(EV_THREAD_CREATE, &e, sizeof(e), t->name);
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, int cpu_hint)
{
	struct thread *t = kzalloc(sizeof(*t));
	unsigned ncpu = plat_cpu_count();

	if (!t)
		return NULL;
	t->stack = page_alloc(STACK_PAGES);
	t->tid = t->stack ? tid_alloc(name) : 0;
	if (!t->tid) {
		if (t->stack)
			page_free(t->stack, STACK_PAGES);
		kfree(t);
		return NULL;
	}
	strncpy(t->name, name, THREAD_NAME_LEN - 1);
	t->fn = fn;
	t->arg = arg;
	t->cpu = cpu_hint >= 0 ? (unsigned)cpu_hint % ncpu :
		__atomic_fetch_add(&create_rr, 1, __ATOMIC_RELAXED) % ncpu;
	waitq_init(&t->exit_wq);
	trace_task_init(&t->trace, t->tid);

	/* Initial stack: six callee-saved registers for switch_to, then thread_start. */
	uint64_t *sp = (uint64_t *)((char *)t->stack + STACK_PAGES * 4096);
	*--sp = 0; /* alignment: thread_start runs with rsp % 16 == 8 like a called function */
	*--sp = (uint64_t)(uintptr_t)thread_start;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	sp[3] = (uint64_t)(uintptr_t)t; /* r12 (pop order: r15 r14 r13 r12 rbx rbp) */
	t->rsp = (uint64_t)(uintptr_t)sp;

	if (trace_event_on(EV_THREAD_CREATE))
		trace_newtask(t);
	if (trace_event_on(EV_SCHED_WAKEUP)) /* runnable for the first time (Linux:
					       * sched_wakeup_new) */
		trace_wakeup(t);
	struct percpu *cpu = &percpu[t->cpu];
	uint64_t flags = spin_lock_irqsave(&cpu->rq_lock);
	t->state = THREAD_RUNNABLE;
	runqs_push(&cpu->rq, t);
	spin_unlock_irqrestore(&cpu->rq_lock, flags);
	plat_kick_cpu(t->cpu);
	return t;
}

/* Inline in both: thread_exit() keeps its place in call trees without a new callee. */
static inline __attribute__((always_inline, noreturn)) void exit_thread(int status)
{
	struct thread *self = current_thread();

	if (trace_event_on(EV_THREAD_EXIT)) {
		struct ev_thread_exit e = { .pid = (uint16_t)self->tid, .status = status };
		trace_event_write(EV_THREAD_EXIT, &e, sizeof(e));
	}
	tid_exited[self->tid] = plat_tsc();
	plat_irq_disable();
	spin_lock_raw(&this_cpu()->rq_lock);
	self->state = THREAD_DEAD;
	schedule_locked(this_cpu(), TS_RUNNING);
	panic("dead thread %u scheduled", self->tid);
}

void thread_exit(void)
{
	exit_thread(0);
}

void thread_exit_status(int status)
{
	exit_thread(status);
}

void thread_join(struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&t->exit_wq.lock);
	while (!__atomic_load_n(&t->reaped, __ATOMIC_ACQUIRE))
		waitq_wait(&t->exit_wq, &t->exit_wq.lock, 0);
	spin_unlock_irqrestore(&t->exit_wq.lock, flags);
	thread_free(t);
}

void thread_set_name(struct thread *t, const char *name)
{
	uint64_t flags = spin_lock_irqsave(&tid_lock);

	strncpy(t->name, name, THREAD_NAME_LEN - 1);
	t->name[THREAD_NAME_LEN - 1] = 0;
	memcpy(tid_names[t->tid], t->name, THREAD_NAME_LEN);
	spin_unlock_irqrestore(&tid_lock, flags);
	if (trace_event_on(EV_THREAD_RENAME)) {
		struct ev_thread_rename e = { .pid = (uint16_t)t->tid };
		trace_event_write_str(EV_THREAD_RENAME, &e, sizeof(e), t->name);
	}
}

void thread_detach(struct thread *t)
{
	t->detached = true;
}

void thread_set_class(enum thread_class cls)
{
	struct percpu *cpu;
	uint64_t flags = plat_irq_save();

	cpu = this_cpu();
	spin_lock_raw(&cpu->rq_lock);
	current_thread()->cls = (uint8_t)cls; /* running: in no queue */
	spin_unlock_raw(&cpu->rq_lock);
	plat_irq_restore(flags);
}

void thread_yield(void)
{
	schedule();
}

/* Wakes t if it sleeps; returns whether it did. Any CPU, any context. */
bool thread_wake(struct thread *t, int result)
{
	struct percpu *cpu = &percpu[t->cpu];
	uint64_t flags = spin_lock_irqsave(&cpu->rq_lock);
	bool woke = t->state == THREAD_SLEEPING;

	if (woke) {
		if (trace_event_on(EV_SCHED_WAKEUP))
			trace_wakeup(t);
		t->wait_result = result;
		t->state = THREAD_RUNNABLE;
		runqs_push(&cpu->rq, t);
		cpu->woken = true;
		if (t->cls == THREAD_CLASS_SERVER)
			cpu->woken_server = true;
	}
	spin_unlock_irqrestore(&cpu->rq_lock, flags);
	if (woke)
		plat_kick_cpu(t->cpu);
	return woke;
}

static void sleeper_insert(struct percpu *cpu, struct thread *t)
{
	struct thread **pp = &cpu->sleepers;

	while (*pp && (*pp)->wake_tsc <= t->wake_tsc)
		pp = &(*pp)->timer_next;
	t->timer_next = *pp;
	*pp = t;
	t->on_timer = true;
}

static void sleeper_remove(struct percpu *cpu, struct thread *t)
{
	for (struct thread **pp = &cpu->sleepers; *pp; pp = &(*pp)->timer_next) {
		if (*pp == t) {
			*pp = t->timer_next;
			break;
		}
	}
	t->on_timer = false;
}

/* ns in TSC ticks, rounded up: a sleep never ends early. (The MHz truncated to an integer
 * once cut 5 s sleeps 1.3 ms short.) No overflow below 7e9 s at 2.6 GHz. */
notrace static inline uint64_t ns_to_tsc_ceil(uint64_t ns, uint64_t hz)
{
	return ns / 1000000000 * hz + (ns % 1000000000 * hz + 999999999) / 1000000000;
}

/* What a thread about to sleep waits for (the switch record's prev_state). */
notrace static inline uint8_t sleep_state(const struct thread *self, uint64_t timeout_ns)
{
	if (!self->waiting_on)
		return timeout_ns ? TS_SLEEP : TS_WAITQ;
	switch (self->waiting_on->kind) {
	case WAITQ_MUTEX:
		return TS_MUTEX;
	case WAITQ_NET:
		return TS_NET;
	default:
		return TS_WAITQ;
	}
}

/* Blocks the current thread (state set here) until thread_wake() or the timeout. The caller
 * has interrupts off; the locks `held` and `held2` (either may be NULL) are released only
 * once this CPU's rq_lock is taken and the state is SLEEPING, so a waker serialized by them
 * cannot miss the sleeper. Returns the wake result. */
int sched_block(struct spinlock *held, struct spinlock *held2, uint64_t timeout_ns)
{
	struct percpu *cpu = this_cpu();
	struct thread *self = cpu->local.current;

	spin_lock_raw(&cpu->rq_lock);
	self->state = THREAD_SLEEPING;
	self->sleep_state = sleep_state(self, timeout_ns);
	self->wait_result = 0;
	if (timeout_ns) {
		self->wake_tsc = plat_tsc() + ns_to_tsc_ceil(timeout_ns, plat_tsc_hz());
		sleeper_insert(cpu, self);
	}
	if (held2)
		spin_unlock_raw(held2);
	if (held && held != held2)
		spin_unlock_raw(held);
	schedule_locked(cpu, TS_RUNNING);
	if (self->on_timer)
		sleeper_remove(cpu, self);
	spin_unlock_raw(&cpu->rq_lock);
	reap_dead(cpu);
	return self->wait_result;
}

void thread_sleep_ns(uint64_t ns)
{
	uint64_t flags = plat_irq_save();
	sched_block(NULL, NULL, ns ? ns : 1);
	plat_irq_restore(flags);
}

static void wake_expired(struct percpu *cpu)
{
	uint64_t now = plat_tsc();

	while (cpu->sleepers && cpu->sleepers->wake_tsc <= now) {
		struct thread *t = cpu->sleepers;
		cpu->sleepers = t->timer_next;
		t->on_timer = false;
		if (t->state == THREAD_SLEEPING) {
			if (trace_event_on(EV_SCHED_WAKEUP))
				trace_wakeup(t);
			t->wait_result = -ETIMEDOUT;
			t->state = THREAD_RUNNABLE;
			runqs_push(&cpu->rq, t);
		}
	}
}

/* Wakeup preemption: a thread woken by an interrupt (a network frame, another CPU's
 * wake-up) runs when that interrupt returns if the current thread has had the CPU for
 * WAKEUP_GRANULARITY_US, instead of waiting up to a whole tick (10 ms) behind a thread that
 * never blocks. A thread woken right after a switch waits its turn: a flood of wake-ups
 * cannot take the CPU from the others more often than that. A server-class thread woken
 * while an application thread runs takes the CPU at once (its class goes first anyway;
 * the tick bounds its share, kernel/runq.h). */
#define WAKEUP_GRANULARITY_US 100

static bool wakeup_preempts(struct percpu *cpu, const struct thread *cur)
{
	if (cpu->woken_server && cur->cls != THREAD_CLASS_SERVER)
		return true;
	return cpu->woken &&
	       plat_tsc() - cpu->ran_since >= WAKEUP_GRANULARITY_US * (plat_tsc_hz() / 1000000);
}

void kernel_irq_exit(void)
{
	struct percpu *cpu = this_cpu();
	struct thread *cur = cpu->local.current;

	if (cur == &cpu->idle)
		return;
	/* One interrupted inside the tracer may hold a ring reservation: never switched. */
	if (!trace_task_in_hook(&cur->trace) && wakeup_preempts(cpu, cur)) {
		spin_lock_raw(&cpu->rq_lock);
		if (!runqs_empty(&cpu->rq))
			schedule_locked(cpu, TS_PREEMPTED);
		spin_unlock_raw(&cpu->rq_lock);
		reap_dead(cpu);
	}
	sched_flow_park(cpu, cpu->local.current);
}

/* Timer interrupt on every CPU: expire sleeps, then preempt (round-robin per tick). A
 * server-class thread that has had the CPU since before the previous tick while
 * application threads wait gives them the next turn (kernel/runq.h). */
void kernel_timer_tick(void)
{
	struct percpu *cpu = this_cpu();
	struct thread *cur = cpu->local.current;
	uint64_t now = plat_tsc();

	trace_profile_tick();
	spin_lock_raw(&cpu->rq_lock);
	cpu->ticks++;
	wake_expired(cpu);
	if (cur->cls == THREAD_CLASS_SERVER && cpu->ran_since <= cpu->last_tick &&
	    runqs_app_waiting(&cpu->rq))
		runqs_app_turn(&cpu->rq);
	cpu->last_tick = now;
	/* A thread interrupted inside the tracer may hold a reservation in this CPU's ring
	 * buffer: let it finish first (it runs again right after this interrupt). */
	if (!runqs_empty(&cpu->rq) && !trace_task_in_hook(&cur->trace))
		schedule_locked(cpu, TS_PREEMPTED);
	spin_unlock_raw(&cpu->rq_lock);
	reap_dead(cpu);
}

void sched_idle(void)
{
	struct percpu *cpu = this_cpu();

	for (;;) {
		plat_irq_disable();
		if (runqs_empty(&cpu->rq)) {
			plat_wait_for_irq(); /* sti; hlt: no wake-up is lost in between */
			continue;
		}
		plat_irq_enable();
		schedule();
	}
}
