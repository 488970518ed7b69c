/* `trace_dump=1` on the command line: after the app returns, print the whole `trace` file to
 * the console between marker lines, so tests can read a trace without the network. Only
 * built with TRACE=ftrace (kernel/kernel.mk); otherwise the weak no-op in init_weak.c. */
#include <errno.h>
#include <string.h>
#include "kernel/init.h"
#include "kernel/cmdline.h"
#include "kernel/compiler.h"
#include "kernel/heap.h"
#include "kernel/printf.h"
#include "platform/platform.h"
#include "trace/tracefs.h"

#define CHUNK 4096

notrace int trace_control(const char *file, const char *value)
{
	char why[128];
	int err = tracefs_write_file(file, value, why, sizeof(why));

	if (err)
		kprintf("glass: %s: %s\n", file, err == -EINVAL ? why : "cannot write");
	return err;
}

void trace_console_dump(void)
{
	struct tracefs_file *f;
	char *buf = kmalloc(CHUNK);
	long n;

	trace_control("tracing_on", "0");
	if (!buf || tracefs_open("trace", TRACEFS_READ, &f) != 0) {
		kprintf("glass: cannot read the trace\n");
		kfree(buf);
		return;
	}
	kprintf("=== glass trace begin ===\n");
	while ((n = tracefs_read(f, buf, CHUNK)) > 0)
		plat_console_write(buf, (size_t)n);
	tracefs_close(f);
	kprintf("=== glass trace end ===\n");
	kfree(buf);
}

/* Linux's boot parameters for ftrace, applied through the same tracefs files as HTTP
 * writes. Lists use commas on the command line (no spaces possible there). */
static const struct {
	const char *param, *file;
} boot_params[] = {
	{ "trace_buf_size", "buffer_size_kb" },
	{ "ftrace_filter", "set_ftrace_filter" },
	{ "ftrace_notrace", "set_ftrace_notrace" },
	{ "ftrace_graph_filter", "set_graph_function" },
	{ "ftrace_graph_notrace", "set_graph_notrace" },
	{ "ftrace_graph_max_depth", "max_graph_depth" },
	{ "tracing_thresh", "tracing_thresh" },
	{ "trace_options", "trace_options" },
	{ "ftrace", "current_tracer" },
	{ "trace_event", "set_event" },
	{ "profile_frequency", "profile_frequency" },
	{ "alloc_every", "alloc_every" },
};

notrace static void apply_list(const char *file, char *value)
{
	for (char *item = value, *next; item && *item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = 0;
		struct tracefs_file *f;
		int mode = TRACEFS_WRITE | (item != value ? TRACEFS_APPEND : 0);
		if (tracefs_open(file, mode, &f) != 0)
			continue;
		if (tracefs_write(f, item, strlen(item)) < 0)
			kprintf("glass: %s=%s: %s\n", file, item, tracefs_error(f));
		tracefs_close(f);
	}
}

/* Boot tracing has already started when the command line is read: with parameters, the
 * events recorded before they took effect are dropped, as if they had applied from the
 * start (Linux applies them before tracing begins). */
notrace void trace_apply_boot_params(void)
{
	char value[256];
	bool any = false;

	for (size_t i = 0; i < sizeof(boot_params) / sizeof(boot_params[0]); i++) {
		if (!cmdline_get(boot_params[i].param, value, sizeof(value)))
			continue;
		if (!any)
			trace_control("tracing_on", "0");
		any = true;
		apply_list(boot_params[i].file, value);
	}
	if (any) {
		trace_control("trace", "");
		trace_control("tracing_on", "1");
	}
}
