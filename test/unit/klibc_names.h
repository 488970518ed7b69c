/* Forced into the host build of kernel/libc/string.c (gcc -include) and included by its
 * test: gives every function a kl_ name so it can be linked beside the host C library. */
#ifndef TEST_UNIT_KLIBC_NAMES_H
#define TEST_UNIT_KLIBC_NAMES_H

#define KLIBC_IMPL	/* string.h: no builtin macros over these names */
#define memcpy	kl_memcpy
#define memmove	kl_memmove
#define memset	kl_memset
#define memcmp	kl_memcmp
#define memchr	kl_memchr
#define strlen	kl_strlen
#define strnlen	kl_strnlen
#define strcmp	kl_strcmp
#define strncmp	kl_strncmp
#define strchr	kl_strchr
#define strrchr	kl_strrchr
#define strcpy	kl_strcpy
#define strncpy	kl_strncpy
#define strlcpy	kl_strlcpy
#define strstr	kl_strstr
#define strtoul	kl_strtoul
#define strtol	kl_strtol
#define atoi	kl_atoi
#define abs	kl_abs
#define labs	kl_labs

#endif
