/* Run queue: FIFO order, removal from any position, length, reuse after emptying; the
 * per-class queues (server first, the applications' turn). */
#include "test/unit/check.h"
#include "kernel/runq.h"
#include "kernel/thread.h"

static struct thread threads[8];

static void fifo_order(void)
{
	struct runq q = { 0 };

	TEST_CASE("runq fifo order");
	CHECK(runq_empty(&q));
	for (int i = 0; i < 8; i++)
		runq_push(&q, &threads[i]);
	CHECK_EQ(q.len, 8);
	for (int i = 0; i < 8; i++)
		CHECK(runq_pop(&q) == &threads[i]);
	CHECK(runq_pop(&q) == NULL);
	CHECK(runq_empty(&q));
	CHECK(q.tail == NULL);
	TEST_END();
}

static void remove_anywhere(void)
{
	struct runq q = { 0 };

	TEST_CASE("runq remove head, middle, tail, absent");
	for (int i = 0; i < 5; i++)
		runq_push(&q, &threads[i]);
	CHECK(runq_remove(&q, &threads[0]));
	CHECK(runq_remove(&q, &threads[2]));
	CHECK(runq_remove(&q, &threads[4]));
	CHECK(!runq_remove(&q, &threads[4]));
	CHECK(!runq_remove(&q, &threads[7]));
	CHECK_EQ(q.len, 2);
	runq_push(&q, &threads[6]); /* the tail must be right after removing the old tail */
	CHECK(runq_pop(&q) == &threads[1]);
	CHECK(runq_pop(&q) == &threads[3]);
	CHECK(runq_pop(&q) == &threads[6]);
	CHECK(runq_empty(&q));
	TEST_END();
}

static void round_robin(void)
{
	struct runq q = { 0 };
	int seen[3] = { 0 };

	TEST_CASE("runq round robin requeue");
	for (int i = 0; i < 3; i++)
		runq_push(&q, &threads[i]);
	/* What the tick does: run the head for a slice, then put it back at the tail. */
	for (int slice = 0; slice < 30; slice++) {
		struct thread *t = runq_pop(&q);
		seen[t - threads]++;
		CHECK(t == &threads[slice % 3]);
		runq_push(&q, t);
	}
	CHECK_EQ(seen[0], 10);
	CHECK_EQ(seen[1], 10);
	CHECK_EQ(seen[2], 10);
	TEST_END();
}

/* Server-class threads go first, in FIFO order among themselves; application threads run
 * when no server thread is runnable. */
static void classes(void)
{
	struct runqs r = { 0 };

	TEST_CASE("runqs server class first");
	for (int i = 0; i < 6; i++) {
		threads[i].cls = i % 2 ? THREAD_CLASS_SERVER : THREAD_CLASS_APP;
		runqs_push(&r, &threads[i]);
	}
	CHECK(!runqs_empty(&r));
	CHECK(runqs_app_waiting(&r));
	CHECK(runqs_pop(&r) == &threads[1]);
	CHECK(runqs_pop(&r) == &threads[3]);
	CHECK(runqs_pop(&r) == &threads[5]);
	CHECK(runqs_pop(&r) == &threads[0]);
	CHECK(runqs_pop(&r) == &threads[2]);
	CHECK(runqs_pop(&r) == &threads[4]);
	CHECK(runqs_pop(&r) == NULL);
	CHECK(runqs_empty(&r));
	CHECK(!runqs_app_waiting(&r));
	TEST_END();
}

/* The tick's turn for applications: one pick takes an application thread before the
 * server's, then the server class goes first again; a turn with no application waiting
 * takes the server thread and is used up. */
static void app_turn(void)
{
	struct runqs r = { 0 };

	TEST_CASE("runqs application turn");
	threads[0].cls = THREAD_CLASS_SERVER;
	threads[1].cls = THREAD_CLASS_APP;
	threads[2].cls = THREAD_CLASS_APP;
	runqs_push(&r, &threads[0]);
	runqs_push(&r, &threads[1]);
	runqs_push(&r, &threads[2]);
	runqs_app_turn(&r);
	CHECK(runqs_pop(&r) == &threads[1]);
	runqs_push(&r, &threads[1]);
	CHECK(runqs_pop(&r) == &threads[0]);
	CHECK(runqs_pop(&r) == &threads[2]);
	CHECK(runqs_pop(&r) == &threads[1]);
	runqs_push(&r, &threads[0]);
	runqs_app_turn(&r);
	CHECK(runqs_pop(&r) == &threads[0]);
	CHECK(!r.app_turn);
	CHECK(runqs_pop(&r) == NULL);
	TEST_END();
}

int main(void)
{
	fifo_order();
	remove_anywhere();
	round_robin();
	classes();
	app_turn();
	return test_exit_status();
}
