/*
 * H_LOGICAL_MEMOP (hcall 0xf001) through the real binary: copy and invert at
 * each element size, overlapping both ways, and rejected calls changing nothing.
 */
#include "libqtest.h"

#include <string.h>

#define H_SUCCESS 0
#define H_PARAMETER ((uint64_t)-4)
#define KVMPPC_H_LOGICAL_MEMOP 0xf001
#define MEMOP_COPY 0
#define MEMOP_INVERT 1
#define RAM_SIZE (256ULL << 20)
#define ARGS "-m 256M"

#define BASE 0x10000
#define AREA 4096

static uint64_t memop(QTestState *s, uint64_t dst, uint64_t src, uint64_t esize_log2,
                      uint64_t count, uint64_t op)
{
    uint64_t args[5] = { dst, src, esize_log2, count, op };

    return qtest_hcall(s, KVMPPC_H_LOGICAL_MEMOP, args, 5, NULL);
}

static void fill_pattern(QTestState *s, uint8_t *shadow, uint32_t seed)
{
    GRand *rand = g_rand_new_with_seed(seed);

    for (size_t i = 0; i < AREA; i++) {
        shadow[i] = g_rand_int(rand);
    }
    qtest_memwrite(s, BASE, shadow, AREA);
    g_rand_free(rand);
}

static void check_area(QTestState *s, const uint8_t *expected)
{
    uint8_t now[AREA];

    qtest_memread(s, BASE, now, AREA);
    g_assert(memcmp(now, expected, AREA) == 0);
}

/* Expected result: memmove of count elements, inverted for MEMOP_INVERT. */
static void model(uint8_t *shadow, size_t dst, size_t src, size_t bytes, uint64_t op)
{
    memmove(shadow + dst, shadow + src, bytes);
    for (size_t i = 0; op == MEMOP_INVERT && i < bytes; i++) {
        shadow[dst + i] = ~shadow[dst + i];
    }
}

static void test_copy_invert(void)
{
    QTestState *s = qtest_init(ARGS);
    uint8_t shadow[AREA];

    for (uint64_t op = MEMOP_COPY; op <= MEMOP_INVERT; op++) {
        for (uint64_t esize = 0; esize <= 3; esize++) {
            size_t step = 1 << esize;
            size_t count = 37;

            fill_pattern(s, shadow, op * 4 + esize);
            g_assert_cmphex(memop(s, BASE + 2048, BASE + 64, esize, count, op), ==, H_SUCCESS);
            model(shadow, 2048, 64, count * step, op);
            check_area(s, shadow);
        }
    }
    /* Count 0 does nothing. */
    fill_pattern(s, shadow, 99);
    g_assert_cmphex(memop(s, BASE, BASE + 8, 3, 0, MEMOP_INVERT), ==, H_SUCCESS);
    check_area(s, shadow);
    qtest_quit(s);
}

/* Overlap in both directions behaves as memmove, element by element. */
static void test_overlap(void)
{
    QTestState *s = qtest_init(ARGS);
    uint8_t shadow[AREA];
    static const struct {
        size_t dst, src;
        uint64_t esize;
    } cases[] = {
        { 1000, 1008, 3 }, { 1008, 1000, 3 }, { 1000, 1001, 0 }, { 1001, 1000, 0 },
        { 1000, 1004, 2 }, { 1004, 1000, 1 }, { 1000, 1000, 3 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        for (uint64_t op = MEMOP_COPY; op <= MEMOP_INVERT; op++) {
            size_t count = 100;

            fill_pattern(s, shadow, 1000 + i * 2 + op);
            g_assert_cmphex(
                memop(s, BASE + cases[i].dst, BASE + cases[i].src, cases[i].esize, count, op), ==,
                H_SUCCESS);
            model(shadow, cases[i].dst, cases[i].src, count << cases[i].esize, op);
            check_area(s, shadow);
        }
    }
    qtest_quit(s);
}

/* Every H_PARAMETER case leaves memory exactly as it was. */
static void test_errors(void)
{
    QTestState *s = qtest_init(ARGS);
    uint8_t shadow[AREA];
    uint8_t top[64], top_after[64];
    static const struct {
        uint64_t dst, src, esize, count, op;
    } bad[] = {
        { BASE, BASE + 64, 0, 8, 2 }, /* unknown op */
        { BASE, BASE + 64, 0, 8, ~0ULL },
        { BASE, BASE + 64, 4, 8, 0 }, /* element size 16 */
        { BASE, BASE + 64, 64, 8, 0 },
        { BASE + 1, BASE + 64, 1, 8, 0 }, /* misaligned dst */
        { BASE, BASE + 66, 2, 8, 0 },     /* misaligned src */
        { BASE + 4, BASE + 64, 3, 8, 1 },
        { BASE, BASE + 64, 0, 0x80000001ULL, 0 }, /* count too large */
        { BASE, BASE + 64, 3, ~0ULL, 0 },
        /* ranges reaching past the end of RAM */
        { RAM_SIZE - 32, BASE, 3, 5, 0 },
        { BASE, RAM_SIZE - 32, 3, 5, 1 },
        { RAM_SIZE, BASE, 0, 1, 0 },
        { BASE, RAM_SIZE, 0, 1, 0 },
        { ~0ULL - 7, BASE, 3, 2, 0 }, /* wraps around */
        { BASE, ~0ULL - 7, 3, 2, 0 },
        { BASE, BASE + 64, 3, (RAM_SIZE >> 3), 0 },
    };

    fill_pattern(s, shadow, 7);
    qtest_memset(s, RAM_SIZE - sizeof(top), 0x5a, sizeof(top));
    qtest_memread(s, RAM_SIZE - sizeof(top), top, sizeof(top));
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_test_message("bad case %zu", i);
        g_assert_cmphex(memop(s, bad[i].dst, bad[i].src, bad[i].esize, bad[i].count, bad[i].op), ==,
                        H_PARAMETER);
        check_area(s, shadow);
        qtest_memread(s, RAM_SIZE - sizeof(top), top_after, sizeof(top));
        g_assert(memcmp(top, top_after, sizeof(top)) == 0);
    }
    /* The last 32 bytes of RAM are a valid destination. */
    g_assert_cmphex(memop(s, RAM_SIZE - 32, BASE, 3, 4, MEMOP_COPY), ==, H_SUCCESS);
    qtest_memread(s, RAM_SIZE - 32, top_after, 32);
    g_assert(memcmp(top_after, shadow, 32) == 0);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memop-qtest/copy-invert", test_copy_invert);
    g_test_add_func("/memop-qtest/overlap", test_overlap);
    g_test_add_func("/memop-qtest/errors", test_errors);
    return g_test_run();
}
