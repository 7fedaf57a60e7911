/*
 * An integer workload for migration tests: rounds of mixing over a 4 MiB
 * array, a line per round, then a checksum.  A run migrated mid-way must
 * print the same checksum as one that was not (tests/guest/run-migration.py).
 */
#include "runtime/guest.h"

#define WORDS (1u << 20)
#define ROUNDS 400

static uint32_t buf[WORDS];

static uint64_t rotl(uint64_t v, unsigned n)
{
    return v << n | v >> (64 - n);
}

int main(void *fdt)
{
    uint64_t sum = 0x0123456789abcdefULL;
    uint32_t seed = 1;

    for (uint32_t i = 0; i < WORDS; i++) {
        seed = seed * 1103515245u + 12345u;
        buf[i] = seed;
    }
    for (uint32_t r = 0; r < ROUNDS; r++) {
        for (uint32_t i = 0; i < WORDS; i++) {
            uint32_t x = buf[i] ^ (buf[(i * 7 + r) & (WORDS - 1)] >> 3);

            x = x * 2654435761u + r;
            buf[i] = x;
            sum = rotl(sum, 5) ^ x;
        }
        guest_printf("migwork: round %u sum %016lx\n", r, sum);
    }
    /* Every word again: a page lost or stale in the copy changes this. */
    for (uint32_t i = 0; i < WORDS; i++) {
        sum = rotl(sum, 3) + buf[i];
    }
    guest_printf("migwork: checksum %016lx\n", sum);
    CHECK(sum != 0);
    return 0;
}
