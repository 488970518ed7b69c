/* Line-by-line input from a file or stdin, plain or zstd-compressed (recognised by the zstd
 * frame magic, not by the name), read in large blocks and never held whole in memory. A
 * capture file of `glass record` (GLASSCAP magic, plain or zstd; not on stdin) reads as
 * the Linux text `glass report` prints for it.
 * Lines are returned as pointers into an internal buffer, valid until the next call. */
#ifndef TOOLS_LIB_INPUT_H
#define TOOLS_LIB_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longer lines are reported (input_line's *too_long) and skipped, not returned whole. */
#define INPUT_MAX_LINE (64 * 1024)

struct input;

/* path "-" is stdin. Returns NULL and prints "PATH: reason" to stderr on failure. */
struct input *input_open(const char *path);
/* The next line without its '\n' and its length; NULL at end of input or on error.
 * *too_long is set when the line exceeded INPUT_MAX_LINE (its first bytes are returned). */
const char *input_line(struct input *in, size_t *len, bool *too_long);
/* 1-based number of the line last returned. */
uint64_t input_lineno(const struct input *in);
/* Bytes of (decompressed) text consumed so far. */
uint64_t input_bytes(const struct input *in);
const char *input_name(const struct input *in);
bool input_is_zstd(const struct input *in);
bool input_is_capture(const struct input *in);
/* Non-NULL after a read error or a corrupt/truncated zstd stream: the reason. */
const char *input_error(const struct input *in);
void input_close(struct input *in);

#endif
