#include <string.h>
#include "kernel/cmdline.h"
#include "platform/platform.h"

/* Finds `s` (length n) as the start of a word; returns the character after it or NULL. */
static const char *word_start(const char *s, size_t n)
{
	const char *c = plat_cmdline();

	for (const char *p = c; (p = strstr(p, s)); p += n)
		if (p == c || p[-1] == ' ')
			return p + n;
	return NULL;
}

bool cmdline_has(const char *word)
{
	const char *end = word_start(word, strlen(word));
	return end && (*end == ' ' || *end == 0);
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
	char pat[64];
	size_t n = strlen(key), i = 0;
	const char *v;

	if (n + 2 > sizeof(pat) || !size)
		return false;
	memcpy(pat, key, n);
	pat[n] = '=';
	pat[n + 1] = 0;
	v = word_start(pat, n + 1);
	if (!v)
		return false;
	while (v[i] && v[i] != ' ' && i + 1 < size) {
		buf[i] = v[i];
		i++;
	}
	buf[i] = 0;
	return true;
}
