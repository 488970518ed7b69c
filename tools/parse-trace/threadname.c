#include <stdio.h>

#include "tools/parse-trace/threadname.h"

void thread_name(const struct tparse *tp, int64_t tid, char buf[THREAD_NAME_MAX])
{
	const char *comm = tparse_comm(tp, tid);

	if (tid < 0)
		snprintf(buf, THREAD_NAME_MAX, "unknown thread");
	else
		snprintf(buf, THREAD_NAME_MAX, "%.100s-%lld", comm ? comm : "tid", (long long)tid);
}
