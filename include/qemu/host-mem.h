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
/* Give back what qemu_anon_alloc(size, ...) returned; NULL is ignored. */
void qemu_anon_free(void *p, size_t size);

#endif
