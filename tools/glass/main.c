/* glass: the host side of glass's raw trace transport. `glass record` drains a running
 * guest's ring buffers into a capture file, `glass report` prints it as Linux trace
 * text. See docs/glass.1. */
#include <stdio.h>
#include <string.h>

#include "tools/glass/glass.h"
#include "tools/lib/version.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "record", glass_record, "drain a running guest's trace buffers into a capture file" },
	{ "report", glass_report, "print a capture file as Linux function/function_graph text" },
};

static void usage(FILE *f)
{
	fputs("usage: glass COMMAND [options]\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
	fputs("'glass COMMAND --help' describes a command. Exit status: 0 ok, 1 bad input or\n"
	      "I/O error, 2 usage error.\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		puts("glass " GLASS_TOOLS_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "glass: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
