/*
 * Large zeroed host allocations (include/qemu/host-mem.h): anonymous
 * mappings, aligned by trimming, with transparent huge pages asked for.
 */
#include "qemu/host-mem.h"
#include "qemu/error-report.h"

#include <sys/mman.h>

void *qemu_anon_alloc(size_t size, size_t align)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len, head, tail;
    uint8_t *p, *start;

#define HUGE_PAGE_SIZE (2u << 20)
    align = MAX(align, page);
    if (size >= HUGE_PAGE_SIZE) {
        /* whole huge pages: the kernel backs only aligned 2 MiB ranges */
        align = MAX(align, HUGE_PAGE_SIZE);
    }
    size = QEMU_ALIGN_UP(size, page);
    len = size + align - page;
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        error_exit("cannot allocate %zu bytes: %s", size, strerror(errno));
    }
    start = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)p, align);
    head = start - p;
    tail = len - head - size;
    if (head) {
        munmap(p, head);
    }
    if (tail) {
        munmap(start + size, tail);
    }
#ifdef MADV_HUGEPAGE
    /* Only a hint: hosts without transparent huge pages refuse it. */
    madvise(start, size, MADV_HUGEPAGE);
#endif
    return start;
}

void qemu_anon_free(void *p, size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    if (p) {
        munmap(p, QEMU_ALIGN_UP(size, page));
    }
}

size_t qemu_anon_trim(void *base, size_t keep, size_t high)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t from = QEMU_ALIGN_UP(keep, page), to = QEMU_ALIGN_DOWN(high, page);

    if (to <= from) {
        return 0;
    }
    /* Only a hint for the kernel: a failure leaves the pages, and the contents are dead. */
    if (madvise((uint8_t *)base + from, to - from, MADV_DONTNEED) < 0) {
        return 0;
    }
    return to - from;
}

size_t qemu_anon_resident(const void *base, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = QEMU_ALIGN_UP(len, page) / page, n = 0;
    g_autofree unsigned char *vec = g_malloc(pages);

    if (mincore((void *)base, len, vec) < 0) {
        return 0;
    }
    for (size_t i = 0; i < pages; i++) {
        n += vec[i] & 1;
    }
    return n * page;
}
