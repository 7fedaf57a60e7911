/*
 * The one way host code touches guest memory: bounds-checked reads, writes
 * and loads/stores of guest-physical addresses in RAM.
 *
 * Every function validates the whole range before it touches anything, so a
 * call that fails has changed nothing.  Hypercall, RTAS, VOF and device code
 * must never turn a guest value into a host pointer by arithmetic of its own.
 */
#ifndef EXEC_GUEST_MEMORY_H
#define EXEC_GUEST_MEMORY_H

#include "qemu/osdep.h"

/*
 * Allocate guest RAM (zeroed) of the given size at guest-physical 0; replaces
 * any previous RAM.  The host mapping reserves the span guest_ram_reserve()
 * asked for (at least size): memory plugged later lands in it, so every
 * guest-physical address is one offset from the same host base.
 */
void guest_ram_reserve(uint64_t span);
void guest_ram_init(uint64_t size);
void guest_ram_free(void);
uint64_t guest_ram_span(void);
/*
 * Move a memory backend's host mapping host (len bytes) to guest-physical
 * addr inside the span; the new host address, or NULL with errno.  RAM the
 * range held before is dropped.
 */
void *guest_ram_place(hwaddr addr, void *host, uint64_t len);
/* Unmap a backend's mapping (inside the span: back to the reservation). */
void guest_ram_release(void *host, uint64_t len);
/*
 * [base, base + size) above the boot RAM becomes RAM (a plugged DIMM whose
 * backend was placed there) or stops being RAM.  false: outside the span or
 * no room in the table.
 */
bool guest_ram_plug(hwaddr base, uint64_t size);
void guest_ram_unplug(hwaddr base);
/* The address of the first plugged range that starts above addr; UINT64_MAX when none. */
hwaddr guest_ram_next_plugged(hwaddr addr);
/* The boot RAM's size (plugged memory not included). */
uint64_t guest_ram_size(void);

/* True when [addr, addr + len) lies inside RAM (boot or plugged), without wrap-around. */
bool guest_range_valid(hwaddr addr, uint64_t len);

/*
 * Host pointer to a validated range, or NULL when any byte of it is outside
 * RAM.  For hot paths (the CPU's soft TLB, bulk copies); the pointer is only
 * good for that range.
 */
void *guest_ram_ptr(hwaddr addr, uint64_t len);

bool guest_read(hwaddr addr, void *buf, uint64_t len);
bool guest_write(hwaddr addr, const void *buf, uint64_t len);
bool guest_memset(hwaddr addr, int c, uint64_t len);
/* Overlap-safe copy inside RAM (memmove semantics). */
bool guest_memmove(hwaddr dst, hwaddr src, uint64_t len);

/*
 * Pages holding translated code (4 KiB granules).  A host-side write to such
 * a page (any function here) calls the code-write notifier, so the CPU
 * forgets its translations before it fetches again.
 */
#define GUEST_CODE_PAGE_BITS 12
/* true: the page was not marked before. */
bool guest_ram_mark_code(hwaddr addr);
bool guest_ram_is_code(hwaddr addr);
void guest_ram_clear_code(void);
void guest_ram_clear_code_page(hwaddr addr);
void guest_ram_set_code_write_notifier(void (*fn)(hwaddr page));
/* Who writes through a guest_ram_ptr() pointer must report the range. */
void guest_ram_note_write(hwaddr addr, uint64_t len);

/*
 * Dirty pages (4 KiB), for migration.  Every host write here marks its
 * pages; a CPU marks a page before it fills a soft-TLB write entry for it.
 * guest_ram_dirty_sync() ORs into bitmap (npages bits from address 0) the
 * pages written since the last sync (all: every page ever written), clears
 * them, and has every CPU drop its write entries before it returns, so the
 * next store to any page marks it again; it returns how many bits it set.
 * A page never written reads as zeros.
 */
#define GUEST_DIRTY_PAGE_BITS 12
void guest_ram_mark_dirty(hwaddr addr);
uint64_t guest_ram_dirty_sync(unsigned long *bitmap, uint64_t npages, bool all);
/* The CPUs' "drop every write entry and wait until done" (set once by the CPU code). */
void guest_ram_set_dirty_flush(void (*fn)(void));
/* The page at addr was written since RAM was allocated (or brought by a backend). */
bool guest_ram_page_written(hwaddr addr);

/* Loads and stores: false when outside RAM, *val untouched then. */
bool guest_ldub(hwaddr addr, uint8_t *val);
bool guest_lduw_be(hwaddr addr, uint16_t *val);
bool guest_ldl_be(hwaddr addr, uint32_t *val);
bool guest_ldq_be(hwaddr addr, uint64_t *val);
bool guest_lduw_le(hwaddr addr, uint16_t *val);
bool guest_ldl_le(hwaddr addr, uint32_t *val);
bool guest_ldq_le(hwaddr addr, uint64_t *val);
bool guest_stb(hwaddr addr, uint8_t val);
bool guest_stw_be(hwaddr addr, uint16_t val);
bool guest_stl_be(hwaddr addr, uint32_t val);
bool guest_stq_be(hwaddr addr, uint64_t val);
bool guest_stw_le(hwaddr addr, uint16_t val);
bool guest_stl_le(hwaddr addr, uint32_t val);
bool guest_stq_le(hwaddr addr, uint64_t val);

#endif
