/*
 * Large zeroed host allocations taken straight from the kernel (tables the
 * machine owns, such as the hashed page table), backed by huge pages.
 */
#ifndef QEMU_HOST_MEM_H
#define QEMU_HOST_MEM_H

#include "qemu/osdep.h"

/*
 * size zeroed bytes aligned on align (a power of two), backed by
 * transparent huge pages where the host has them, so that filling a
 * multi-megabyte table costs a few page faults instead of one per 4 KiB.
 * Exits with a message when the host has no memory left.
 */
void *qemu_anon_alloc(size_t size, size_t align);
/* The transparent huge page of x86-64 hosts: 2 MiB. */
#define QEMU_HUGE_PAGE_SIZE ((size_t)2 << 20)

/* Give back what qemu_anon_alloc(size, ...) returned; NULL is ignored. */
void qemu_anon_free(void *p, size_t size);

/*
 * A private anonymous mapping that is filled from its start and then emptied
 * at once, again and again (the translation caches): its resident pages are
 * those of its fullest filling ever, however little the later ones use.
 * qemu_anon_trim gives the pages of [keep, high) back to the kernel, which
 * hands zeroed pages out again when they are next touched; keep is rounded
 * up and high down to whole pages.  Returns the bytes given back.
 */
size_t qemu_anon_trim(void *base, size_t keep, size_t high);
/*
 * A translation cache (see qemu_anon_trim): size bytes (a multiple of
 * QEMU_HUGE_PAGE_SIZE) mapped with prot, reserving nothing (MAP_NORESERVE), aligned on
 * and backed by transparent huge pages where the host has them, so that
 * filling it costs a page fault per 2 MiB instead of one per 4 KiB (on the
 * project machine, a virtual machine, about 14 us of CPU each: thousands a
 * Linux boot).  NULL when the host refuses; free with qemu_anon_free.
 */
void *qemu_anon_map_cache(size_t size, int prot);
/*
 * qemu_anon_trim for such a cache: keep and high are rounded up to whole
 * huge pages, so a trim never splits the huge page a filling ends in, and
 * gives back the whole of the one the fuller filling ended in (the host
 * faulted it in whole).
 */
size_t qemu_anon_trim_cache(void *base, size_t keep, size_t high);
/* The resident bytes of [base, base + len) (base page-aligned), from mincore(2). */
size_t qemu_anon_resident(const void *base, size_t len);

#endif
