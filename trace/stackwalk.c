/* The checked frame-pointer walk (trace/stackwalk.h). */
#include <stddef.h>
#include "trace/stackwalk.h"

static bool in_text(const struct stack_walk_in *in, uint64_t a)
{
	return a >= in->text_lo && a < in->text_hi;
}

/* Whether [a, a + n) lies in the stack and a is 8-byte aligned. */
static bool on_stack(const struct stack_walk_in *in, uint64_t a, uint64_t n)
{
	return !(a & 7) && a >= in->lo && a <= in->hi && in->hi - a >= n;
}

/* Where the return address of pc's function is when it has no frame yet (or no more):
 * its offset from rsp, or -1 when the frame is set up and rbp leads to it. Reads at most
 * 5 bytes at pc, which must be in text with 5 bytes after it. */
static int frameless_slot(const struct stack_walk_in *in)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)in->pc;

	if (p[0] == 0xc3 || p[0] == 0x55) /* ret; push %rbp */
		return 0;
	if (p[0] == 0x48 && p[1] == 0x89 && p[2] == 0xe5) /* mov %rsp,%rbp: rbp pushed */
		return 8;
	if (p[0] == 0x0f && p[1] == 0x1f && p[2] == 0x44 && p[3] == 0 && p[4] == 0)
		return 0; /* the fentry site's 5-byte nop */
	if (p[0] == 0xe8 && in->fentry) { /* call __fentry__ (a patched site) */
		int32_t rel = (int32_t)((uint32_t)p[1] | (uint32_t)p[2] << 8 |
					(uint32_t)p[3] << 16 | (uint32_t)p[4] << 24);

		if (in->pc + 5 + (uint64_t)(int64_t)rel == in->fentry)
			return 0;
	}
	return -1;
}

static uint64_t ret_at(const struct stack_walk_in *in, uint64_t slot)
{
	uint64_t ret = *(const volatile uint64_t *)(uintptr_t)slot;

	return in->fix_ret ? in->fix_ret(ret, slot) : ret;
}

unsigned stack_walk(const struct stack_walk_in *in, uint32_t *pcs, unsigned *flags)
{
	uint64_t fp = in->rbp, prev = 0;
	unsigned n = 0;
	int off;

	*flags = 0;
	if (!in_text(in, in->pc) || in->text_hi - in->pc < 5)
		return 0;
	pcs[n++] = (uint32_t)in->pc;
	off = in->pc_returns ? -1 : frameless_slot(in);
	if (off >= 0) {
		uint64_t slot = in->rsp + (uint64_t)off, ret;

		if (!on_stack(in, slot, 8)) {
			*flags = STACK_BAD_FRAME;
			return n;
		}
		ret = ret_at(in, slot);
		if (!in_text(in, ret)) {
			*flags = STACK_BAD_FRAME;
			return n;
		}
		pcs[n++] = (uint32_t)ret;
		prev = slot; /* frames above it only */
	}
	for (;;) {
		uint64_t ret;

		if (!fp)
			return n; /* the outermost frame (threads start with rbp 0) */
		if (!on_stack(in, fp, 16) || fp <= prev) {
			*flags |= STACK_BAD_FRAME;
			return n;
		}
		ret = ret_at(in, fp + 8);
		if (!ret)
			return n;
		if (!in_text(in, ret)) {
			*flags |= STACK_BAD_FRAME;
			return n;
		}
		if (n == STACK_MAX_DEPTH) {
			*flags |= STACK_TRUNCATED;
			return n;
		}
		pcs[n++] = (uint32_t)ret;
		prev = fp;
		fp = *(const volatile uint64_t *)(uintptr_t)fp;
	}
}
