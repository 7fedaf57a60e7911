/* Radix page tables for guest programs (see radix-map.h). */
#include "radix-map.h"

#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)

/* A 52-bit tree: a root of 13 bits, then 9, 9 and 9 (4K leaves) or 5 (64K). */
#define ROOT_BITS 13
#define LEVEL_BITS 9
#define LEVEL3_64K_BITS 5
#define TREE_BITS 52
#define PROCESS_TABLE_SIZE 0x1000ULL

static uint64_t next_free;
static uint64_t *prtb;

uint64_t radix_be64(uint64_t v)
{
#ifdef __LITTLE_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

uint64_t *radix_alloc(uint64_t size)
{
    uint64_t addr = (next_free + size - 1) & ~(size - 1);

    next_free = addr + size;
    memset((void *)addr, 0, size);
    return (uint64_t *)addr;
}

void radix_tables_init(uint64_t base)
{
    next_free = base;
    prtb = radix_alloc(PROCESS_TABLE_SIZE);
}

uint64_t *radix_process_table(void)
{
    return prtb;
}

uint64_t radix_tables_end(void)
{
    return next_free;
}

uint64_t *radix_new_tree(void)
{
    return radix_alloc(8ULL << ROOT_BITS);
}

/* Process-table entry: RTS = tree size - 31, split into 2 + 3 bits; RPDS = 13. */
void radix_set_process(unsigned pid, uint64_t *root)
{
    uint64_t rts = TREE_BITS - 31;

    prtb[2 * pid] = radix_be64(((rts >> 3) << 61) | ((rts & 7) << 5) | (uintptr_t)root | ROOT_BITS);
    prtb[2 * pid + 1] = 0;
}

/* The next level under dir[index], created with 2^nls entries when missing. */
static uint64_t *subdir(uint64_t *dir, unsigned index, unsigned nls)
{
    uint64_t e = radix_be64(dir[index]);
    uint64_t *next;

    if (e & RPTE_V) {
        return (uint64_t *)(e & RPDE_NLB_MASK);
    }
    next = radix_alloc(8ULL << nls);
    dir[index] = radix_be64(RPTE_V | (uintptr_t)next | nls);
    return next;
}

uint64_t *radix_map(uint64_t *root, uint64_t ea, uint64_t ra, unsigned shift, uint64_t bits)
{
    unsigned nls3 = shift == RADIX_64K ? LEVEL3_64K_BITS : LEVEL_BITS;
    uint64_t *dir, *pte;

    ea &= 0x3fffffffffffffffULL;
    dir = subdir(root, (ea >> 39) & ((1u << ROOT_BITS) - 1), LEVEL_BITS);
    if (shift == RADIX_1G) {
        pte = &dir[(ea >> 30) & 0x1ff];
    } else {
        dir = subdir(dir, (ea >> 30) & 0x1ff, LEVEL_BITS);
        if (shift == RADIX_2M) {
            pte = &dir[(ea >> 21) & 0x1ff];
        } else {
            dir = subdir(dir, (ea >> 21) & 0x1ff, nls3);
            pte = &dir[(ea >> shift) & ((1u << nls3) - 1)];
        }
    }
    *pte = radix_be64(RPTE_V | RPTE_L | (ra & RPTE_RPN_MASK) | bits);
    return pte;
}

void radix_map_range(uint64_t *root, uint64_t ea, uint64_t ra, uint64_t size, unsigned shift,
                     uint64_t bits)
{
    for (uint64_t off = 0; off < size; off += 1ULL << shift) {
        radix_map(root, ea + off, ra + off, shift, bits);
    }
}

int64_t radix_proc_tbl(uint64_t flags, uint64_t base, uint64_t ps, uint64_t size)
{
    uint64_t r[9] = { flags, base, ps, size };

    return guest_hcall(H_REGISTER_PROC_TBL, r);
}

int64_t radix_register(void)
{
    return radix_proc_tbl(PT_REGISTER_RADIX, (uintptr_t)prtb, 0, 0);
}

void radix_set_pidr(uint64_t pid)
{
    asm volatile("mtspr 48,%0; isync" : : "r"(pid) : "memory");
}

uint64_t radix_translation_on(uint64_t pid)
{
    uint64_t msr;

    radix_set_pidr(pid);
    asm volatile("mfmsr %0" : "=r"(msr));
    asm volatile("mtmsrd %0" : : "r"(msr | MSR_IR | MSR_DR) : "memory");
    return msr;
}

void radix_translation_off(uint64_t msr)
{
    asm volatile("mtmsrd %0" : : "r"(msr) : "memory");
}
