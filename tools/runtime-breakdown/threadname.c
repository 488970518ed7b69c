#include "tools/runtime-breakdown/threadname.h"

#include <stdio.h>

#include "tools/runtime-breakdown/load.h"

const char *thread_label(char *buf, int64_t tid)
{
	const char *comm = load_comm(tid);

	if (tid < 0)
		snprintf(buf, THREAD_LABEL_MAX, "unknown thread");
	else if (!comm && tid == 0)	/* the idle task, as Linux prints it */
		snprintf(buf, THREAD_LABEL_MAX, "<idle>-0");
	else
		snprintf(buf, THREAD_LABEL_MAX, "%.120s-%lld", comm ? comm : "<...>",
			 (long long)tid);
	return buf;
}
