/* The kernel heap, on top of the page allocator. Sizes up to 2048 bytes come from
 * power-of-two size classes (16..2048) carved from 16 KiB slabs; larger ones are whole
 * pages with a 16-byte header. Every pointer is 16-byte aligned. All functions are
 * IRQ-safe and may be called on any CPU.
 *
 * kfree and krealloc check their pointer: one that was not returned by kmalloc (or points
 * inside an allocation), or that was already freed, panics with the reason. A corrupted
 * free list (a write after free) also panics at the next allocation from that slab. */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <stddef.h>

#define HEAP_MAX_SMALL	2048

/* size bytes, or NULL when memory is exhausted. kmalloc(0) returns a unique pointer. */
void *kmalloc(size_t size);
/* As kmalloc, zero-filled. */
void *kzalloc(size_t size);
/* Frees p (NULL is allowed). */
void kfree(void *p);
/* C realloc: NULL p allocates, size 0 frees and returns NULL; on failure p is untouched
 * and NULL is returned. Keeps p when its block already has the right size. */
void *krealloc(void *p, size_t size);
/* Bytes usable at p (a live allocation), at least what was asked for. */
size_t kmalloc_usable_size(const void *p);

#endif
