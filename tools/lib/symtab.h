/* Interned function names: each distinct name gets a small dense id (1, 2, ...; 0 = none),
 * so stacks and aggregates hold integers and memory grows with distinct names only. */
#ifndef TOOLS_LIB_SYMTAB_H
#define TOOLS_LIB_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct symtab;

struct symtab *symtab_new(void);
void symtab_free(struct symtab *st);
/* The id of name[0..n), adding it if new. Exits the program if memory runs out. */
uint32_t symtab_intern(struct symtab *st, const char *name, size_t n);
/* The id of name[0..n), or 0 if it was never interned. */
uint32_t symtab_find(const struct symtab *st, const char *name, size_t n);
/* Bytes readable past the end of any name (its NUL included), for chunked copies. */
#define SYMTAB_SLACK 16

/* The NUL-terminated name of id (1..symtab_count()); "" for 0. */
const char *symtab_name(const struct symtab *st, uint32_t id);
size_t symtab_len(const struct symtab *st, uint32_t id);
uint32_t symtab_count(const struct symtab *st);

#endif
