/*
 * A guest for live migration tests: it rewrites 4 KiB pages of a 32 MiB
 * array at a steady pace (MIGDIRTY_RATE pages per second of timebase)
 * while printing a line per round, so pre-copy sees pages dirtied during
 * every pass; then a checksum of the whole array.  The work done is fixed
 * (only its pace follows the clock): a migrated run must end with the
 * checksum of an unmigrated one (tests/guest/run-migration.py).  The
 * timebase must never go back, across any number of migrations.
 */
#include "runtime/guest.h"

#define PAGES 8192u /* 32 MiB */
#define WORDS_PER_PAGE 512u
#ifndef MIGDIRTY_RATE
#define MIGDIRTY_RATE 2000u /* pages per second */
#endif
#ifndef MIGDIRTY_ROUNDS
#define MIGDIRTY_ROUNDS 24u
#endif
#define STEPS_PER_ROUND 500u
#define TB_HZ 512000000ull

static uint64_t buf[PAGES * WORDS_PER_PAGE] __attribute__((aligned(4096)));

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

int main(void *fdt)
{
    uint64_t start, last_tb, sum = 0x0123456789abcdefull;
    uint32_t page = 0, step = 0;

    for (uint32_t i = 0; i < PAGES * WORDS_PER_PAGE; i++) {
        buf[i] = mix(i);
    }
    start = last_tb = guest_mftb();
    for (uint32_t r = 0; r < MIGDIRTY_ROUNDS; r++) {
        for (uint32_t s = 0; s < STEPS_PER_ROUND; s++, step++) {
            uint64_t due = start + (uint64_t)step * (TB_HZ / MIGDIRTY_RATE), tb;
            uint64_t *p = &buf[(uint64_t)page * WORDS_PER_PAGE];

            /* The timebase is monotonic, on the destination too. */
            while ((tb = guest_mftb()) < due) {
                CHECK(tb >= last_tb);
                last_tb = tb;
            }
            CHECK(tb >= last_tb);
            last_tb = tb;
            for (uint32_t w = 0; w < WORDS_PER_PAGE; w++) {
                p[w] = mix(p[w] ^ step ^ w);
            }
            /* a stride that visits every page: odd and PAGES a power of two */
            page = (page + 2053) % PAGES;
        }
        guest_printf("migdirty: round %u step %u\n", r, step);
    }
    for (uint32_t i = 0; i < PAGES * WORDS_PER_PAGE; i++) {
        sum = mix(sum ^ buf[i]);
    }
    guest_printf("migdirty: checksum %016lx\n", sum);
    CHECK(sum != 0);
    return 0;
}
