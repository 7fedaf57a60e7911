/* The radix benchmark guest: 256 MiB mapped with 64K radix pages (quadrant 0,
 * PID 1), a sieve of Eratosthenes over all of it (2^26 32-bit flags) with
 * translation on,
 * then the prime count; scripts/bench.sh times it on ours and on QEMU. */
#include "../../guest/runtime/radix-map.h"

/* Leaf bits: referenced, changed, privileged, read/write, execute. */
#define PTE_BITS (RPTE_R | RPTE_C | RPTE_PRIV | RPTE_RW | RPTE_EX)

#define TABLES 0x2000000ULL
#define SIEVE_RA 0x10000000ULL   /* 256 MiB of RAM from here ... */
#define SIEVE_EA 0x100000000ULL  /* ... seen at 4 GiB */
#define SIEVE_SIZE 0x10000000ULL /* bytes: one 32-bit flag per number below 2^26 */

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
    uint64_t *root, msr, t0, count;

    /* Process 1: the image at EA = RA (a 1G page), the sieve in 64K pages. */
    radix_tables_init(TABLES);
    root = radix_new_tree();
    radix_set_process(1, root);
    radix_map(root, 0, 0, RADIX_1G, PTE_BITS);
    radix_map_range(root, SIEVE_EA, SIEVE_RA, SIEVE_SIZE, RADIX_64K, PTE_BITS);
    if (radix_register() != H_SUCCESS) {
        guest_fail("H_REGISTER_PROC_TBL failed");
    }
    msr = radix_translation_on(1);

    memset((void *)SIEVE_EA, 0, SIEVE_SIZE);
    t0 = guest_mftb();
    count = sieve((volatile uint32_t *)SIEVE_EA, SIEVE_SIZE / 4);
    guest_printf("# ticks %lu\n", guest_mftb() - t0);
    radix_translation_off(msr);
    guest_printf("primes below 2^26: %lu\n", count);
    guest_exit(0);
}
