/*
 * An integer workload for migration tests: rounds of mixing over a 4 MiB
 * array, a line per round, then (once 'q' is typed on the console) a
 * checksum.  A run migrated mid-way must print the same checksum as one
 * that was not (tests/guest/run-migration.py, run-snapshot.py).
 * Built with -DMIGWORK_RADIX (migwork-radix) it reaches the array through
 * radix translation, by 4 KiB pages mapped in reverse order at 1 GiB: the
 * process table, PIDR, LPCR and MSR[IR|DR] must all survive the migration.
 */
#include "runtime/guest.h"
#include "runtime/radix-map.h"

#define WORDS (1u << 20)
#define ROUNDS 400

static uint32_t buf[WORDS] __attribute__((aligned(4096)));

#ifdef MIGWORK_RADIX
#define RADIX_TABLES 0x3000000 /* 48 MiB: above the image, its array and stack */
#define ALIAS_EA 0x40000000ULL

/* The array as the loop sees it: page i of the alias is page N-1-i of buf. */
static uint32_t *array_view(void)
{
    uint64_t *root, pages = sizeof(buf) / 4096;
    uint64_t bits = RPTE_PRIV | RPTE_RW | RPTE_RD | RPTE_R | RPTE_C;

    radix_tables_init(RADIX_TABLES);
    root = radix_new_tree();
    radix_map(root, 0, 0, RADIX_1G, bits | RPTE_EX);
    for (uint64_t i = 0; i < pages; i++) {
        radix_map(root, ALIAS_EA + i * 4096, (uintptr_t)buf + (pages - 1 - i) * 4096, RADIX_4K,
                  bits);
    }
    radix_set_process(1, root);
    CHECK_EQ(radix_register(), 0);
    radix_translation_on(1);
    return (uint32_t *)ALIAS_EA;
}
#else
static uint32_t *array_view(void)
{
    return buf;
}
#endif

static uint64_t rotl(uint64_t v, unsigned n)
{
    return v << n | v >> (64 - n);
}

int main(void *fdt)
{
    uint64_t sum = 0x0123456789abcdefULL;
    uint32_t seed = 1;
    uint32_t *buf = array_view();

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
    /*
     * The script types 'q' once the migration is over: a source that gets
     * this far before its migration completes waits here, so the checksum
     * always comes from the destination, however slow the copy.
     */
    guest_printf("migwork: all rounds done, waiting for q\n");
    while (guest_getc() != 'q') {
    }
    guest_printf("migwork: checksum %016lx\n", sum);
    CHECK(sum != 0);
    return 0;
}
