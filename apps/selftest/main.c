/* selftest: checks the kernel services apps rely on, on every CPU: preemption without any
 * yield, sleep timing, mutual exclusion under contention, wait-queue timeouts, thread
 * join, heap use from several CPUs. Prints "selftest: <name> ok" per check and returns
 * non-zero on the first failure. */
#include "kernel/api.h"
#include "kernel/mutex.h"
#include "kernel/waitq.h"
#include "kernel/thread_past.h"

#define CHECK(cond, ...) do { \
		if (!(cond)) { \
			printf("selftest: FAILED %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__); \
			printf("\n"); \
			return 1; \
		} \
	} while (0)

static volatile bool stop_spinning;

static void spinner(void *arg)
{
	volatile uint64_t *count = arg;
	while (!stop_spinning)
		(*count)++;
}

/* Two busy threads on every CPU that never yield: only each CPU's timer tick can share
 * it between them (and let this thread, on CPU 0, wake up to stop them). */
static int check_preemption(void)
{
	unsigned n = cpu_count();
	uint64_t count[PLAT_MAX_CPUS][2] = { { 0 } };
	struct thread *t[PLAT_MAX_CPUS][2];

	for (unsigned c = 0; c < n; c++)
		for (int k = 0; k < 2; k++) {
			t[c][k] = thread_create("spin", spinner, (void *)&count[c][k], (int)c);
			CHECK(t[c][k], "thread_create failed");
		}
	sleep_ms(200);
	stop_spinning = true;
	for (unsigned c = 0; c < n; c++)
		for (int k = 0; k < 2; k++)
			thread_join(t[c][k]);
	for (unsigned c = 0; c < n; c++)
		CHECK(count[c][0] > 0 && count[c][1] > 0,
		      "on CPU %u a busy thread starved the other (%lu, %lu)", c, count[c][0],
		      count[c][1]);
	printf("selftest: preemption ok on %u CPUs\n", n);
	return 0;
}

static int check_sleep(void)
{
	uint64_t t0 = time_ns();
	sleep_ms(50);
	uint64_t slept = time_ns() - t0;

	CHECK(slept >= 50000000, "slept only %lu ns", slept);
	CHECK(slept < 2000000000, "slept %lu ns for 50 ms", slept);
	printf("selftest: sleep ok\n");
	return 0;
}

#define ADDERS_PER_CPU 2
#define ADDS 2000

static struct mutex counter_lock;
static uint64_t counter;

static void adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < ADDS; i++) {
		mutex_lock(&counter_lock);
		uint64_t v = counter;
		if (i % 64 == 0)
			thread_yield(); /* hold the mutex across a reschedule now and then */
		counter = v + 1;
		mutex_unlock(&counter_lock);
	}
}

static int check_mutex(void)
{
	unsigned n = cpu_count() * ADDERS_PER_CPU;
	struct thread *t[PLAT_MAX_CPUS * ADDERS_PER_CPU];

	mutex_init(&counter_lock);
	for (unsigned i = 0; i < n; i++) {
		t[i] = thread_create("adder", adder, NULL, (int)(i % cpu_count()));
		CHECK(t[i], "thread_create failed");
	}
	for (unsigned i = 0; i < n; i++)
		thread_join(t[i]);
	CHECK(counter == (uint64_t)n * ADDS, "counter %lu, want %lu", counter, (uint64_t)n * ADDS);
	printf("selftest: mutex ok\n");
	return 0;
}

static struct waitq wq;
static volatile bool flag;

static void waker(void *arg)
{
	(void)arg;
	sleep_ms(20);
	uint64_t f = spin_lock_irqsave(&wq.lock);
	flag = true;
	spin_unlock_irqrestore(&wq.lock, f);
	waitq_wake_all(&wq);
}

static int check_waitq(void)
{
	waitq_init(&wq);
	uint64_t f = spin_lock_irqsave(&wq.lock);
	int r = waitq_wait(&wq, &wq.lock, 10000000);
	spin_unlock_irqrestore(&wq.lock, f);
	CHECK(r == -ETIMEDOUT, "wait without a waker returned %d", r);

	struct thread *w = thread_create("waker", waker, NULL, (int)(cpu_count() - 1));
	CHECK(w, "thread_create failed");
	f = spin_lock_irqsave(&wq.lock);
	while (!flag)
		r = waitq_wait(&wq, &wq.lock, 5000000000ull);
	spin_unlock_irqrestore(&wq.lock, f);
	thread_join(w);
	CHECK(r == 0, "woken wait returned %d", r);
	printf("selftest: waitq ok\n");
	return 0;
}

static void allocator(void *arg)
{
	int *ok = arg;
	for (int i = 0; i < 500; i++) {
		size_t n = 16 + (size_t)(i * 37) % 5000;
		unsigned char *p = malloc(n);
		if (!p)
			return;
		memset(p, i & 0xff, n);
		for (size_t k = 0; k < n; k++)
			if (p[k] != (i & 0xff))
				return;
		free(p);
	}
	*ok = 1;
}

static int check_heap(void)
{
	int ok[PLAT_MAX_CPUS] = { 0 };
	struct thread *t[PLAT_MAX_CPUS];

	for (unsigned c = 0; c < cpu_count(); c++)
		t[c] = thread_create("alloc", allocator, &ok[c], (int)c);
	for (unsigned c = 0; c < cpu_count(); c++) {
		thread_join(t[c]);
		CHECK(ok[c], "allocator on CPU %u failed", c);
	}
	printf("selftest: heap ok\n");
	return 0;
}

/* thread_set_name: the thread table (trace lines' comm) has the new name, cut to fit. */
static int check_rename(void)
{
	struct thread *self = thread_current();

	thread_set_name(self, "selftest");
	CHECK(!strcmp(thread_name_of(thread_tid(self)), "selftest"), "renamed to %s",
	      thread_name_of(thread_tid(self)));
	thread_set_name(self, "a-name-longer-than-fifteen");
	CHECK(!strcmp(thread_name_of(thread_tid(self)), "a-name-longer-t"), "renamed to %s",
	      thread_name_of(thread_tid(self)));
	thread_set_name(self, "main");
	printf("selftest: rename ok\n");
	return 0;
}

static void nothing(void *arg)
{
	(void)arg;
}

/* Tids are 12 bits: after THREAD_MAX_TID threads the first tid is handed out again, and
 * the thread that had it before must be kept (trace readers name a reused tid by time). */
static int check_tid_reuse(void)
{
	size_t before = thread_past_count();
	unsigned first = 0;
	struct thread_past old;

	for (unsigned i = 0; i <= THREAD_MAX_TID; i++) {
		struct thread *t = thread_create(i ? "reuse" : "reuse-first", nothing, NULL, -1);

		CHECK(t, "thread_create failed at %u", i);
		if (!i)
			first = thread_tid(t);
		thread_join(t);
	}
	CHECK(thread_past_count() > before, "no earlier thread kept after %u threads",
	      THREAD_MAX_TID + 1);
	/* earlier checks' threads may have had their tids reused first: find ours */
	for (size_t i = before; thread_past_get(i, &old) && old.tid != first; i++)
		;
	CHECK(old.tid == first && old.created && old.exited >= old.created,
	      "kept tid %u (want %u), created %lu, exited %lu", old.tid, first, old.created,
	      old.exited);
	CHECK(!strcmp(old.name, "reuse-first"), "kept name '%s'", old.name);
	printf("selftest: tid reuse keeps the earlier thread ok\n");
	return 0;
}

int app_main(void)
{
	/* The tid reuse check first: its 4096 threads' events must not push the other
	 * checks' out of a trace_dump (events-tests reads the adders' and renames' lines). */
	if (check_tid_reuse() || check_preemption() || check_sleep() || check_mutex() ||
	    check_waitq() || check_heap() || check_rename())
		return 1;
	printf("selftest: SUCCESS\n");
	return 0;
}
