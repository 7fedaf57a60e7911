/*
 * A guest for live migration tests: it rewrites 4 KiB pages of a 32 MiB
 * array at a steady pace (MIGDIRTY_RATE pages per second of timebase),
 * printing a line per round, so pre-copy sees pages dirtied during every
 * pass. It runs until a 'q' is typed on the console (tests/guest/run-migration.py
 * types it once the migrations are over), then checks itself: it replays every
 * step it made into a second array, unpaced, and compares the two. A page whose
 * writes a migration lost, or an old copy of one, makes them differ. The check
 * needs no unmigrated reference run and no guess at how long the migrations take.
 * The timebase must never go back, across any number of migrations.
 */
#include "runtime/guest.h"

#define PAGES 8192u /* 32 MiB */
#define WORDS_PER_PAGE 512u
#ifndef MIGDIRTY_RATE
#define MIGDIRTY_RATE 2000u /* pages per second */
#endif
#define STEPS_PER_ROUND 500u
#define TB_HZ 512000000ull
/* a stride that visits every page: odd, and PAGES a power of two */
#define STRIDE 2053u

static uint64_t buf[PAGES * WORDS_PER_PAGE] __attribute__((aligned(4096)));
static uint64_t replay[PAGES * WORDS_PER_PAGE] __attribute__((aligned(4096)));

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

static void fill(uint64_t *a)
{
    for (uint32_t i = 0; i < PAGES * WORDS_PER_PAGE; i++) {
        a[i] = mix(i);
    }
}

/* Step @step rewrites page @page; returns the page of the next step. */
static uint32_t rewrite(uint64_t *a, uint32_t page, uint32_t step)
{
    uint64_t *p = &a[(uint64_t)page * WORDS_PER_PAGE];

    for (uint32_t w = 0; w < WORDS_PER_PAGE; w++) {
        p[w] = mix(p[w] ^ step ^ w);
    }
    return (page + STRIDE) % PAGES;
}

int main(void *fdt)
{
    uint64_t start, last_tb, sum = 0x0123456789abcdefull;
    uint32_t page = 0, step = 0, round = 0, bad = 0;

    fill(buf);
    start = last_tb = guest_mftb();
    do {
        for (uint32_t s = 0; s < STEPS_PER_ROUND; s++, step++) {
            uint64_t due = start + (uint64_t)step * (TB_HZ / MIGDIRTY_RATE), tb;

            /* The timebase is monotonic, on the destination too. */
            while ((tb = guest_mftb()) < due) {
                CHECK(tb >= last_tb);
                last_tb = tb;
            }
            CHECK(tb >= last_tb);
            last_tb = tb;
            page = rewrite(buf, page, step);
        }
        guest_printf("migdirty: round %u step %u\n", round++, step);
    } while (!guest_typed('q'));

    fill(replay);
    page = 0;
    for (uint32_t s = 0; s < step; s++) {
        page = rewrite(replay, page, s);
    }
    for (uint32_t i = 0; i < PAGES * WORDS_PER_PAGE; i++) {
        bad += buf[i] != replay[i];
        sum = mix(sum ^ buf[i]);
    }
    guest_printf("migdirty: replayed %u steps, %u words differ, checksum %016lx\n", step, bad, sum);
    CHECK_EQ(bad, 0);
    return 0;
}
