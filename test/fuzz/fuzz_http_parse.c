/* Fuzz target for httpd/parse.c. Besides crashes and sanitizer reports, it checks the
 * parser's contract on every input:
 *  - the result is HTTP_INCOMPLETE, a head length within the input, or one of the
 *    documented -status codes;
 *  - a complete head ends with LF, re-parses to the same length on its own, and yields a
 *    path starting with '/', a known method and version, and a body within the limit;
 *  - a verdict on a prefix is final: if the first k bytes already give a head length or an
 *    error, the whole input gives the same (the server relies on this when it re-parses a
 *    growing buffer).
 * Built with -fsanitize=fuzzer for libFuzzer, or with -DFUZZ_REPLAY as a program that runs
 * the files named on its command line (or stdin) through the same checks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "httpd/parse.h"

static void fail(const char *what, long got)
{
	fprintf(stderr, "fuzz_http_parse: %s (result %ld)\n", what, got);
	abort();
}

static int known_status(long r)
{
	static const long ok[] = { -400, -411, -413, -414, -417, -431, -501, -505 };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (r == ok[i])
			return 1;
	return 0;
}

static void check_complete(const char *buf, long r, const struct http_request *req)
{
	struct http_request again;

	if (buf[r - 1] != '\n')
		fail("head does not end with LF", r);
	if (req->path[0] != '/' || strlen(req->path) >= sizeof(req->path))
		fail("bad path", r);
	if (req->method > HTTP_DELETE || (req->version != 10 && req->version != 11))
		fail("bad method or version", r);
	if (req->body_len > HTTP_MAX_BODY)
		fail("body over the limit", r);
	if (http_parse_request(buf, (size_t)r, &again) != r)
		fail("head alone parses differently", r);
}

static void check_input(const char *buf, size_t len, size_t k)
{
	struct http_request *req = malloc(sizeof(*req));
	long r, rk;

	r = http_parse_request(buf, len, req);
	if (r > (long)len || (r < 0 && !known_status(r)))
		fail("result out of range", r);
	if (r > 0)
		check_complete(buf, r, req);
	rk = http_parse_request(buf, k, req);
	if (rk != HTTP_INCOMPLETE && rk != r)
		fail("prefix verdict changed with more input", rk);
	free(req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so any read past the end is caught by ASan. */
	char *buf = malloc(size ? size : 1);
	size_t k;

	memcpy(buf, data, size);
	k = size ? (size * data[0]) / 256 : 0;
	check_input(buf, size, k);
	free(buf);
	return 0;
}

#ifdef FUZZ_REPLAY
static int replay(FILE *f)
{
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *buf = malloc(cap);

	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	FILE *f;
	int i;

	if (argc < 2)
		return replay(stdin);
	for (i = 1; i < argc; i++) {
		f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		replay(f);
		fclose(f);
	}
	return 0;
}
#endif
