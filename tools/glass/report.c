/* glass report: a capture file as the Linux text the guest's /ftrace/trace prints. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/glass/glass.h"
#include "tools/lib/captext.h"

static void usage(FILE *f)
{
	fputs("usage: glass report [-o FILE] CAPTURE\n"
	      "Prints a capture file of 'glass record' (plain or zstd) as the Linux\n"
	      "function_graph or function tracer text the guest's /ftrace/trace prints for the\n"
	      "same buffer: the tracer and trace_options of the capture's header.\n"
	      "  -o, --output FILE  write FILE instead of stdout\n"
	      "  -h, --help         this text\n", f);
}

static int copy_text(struct captext *t, FILE *out, const char *name)
{
	static char buf[1 << 20];
	size_t n;

	while ((n = captext_read(t, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	if (fflush(out) || ferror(out)) {
		perror(name);
		return 1;
	}
	return captext_failed(t) ? 1 : 0;
}

int glass_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outname = NULL;
	struct captext *t;
	FILE *out = stdout;
	int c, status;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (c == 'o') {
			outname = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	t = captext_open(argv[optind]);
	if (!t)
		return 1;
	if (outname && !(out = fopen(outname, "w"))) {
		perror(outname);
		captext_close(t);
		return 1;
	}
	status = copy_text(t, out, outname ? outname : "<stdout>");
	if (outname && fclose(out))
		status = 1;
	captext_close(t);
	return status;
}
