/* Linux ring-buffer pages, as trace.dat stores each CPU's data (../shared/spec/trace-dat.md
 * section 3): a 16-byte header (page timestamp, commit word) then records, each a u32
 * {type_len:5, time_delta:27} and its payload. Pages go to a temporary file per CPU, so
 * memory holds one page per CPU; trace.dat needs each CPU's data in one piece. */
#ifndef TOOLS_PARSE_TRACE_TDAT_PAGES_H
#define TOOLS_PARSE_TRACE_TDAT_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TDAT_PAGE 4096
/* what one page holds after its header, a length word, a time extend and a lost count */
#define TDAT_MAX_PAYLOAD (TDAT_PAGE - 16 - 4 - 4 - 8 - 8)

struct tdat_cpu {
	FILE *tmp;		/* full pages; NULL until the CPU's first record */
	uint8_t page[TDAT_PAGE];
	size_t used;		/* bytes of records after the header */
	int64_t last_ts;	/* time of the last record: the CPU's clock never goes back */
	uint64_t pages;
	int64_t lost;		/* events lost before the next record: -1 count unknown */
	bool lost_pending;
};

/* Appends a data record (n = payload bytes, a multiple of 4, at most TDAT_MAX_PAYLOAD) at
 * time ts, moved to the CPU's last time if it is earlier. Returns -1 on a write error
 * (printed). */
int tdat_record(struct tdat_cpu *c, int64_t ts, const void *payload, size_t n);
/* Events were lost on this CPU (count -1: unknown) after its last record: the next page
 * says so in its commit word. */
int tdat_lost(struct tdat_cpu *c, int64_t count);
/* Writes the open page; after that the CPU's data is tmp, pages * TDAT_PAGE bytes. */
int tdat_finish(struct tdat_cpu *c);

#endif
