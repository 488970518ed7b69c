/* Physical page allocator. Memory is identity-mapped, so the pointers it returns are also
 * the physical addresses. All functions are IRQ-safe and may be called on any CPU. */
#ifndef KERNEL_PAGE_H
#define KERNEL_PAGE_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)

/* Hands RAM [base, base+len) to the allocator (rounded inward to whole pages). The first
 * pages of the range hold its allocation bitmap. At most PAGE_MAX_RANGES ranges are kept;
 * ranges beyond that, or too small to hold a bitmap and one page, are ignored. */
#define PAGE_MAX_RANGES	16
void page_add_range(uint64_t base, uint64_t len);

/* npages contiguous, page-aligned pages (contents undefined), or NULL if no free run is
 * long enough. First fit, so long runs stay available at the top of memory. */
void *page_alloc(size_t npages);

/* As page_alloc, with the start aligned to align_pages pages (a power of two). */
void *page_alloc_aligned(size_t npages, size_t align_pages);

/* Returns pages from page_alloc; freeing pages that are not allocated panics. */
void page_free(void *p, size_t npages);

/* Free pages right now, and all pages under management. */
size_t page_free_count(void);
size_t page_total_count(void);

#endif
