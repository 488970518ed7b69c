/* glass record's flow control: contract in record_flow.h. */
#include <stdio.h>
#include <string.h>

#include "tools/glass/record_flow.h"

#define OPTIONS_PATH "/ftrace/trace_options"

int record_flow_on(struct http_conn *c, bool quiet, bool *was_on)
{
	struct http_text t = { .len = 0 };
	char err[256];
	int status;

	status = http_get(c, OPTIONS_PATH, http_text_body, &t, err, sizeof(err));
	if (status != 200 || !strstr(t.s, "flow-control\n")) {
		if (!quiet)
			fprintf(stderr, "glass record: the guest has no flow control (%s): events "
				"are dropped when its buffers fill\n",
				status < 0 ? err : status != 200 ? "no trace_options" : "an older guest?");
		return -1;
	}
	*was_on = status == 200 && (!strncmp(t.s, "flow-control\n", 13) ||
				    strstr(t.s, "\nflow-control\n"));
	t.len = 0;
	status = http_put(c, OPTIONS_PATH, "flow-control", http_text_body, &t, err, sizeof(err));
	if (status != 200) {
		if (!quiet)
			fprintf(stderr, "glass record: cannot turn flow control on: %s\n",
				status < 0 ? err : t.s);
		return -1;
	}
	return 0;
}

void record_flow_restore(struct http_conn *c, bool was_on)
{
	struct http_text t = { .len = 0 };
	char err[256];

	if (!was_on)
		http_put(c, OPTIONS_PATH, "noflow-control", http_text_body, &t, err, sizeof(err));
}
