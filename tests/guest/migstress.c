/*
 * A stress guest for live migration: it stamps the pages of a 128 MiB array
 * one after another (MIGSTRESS_RATE pages per second of timebase, evenly, a
 * step every few microseconds, so that a store lands in any window a race
 * leaves open), and checks every page whenever the test asks, so a page that
 * a migration lost or sent stale is seen on the destination it arrived at,
 * not only at the end.  A page is stamped again only a whole sweep (seconds)
 * later: one written just after the last dirty sync is not among the pages
 * the last pass found dirty, so it goes only if the stop's sync catches it.
 *
 * Step s stamps page p = s * STRIDE mod PAGES: word 0 holds s, word 1 p,
 * words 256 and 511 a pattern of (s, p, word). The step counter alone then
 * tells which step last wrote each page (the largest s' < steps with
 * s' * STRIDE = p mod PAGES; none: the initial fill, step ~0), so the check
 * needs no second copy that could be stale too.
 *
 * Console keys (tests/guest/run-migration.py, mode pingpong): 'v' checks
 * every page and prints "migstress: verified step S, N pages bad";
 * 'q' does the same and ends with the usual summary line.
 */
#include "runtime/guest.h"

#define PAGES 32768u /* 128 MiB */
#define WORDS_PER_PAGE 512u
#ifndef MIGSTRESS_RATE
#define MIGSTRESS_RATE 5000u /* pages per second */
#endif
#define STEPS_PER_ROUND 1000u
#define TB_HZ 512000000ull
/* odd, so with PAGES a power of two it visits every page */
#define STRIDE 16411u
#define NWORDS 4u
static const uint32_t words[NWORDS] = { 0, 1, 256, 511 };
#define NO_STEP (~0ull)

static uint64_t buf[PAGES * WORDS_PER_PAGE] __attribute__((aligned(4096)));

static inline uint64_t pattern(uint64_t step, uint32_t page, uint32_t w)
{
    return ((step << 20) ^ ((uint64_t)page << 9) ^ w) * 0x9e3779b97f4a7c15ull;
}

static void write_page(uint32_t page, uint64_t step)
{
    uint64_t *p = &buf[(uint64_t)page * WORDS_PER_PAGE];

    p[0] = step;
    p[1] = page;
    p[256] = pattern(step, page, 256);
    p[511] = pattern(step, page, 511);
}

/* The inverse of STRIDE modulo PAGES (Newton's iteration on 2-adic inverses). */
static uint32_t stride_inverse(void)
{
    uint32_t x = STRIDE;

    for (int i = 0; i < 5; i++) {
        x *= 2 - STRIDE * x;
    }
    return x % PAGES;
}

/* Pages whose contents are not those of the step that last wrote them. */
static uint32_t verify(uint64_t steps, uint32_t inv, uint32_t *first_bad)
{
    uint32_t bad = 0;

    for (uint32_t page = 0; page < PAGES; page++) {
        const uint64_t *p = &buf[(uint64_t)page * WORDS_PER_PAGE];
        /* the steps that write page: s = s0 mod PAGES */
        uint64_t s0 = (uint64_t)page * inv % PAGES, want = NO_STEP;
        bool ok;

        if (steps > s0) {
            want = steps - 1 - (steps - 1 - s0) % PAGES;
        }
        ok = p[0] == want && p[1] == page;
        for (uint32_t i = 2; ok && i < NWORDS; i++) {
            ok = p[words[i]] == pattern(want, page, words[i]);
        }
        if (!ok) {
            if (!bad) {
                *first_bad = page;
            }
            bad++;
        }
    }
    return bad;
}

int main(void *fdt)
{
    uint32_t inv = stride_inverse(), round = 0, first_bad = 0, bad;
    uint64_t step = 0, start, last_tb;
    int key = -1;

    CHECK_EQ((uint32_t)(STRIDE * inv) % PAGES, 1);
    for (uint32_t page = 0; page < PAGES; page++) {
        write_page(page, NO_STEP);
    }
    start = last_tb = guest_mftb();
    for (;;) {
        for (uint32_t s = 0; s < STEPS_PER_ROUND; s++, step++) {
            uint64_t due = start + step * (TB_HZ / MIGSTRESS_RATE), tb;

            /* The timebase is monotonic, on each destination too. */
            while ((tb = guest_mftb()) < due) {
                CHECK(tb >= last_tb);
                last_tb = tb;
            }
            CHECK(tb >= last_tb);
            last_tb = tb;
            write_page((uint32_t)(step * STRIDE % PAGES), step);
        }
        guest_printf("migstress: round %u step %lu\n", round++, step);
        while ((key = guest_getc()) >= 0 && key != 'v' && key != 'q') {
        }
        if (key == 'v' || key == 'q') {
            bad = verify(step, inv, &first_bad);
            guest_printf("migstress: verified step %lu, %u pages bad (first %u)\n", step, bad,
                         bad ? first_bad : 0);
            CHECK_EQ(bad, 0);
            if (key == 'q') {
                return 0;
            }
        }
    }
}
