/* trace/stackwalk.c over fabricated stacks and text: a clean chain, each check that ends
 * a walk (misaligned, outside the stack, not increasing, a return address outside text),
 * the frameless cases (fentry site, push %rbp, after it, ret), return_to_handler fixed
 * through the callback, the depth cut; and trace/stackid.c: ids stable and dense,
 * equal stacks share an id, prefixes do not, the table refusing when full. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "trace/stackid.h"
#include "trace/stackwalk.h"
#include "test/unit/check.h"

/* "Text": 4 functions of 64 bytes; each starts with a 5-byte nop, push %rbp, mov
 * %rsp,%rbp, and has a ret at +60. Below 4 GiB: the binary is linked -no-pie. */
static uint8_t text[256] __attribute__((aligned(64)));
static uint64_t stack[512] __attribute__((aligned(16)));

#define FN(i) ((uint64_t)(uintptr_t)&text[(i) * 64])

static void make_text(void)
{
	static const uint8_t prologue[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00, 0x55, 0x48, 0x89, 0xe5 };

	for (int f = 0; f < 4; f++) {
		memcpy(&text[f * 64], prologue, sizeof(prologue));
		for (int i = 9; i < 60; i++)
			text[f * 64 + i] = 0x90;
		text[f * 64 + 60] = 0xc3;
	}
}

static struct stack_walk_in base(void)
{
	return (struct stack_walk_in){
		.lo = (uint64_t)(uintptr_t)stack, .hi = (uint64_t)(uintptr_t)(stack + 512),
		.text_lo = FN(0), .text_hi = FN(4),
	};
}

/* Frames at word indexes at[0] < at[1] < ...: frame k holds {next frame, ret[k]}. */
static uint64_t chain(const unsigned *at, const uint64_t *ret, unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		stack[at[k]] = k + 1 < n ? (uint64_t)(uintptr_t)&stack[at[k + 1]] : 0;
		stack[at[k] + 1] = ret[k];
	}
	return (uint64_t)(uintptr_t)&stack[at[0]];
}

static uint64_t rth_slot;
static uint64_t fix(uint64_t ret, uint64_t slot)
{
	if (ret == 0xdeadbeef && slot == rth_slot)
		return FN(3) + 20;
	return ret;
}

static void test_chain(void)
{
	unsigned at[] = { 10, 20, 30 };
	uint64_t ret[] = { FN(1) + 20, FN(2) + 30, FN(3) + 40 };
	struct stack_walk_in in = base();
	uint32_t pcs[STACK_MAX_DEPTH];
	unsigned flags, n;

	TEST_CASE("stackwalk: a clean chain, innermost first, ends at rbp 0");
	in.pc = FN(0) + 12;
	in.rbp = chain(at, ret, 3);
	in.rsp = (uint64_t)(uintptr_t)&stack[5];
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 4);
	CHECK_EQ(flags, 0);
	CHECK_EQ(pcs[0], FN(0) + 12);
	CHECK_EQ(pcs[1], FN(1) + 20);
	CHECK_EQ(pcs[3], FN(3) + 40);
	TEST_END();

	TEST_CASE("stackwalk: a misaligned frame pointer ends the walk");
	stack[20] = (uint64_t)(uintptr_t)&stack[30] + 4;
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 3);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	TEST_END();

	TEST_CASE("stackwalk: a frame pointer outside the stack ends the walk");
	stack[20] = (uint64_t)(uintptr_t)stack + 600 * 8;
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 3);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	stack[20] = 0x1000; /* below: never read */
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 3);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	stack[20] = (uint64_t)(uintptr_t)&stack[511]; /* its return address would be past hi */
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 3);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	TEST_END();

	TEST_CASE("stackwalk: a frame pointer that does not increase ends the walk (no loop)");
	stack[20] = (uint64_t)(uintptr_t)&stack[10];
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 3);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	stack[20] = (uint64_t)(uintptr_t)&stack[20];
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 3);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	TEST_END();

	TEST_CASE("stackwalk: a return address outside text ends the walk");
	chain(at, ret, 3);
	stack[21] = 0x12345;
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 2);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	TEST_END();

	TEST_CASE("stackwalk: a pc outside text gives no stack; rbp 0 gives the pc alone");
	in.pc = 0x42;
	CHECK_EQ(stack_walk(&in, pcs, &flags), 0);
	in.pc = FN(0) + 12;
	in.rbp = 0;
	CHECK_EQ(stack_walk(&in, pcs, &flags), 1);
	CHECK_EQ(flags, 0);
	TEST_END();

	TEST_CASE("stackwalk: return_to_handler's address is replaced through fix_ret");
	in.rbp = chain(at, ret, 3);
	stack[31] = 0xdeadbeef;
	rth_slot = (uint64_t)(uintptr_t)&stack[31];
	in.fix_ret = fix;
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 4);
	CHECK_EQ(flags, 0);
	CHECK_EQ(pcs[3], FN(3) + 20);
	in.fix_ret = NULL;
	CHECK_EQ(stack_walk(&in, pcs, &flags), 3);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	TEST_END();
}

static void test_frameless(void)
{
	unsigned at[] = { 20, 30 };
	uint64_t ret[] = { FN(2) + 30, FN(3) + 40 };
	struct stack_walk_in in = base();
	uint32_t pcs[STACK_MAX_DEPTH];
	unsigned flags, n;
	const unsigned where[] = { 0, 5, 6, 60 };
	const unsigned rsp_word[] = { 12, 12, 11, 12 }; /* return address at stack[12] */

	in.rbp = chain(at, ret, 2); /* the caller's frame: fn1's return lands in fn2 */
	stack[12] = FN(1) + 25;
	for (int k = 0; k < 4; k++) {
		static const char *const names[] = {
			"stackwalk: at the fentry nop the caller comes from rsp",
			"stackwalk: at push %rbp the caller comes from rsp",
			"stackwalk: after push %rbp the caller comes from rsp + 8",
			"stackwalk: at ret the caller comes from rsp",
		};
		TEST_CASE(names[k]);
		in.pc = FN(0) + where[k];
		in.rsp = (uint64_t)(uintptr_t)&stack[rsp_word[k]];
		stack[11] = 0x5555; /* the pushed rbp, when there is one */
		n = stack_walk(&in, pcs, &flags);
		CHECK_EQ(n, 4);
		CHECK_EQ(flags, 0);
		CHECK_EQ(pcs[0], FN(0) + where[k]);
		CHECK_EQ(pcs[1], FN(1) + 25);
		CHECK_EQ(pcs[2], FN(2) + 30);
		TEST_END();
	}

	TEST_CASE("stackwalk: a patched fentry call counts only when it calls __fentry__");
	text[64] = 0xe8; /* fn1: call rel32 to FN(3) */
	{
		int32_t rel = (int32_t)(FN(3) - (FN(1) + 5));
		memcpy(&text[65], &rel, 4);
	}
	in.pc = FN(1);
	in.rsp = (uint64_t)(uintptr_t)&stack[12];
	in.fentry = FN(3);
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 4);
	in.fentry = FN(2);
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 3);
	make_text();
	TEST_END();

	TEST_CASE("stackwalk: a frameless slot outside the stack ends the walk at the pc");
	in.pc = FN(0);
	in.rsp = (uint64_t)(uintptr_t)&stack[512];
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, 1);
	CHECK_EQ(flags, STACK_BAD_FRAME);
	TEST_END();
}

static void test_depth(void)
{
	unsigned at[200];
	uint64_t ret[200];
	struct stack_walk_in in = base();
	uint32_t pcs[STACK_MAX_DEPTH];
	unsigned flags, n;

	TEST_CASE("stackwalk: a deep chain is cut at STACK_MAX_DEPTH and says so");
	for (unsigned k = 0; k < 200; k++) {
		at[k] = 10 + 2 * k;
		ret[k] = FN(k % 4) + 20;
	}
	in.pc = FN(0) + 12;
	in.rsp = (uint64_t)(uintptr_t)&stack[8];
	in.rbp = chain(at, ret, 200);
	n = stack_walk(&in, pcs, &flags);
	CHECK_EQ(n, STACK_MAX_DEPTH);
	CHECK_EQ(flags, STACK_TRUNCATED);
	TEST_END();
}

static void test_ids(void)
{
	uint32_t a[] = { 1, 2, 3 }, b[] = { 1, 2, 4 }, big[STACK_MAX_DEPTH];
	const uint32_t *f;
	unsigned n;
	bool is_new;

	TEST_CASE("stackid: ids from 1 in order of first sight, equal stacks share one");
	stackid_reset();
	CHECK_EQ(stackid_get(a, 3, &is_new), 1);
	CHECK(is_new);
	CHECK_EQ(stackid_get(b, 3, &is_new), 2);
	CHECK(is_new);
	CHECK_EQ(stackid_get(a, 2, &is_new), 3); /* a prefix is another stack */
	CHECK(is_new);
	CHECK_EQ(stackid_get(a, 3, &is_new), 1);
	CHECK(!is_new);
	CHECK_EQ(stackid_count(), 3);
	f = stackid_frames(2, &n);
	CHECK(f && n == 3 && f[0] == 1 && f[2] == 4);
	CHECK(!stackid_frames(0, &n));
	CHECK(!stackid_frames(4, &n));
	CHECK_EQ(stackid_get(a, 0, &is_new), 0);
	TEST_END();

	TEST_CASE("stackid: many stacks keep their ids; a full table refuses and counts");
	stackid_reset();
	for (uint32_t i = 1; i < STACKID_MAX; i++) {
		uint32_t s[2] = { i, i * 7 };
		if (stackid_get(s, 2, &is_new) != i || !is_new) {
			CHECK_EQ(i, 0);
			break;
		}
	}
	for (uint32_t i = 1; i < STACKID_MAX; i += 97) {
		uint32_t s[2] = { i, i * 7 };
		CHECK_EQ(stackid_get(s, 2, &is_new), i);
		CHECK(!is_new);
	}
	for (unsigned i = 0; i < STACK_MAX_DEPTH; i++)
		big[i] = i;
	CHECK_EQ(stackid_get(big, STACK_MAX_DEPTH, &is_new), 0);
	CHECK(!is_new);
	CHECK_EQ(stackid_full(), 1);
	TEST_END();
}

int main(void)
{
	make_text();
	test_chain();
	test_frameless();
	test_depth();
	test_ids();
	return test_exit_status();
}
