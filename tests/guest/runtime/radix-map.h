/* Radix page tables for guest programs: a process table and 52-bit trees built
 * in guest real memory, mappings of 4K/64K/2M/1G pages, H_REGISTER_PROC_TBL and
 * translation on/off. Used by radix.c, problem.c and the radix benchmark. */
#ifndef GUEST_RADIX_MAP_H
#define GUEST_RADIX_MAP_H

#include "guest.h"

#ifndef PPC_BIT
#define PPC_BIT(n) (1ULL << (63 - (n)))
#endif

#define H_REGISTER_PROC_TBL 0x37c

/* H_REGISTER_PROC_TBL flags (Linux asm/hvcall.h) */
#define PT_GTSE 0x01
#define PT_HPT_PT 0x02
#define PT_RADIX 0x04
#define PT_NEW 0x08
#define PT_MODIFY 0x10
#define PT_REGISTER_RADIX (PT_MODIFY | PT_NEW | PT_RADIX | PT_GTSE)

/* Radix tree entries (ISA 3.0B Book III 5.7.10.2): valid, leaf, then a leaf's
 * reference/change bits, attributes and permissions. */
#define RPTE_V PPC_BIT(0)
#define RPTE_L PPC_BIT(1)
#define RPTE_R PPC_BIT(55)
#define RPTE_C PPC_BIT(56)
#define RPTE_NI_IO PPC_BIT(58) /* non-idempotent I/O (guarded) */
#define RPTE_PRIV PPC_BIT(60)
#define RPTE_RD PPC_BIT(61)
#define RPTE_RW PPC_BIT(62)
#define RPTE_EX PPC_BIT(63)
#define RPTE_RPN_MASK 0x01fffffffffff000ULL
#define RPDE_NLB_MASK 0x0fffffffffffff00ULL

/* Page sizes radix_map() takes, as shifts. */
#define RADIX_4K 12
#define RADIX_64K 16
#define RADIX_2M 21
#define RADIX_1G 30

/*
 * Start allocating tables at real address @base (EA = RA while translation is
 * off; the caller keeps the region out of the image and mapped the same if it
 * edits tables with translation on). Every table is zeroed and aligned to its
 * size. Then the process table (4K: 256 processes) comes first.
 */
void radix_tables_init(uint64_t base);
uint64_t *radix_alloc(uint64_t size);
/* The process table (allocated by radix_tables_init). */
uint64_t *radix_process_table(void);
/* Where the next table would go (tables lie in [base, radix_tables_end())). */
uint64_t radix_tables_end(void);

/* A new empty tree: a root of 2^13 entries for a 52-bit effective address space. */
uint64_t *radix_new_tree(void);
/* Process-table entry @pid (0..255) points to the tree @root. */
void radix_set_process(unsigned pid, uint64_t *root);

/*
 * Map the page of 2^@shift bytes (RADIX_4K ... RADIX_1G) at @ea to @ra in @root
 * with the leaf bits @bits (RPTE_PRIV | RPTE_RW | RPTE_R | RPTE_C...); the upper
 * 2 EA bits (the quadrant) are ignored. Returns the leaf entry (big-endian in
 * memory: read it with radix_be64()).
 */
uint64_t *radix_map(uint64_t *root, uint64_t ea, uint64_t ra, unsigned shift, uint64_t bits);
/* Map @size bytes (a multiple of the page size) from @ea to @ra. */
void radix_map_range(uint64_t *root, uint64_t ea, uint64_t ra, uint64_t size, unsigned shift,
                     uint64_t bits);

/* Byte order of table entries: big-endian; this converts either way. */
uint64_t radix_be64(uint64_t v);

/* H_REGISTER_PROC_TBL(flags, base, page size, table size); returns r3. */
int64_t radix_proc_tbl(uint64_t flags, uint64_t base, uint64_t ps, uint64_t size);
/* Register our process table for radix with GTSE; returns r3. */
int64_t radix_register(void);

/* PIDR (SPR 48), followed by isync. */
void radix_set_pidr(uint64_t pid);
/* Set PIDR and turn MSR[IR] and MSR[DR] on; returns the MSR from before. */
uint64_t radix_translation_on(uint64_t pid);
/* Put back the MSR radix_translation_on() returned. */
void radix_translation_off(uint64_t msr);

#endif
