/* libFuzzer target: arbitrary bytes as a capture file, through the whole reading path of
 * glass report (capture.c's checks, the raw header parser, capdecode's frame reassembly
 * and slot decoding, the kernel's printer). The file is handed over as a memfd, the way a
 * real one is opened: by path. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tools/lib/captext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[1 << 16];
	char path[64];
	int fd = memfd_create("capture", 0);
	struct captext *t;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		__builtin_trap();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	t = captext_open(path);
	if (t) {
		while (captext_read(t, buf, sizeof(buf)) > 0)
			;
		captext_close(t);
	}
	close(fd);
	return 0;
}
