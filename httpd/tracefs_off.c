/* tracefs when the kernel is built without TRACE=ftrace: no files, and every open fails
 * with -ENOSYS, which the /ftrace/ routes answer with 503 and a clear reason. */
#include <errno.h>
#include "trace/tracefs.h"

int tracefs_open(const char *path, int mode, struct tracefs_file **out)
{
	(void)path;
	(void)mode;
	*out = NULL;
	return -ENOSYS;
}

long tracefs_read(struct tracefs_file *f, char *buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return -ENOSYS;
}

long tracefs_write(struct tracefs_file *f, const char *buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return -ENOSYS;
}

const char *tracefs_error(const struct tracefs_file *f)
{
	(void)f;
	return "tracing is not compiled in (build with TRACE=ftrace)";
}

void tracefs_close(struct tracefs_file *f)
{
	(void)f;
}

const char *const *tracefs_files(void)
{
	return NULL;
}
