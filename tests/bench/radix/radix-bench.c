/* The radix benchmark guest: 256 MiB mapped with 64K radix pages (quadrant 0,
 * PID 1), a sieve of Eratosthenes over all of it (2^26 32-bit flags) with
 * translation on,
 * then the prime count; scripts/bench.sh times it on ours and on QEMU. */
#include "../../guest/runtime/guest.h"

#define H_REGISTER_PROC_TBL 0x37c
#define PT_REGISTER_RADIX 0x1d /* MODIFY | NEW | RADIX | GTSE */

#define PPC_BIT(n) (1ULL << (63 - (n)))
#define MSR_IR PPC_BIT(58)
#define MSR_DR PPC_BIT(59)

/* Radix entries: valid, leaf, referenced, changed, privileged, read/write, execute. */
#define V PPC_BIT(0)
#define L PPC_BIT(1)
#define PTE_BITS (PPC_BIT(55) | PPC_BIT(56) | PPC_BIT(60) | PPC_BIT(62) | PPC_BIT(63))

#define TABLES 0x2000000ULL
#define SIEVE_RA 0x10000000ULL   /* 256 MiB of RAM from here ... */
#define SIEVE_EA 0x100000000ULL  /* ... seen at 4 GiB */
#define SIEVE_SIZE 0x10000000ULL /* bytes: one 32-bit flag per number below 2^26 */
#define PAGE_64K 0x10000ULL

static uint64_t be64(uint64_t v)
{
#ifdef __LITTLE_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

static uint64_t next_free = TABLES;

static uint64_t *alloc_table(uint64_t size)
{
    uint64_t addr = (next_free + size - 1) & ~(size - 1);

    next_free = addr + size;
    memset((void *)addr, 0, size);
    return (uint64_t *)addr;
}

static uint64_t *subdir(uint64_t *dir, unsigned index, unsigned nls)
{
    uint64_t e = be64(dir[index]);
    uint64_t *next;

    if (e & V) {
        return (uint64_t *)(e & 0x0fffffffffffff00ULL);
    }
    next = alloc_table(8ULL << nls);
    dir[index] = be64(V | (uintptr_t)next | nls);
    return next;
}

/* A 1G page (level 1) or a 64K page (level 3 of 2^5 entries) in a 52-bit tree. */
static void map(uint64_t *root, uint64_t ea, uint64_t ra, bool huge)
{
    uint64_t *l1 = subdir(root, (ea >> 39) & 0x1fff, 9), *l2, *l3;

    if (huge) {
        l1[(ea >> 30) & 0x1ff] = be64(V | L | ra | PTE_BITS);
        return;
    }
    l2 = subdir(l1, (ea >> 30) & 0x1ff, 9);
    l3 = subdir(l2, (ea >> 21) & 0x1ff, 5);
    l3[(ea >> 16) & 0x1f] = be64(V | L | ra | PTE_BITS);
}

static uint64_t mftb(void)
{
    uint64_t v;

    asm volatile("mfspr %0,268" : "=r"(v));
    return v;
}

static uint64_t sieve(volatile uint32_t *composite, uint64_t n)
{
    uint64_t count = 0;

    for (uint64_t i = 2; i < n; i++) {
        if (composite[i]) {
            continue;
        }
        count++;
        for (uint64_t j = i * i; j < n; j += i) {
            composite[j] = 1;
        }
    }
    return count;
}

int main(void *fdt)
{
    uint64_t *prtb = alloc_table(0x1000), *root = alloc_table(8 << 13);
    uint64_t r[9] = { PT_REGISTER_RADIX, (uintptr_t)prtb, 0, 0 };
    uint64_t msr, t0, count;

    /* Process 1: the image at EA = RA (a 1G page), the sieve in 64K pages. */
    prtb[2] = be64((2ULL << 61) | (5ULL << 5) | (uintptr_t)root | 13);
    map(root, 0, 0, true);
    for (uint64_t off = 0; off < SIEVE_SIZE; off += PAGE_64K) {
        map(root, SIEVE_EA + off, SIEVE_RA + off, false);
    }
    if (guest_hcall(H_REGISTER_PROC_TBL, r) != H_SUCCESS) {
        guest_fail("H_REGISTER_PROC_TBL failed");
    }
    asm volatile("mtspr 48,%0; isync" : : "r"(1ULL) : "memory");
    asm volatile("mfmsr %0" : "=r"(msr));
    asm volatile("mtmsrd %0" : : "r"(msr | MSR_IR | MSR_DR) : "memory");

    memset((void *)SIEVE_EA, 0, SIEVE_SIZE);
    t0 = mftb();
    count = sieve((volatile uint32_t *)SIEVE_EA, SIEVE_SIZE / 4);
    guest_printf("# ticks %lu\n", mftb() - t0);
    asm volatile("mtmsrd %0" : : "r"(msr) : "memory");
    guest_printf("primes below 2^26: %lu\n", count);
    guest_exit(0);
}
