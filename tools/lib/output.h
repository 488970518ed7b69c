/* Buffered output to a file or stdout, zstd-compressed when the file name ends in ".zst",
 * with the number formatting the CSV and JSON writers need (no printf on the hot path). */
#ifndef TOOLS_LIB_OUTPUT_H
#define TOOLS_LIB_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct output {
	char *buf;
	size_t len, cap;
	int fd;		/* -1: memory output */
	const char *name;
	void *zctx;	/* ZSTD_CCtx *, NULL when plain */
	char *zbuf;
	size_t zcap;
	bool failed;
};

/* path NULL or "-" = stdout. Returns NULL and prints "PATH: reason" on failure. */
struct output *output_open(const char *path);
/* An output that collects everything in memory (buf, len), for HTTP responses. */
struct output *output_open_mem(void);
/* Flushes, ends the zstd frame and closes; returns 0, or -1 after printing why. */
int output_close(struct output *o);
/* Memory output: returns the text (NUL-terminated, caller frees) and frees the rest. */
char *output_take(struct output *o, size_t *len);
void output_flush(struct output *o);
/* Makes room for n more bytes: flushes a file output, grows a memory output. */
void output_make_room(struct output *o, size_t n);

static inline void output_reserve(struct output *o, size_t n)
{
	if (o->len + n > o->cap)
		output_make_room(o, n);
}

void output_write(struct output *o, const char *s, size_t n);
void output_str(struct output *o, const char *s);
void output_char(struct output *o, char c);
void output_i64(struct output *o, int64_t v);
/* ns as microseconds with exactly 3 decimals: 1234 -> "1.234", -5 -> "-0.005". */
void output_us(struct output *o, int64_t ns);
/* A CSV field, quoted (RFC 4180) only when it holds a comma, quote or line break. */
void output_csv_field(struct output *o, const char *s, size_t n);
/* A JSON string with quotes; control and non-ASCII bytes become \u00XX so any input
 * yields valid JSON (names are ASCII in practice). */
void output_json_str(struct output *o, const char *s, size_t n);

#endif
