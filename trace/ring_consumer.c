/* What the raw reader (trace/raw_reader.c) needs of the ring beyond struct ring_reader: it
 * keeps its own positions and moves the CPU's consumer position itself, only once the
 * host acknowledged what lies before it (contracts in trace/ring.h). */
#include "trace/ring_internal.h"
#include "trace/flow.h"

bool ring_pos_overtaken(unsigned cpu, uint32_t pos)
{
	return ring_overtaken(&ring.cpu[cpu], pos);
}

bool ring_oldest_intact(unsigned cpu, uint32_t *pos)
{
	uint64_t seq;

	return ring_oldest_block(&ring.cpu[cpu], pos, &seq);
}

bool ring_consumer_claim(unsigned cpu)
{
	return !__atomic_exchange_n(&ring.cpu[cpu].consumer, 1, __ATOMIC_ACQUIRE);
}

void ring_consumer_release(unsigned cpu)
{
	__atomic_store_n(&ring.cpu[cpu].consumer, 0, __ATOMIC_RELEASE);
}

void ring_consumer_free(unsigned cpu, uint32_t block)
{
	struct ring_cpu *rc = &ring.cpu[cpu];
	uint64_t seq = ring_seq64(rc, rc->blk_seq[(block & rc->mask) >> RING_BLOCK_SHIFT]);

	if (seq > rc->rd.seq)
		rc->consumed += seq - rc->rd.seq;
	rc->rd.seq = seq;
	rc->rd.half = 0; /* the block starts with a W_SYNC: no decoding state needed */
	rc->rd.lost = 0;
	/* Release: the slots were copied out before writers may reuse them. */
	__atomic_store_n(&rc->rd.pos, block, __ATOMIC_RELEASE);
	trace_flow_freed(cpu);
}
