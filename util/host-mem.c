/*
 * Large zeroed host allocations (include/qemu/host-mem.h): anonymous
 * mappings, aligned by trimming, with transparent huge pages asked for.
 */
#include "qemu/host-mem.h"
#include "qemu/error-report.h"

#include <sys/mman.h>

/*
 * size bytes (a multiple of the page) aligned on align, mapped with prot and
 * flags, transparent huge pages asked for; NULL when the host refuses.
 */
static uint8_t *map_aligned(size_t size, size_t align, int prot, int flags)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = size + align - page, head, tail;
    uint8_t *p, *start;

    p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
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

void *qemu_anon_alloc(size_t size, size_t align)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *p;

    align = MAX(align, page);
    if (size >= QEMU_HUGE_PAGE_SIZE) {
        /* whole huge pages: the kernel backs only aligned 2 MiB ranges */
        align = MAX(align, QEMU_HUGE_PAGE_SIZE);
    }
    size = QEMU_ALIGN_UP(size, page);
    p = map_aligned(size, align, PROT_READ | PROT_WRITE, 0);
    if (!p) {
        error_exit("cannot allocate %zu bytes: %s", size, strerror(errno));
    }
    return p;
}

void *qemu_anon_map_cache(size_t size, int prot)
{
    g_assert(size && size % QEMU_HUGE_PAGE_SIZE == 0);
    return map_aligned(size, QEMU_HUGE_PAGE_SIZE, prot, MAP_NORESERVE);
}

size_t qemu_anon_trim_cache(void *base, size_t keep, size_t high)
{
    return qemu_anon_trim(base, QEMU_ALIGN_UP(keep, QEMU_HUGE_PAGE_SIZE),
                          QEMU_ALIGN_UP(high, QEMU_HUGE_PAGE_SIZE));
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
