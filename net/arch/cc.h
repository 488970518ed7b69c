/* lwIP's compiler/platform port for the freestanding kernel: types come from the
 * compiler's own stdint.h/stddef.h, limits and printf formats are given here so that
 * lwIP needs only <string.h> and <stdlib.h> from kernel/libc. */
#ifndef NET_ARCH_CC_H
#define NET_ARCH_CC_H

#include <stdint.h>
#include <stddef.h>

#define BYTE_ORDER LITTLE_ENDIAN

#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_LIMITS_H   1
#define LWIP_NO_CTYPE_H    1
#define INT_MAX            __INT_MAX__

#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

/* lwIP's own errno values are not needed: no sockets layer. */
#define LWIP_PROVIDE_ERRNO 0

/* Diagnostics are compiled out; a failed assertion is a broken invariant (net/port.c). */
void net_lwip_assert(const char *msg, const char *file, int line);
#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_lwip_assert((x), __FILE__, __LINE__)

/* Only used for initial local ports and ISN mixing; the TSC is random enough for that. */
uint32_t net_lwip_rand(void);
#define LWIP_RAND() net_lwip_rand()

#endif
