/*
 * The processor, VPA and memory hypercalls through the real binary's qtest
 * `hcall` command (issued as CPU 0): return codes, what they do to guest
 * memory, refused calls changing nothing, and registrations forgotten at
 * reset.
 */
#include "libqtest.h"

#include <string.h>

#define H_SUCCESS 0
#define H_HARDWARE ((uint64_t)-1)
#define H_PARAMETER ((uint64_t)-4)
#define H_RESOURCE ((uint64_t)-16)

#define H_SET_SPRG0 0x24
#define H_SET_DABR 0x28
#define H_PAGE_INIT 0x2c
#define H_LOGICAL_CI_LOAD 0x3c
#define H_LOGICAL_CI_STORE 0x40
#define H_LOGICAL_CACHE_LOAD 0x44
#define H_LOGICAL_CACHE_STORE 0x48
#define H_LOGICAL_ICBI 0x4c
#define H_LOGICAL_DCBF 0x50
#define H_REGISTER_VPA 0xdc
#define H_SET_XDABR 0x134
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_RANDOM 0x300

#define H_ICACHE_INVALIDATE (1ULL << (63 - 40))
#define H_ZERO_PAGE (1ULL << (63 - 48))
#define H_COPY_PAGE (1ULL << (63 - 49))

#define VPA_REG 0x0000200000000000ULL
#define DTL_REG 0x0000400000000000ULL
#define SLB_REG 0x0000600000000000ULL
#define VPA_DEREG 0x0000a00000000000ULL
#define DTL_DEREG 0x0000c00000000000ULL
#define SLB_DEREG 0x0000e00000000000ULL

#define RAM_SIZE (256ULL << 20)
#define PAGE 4096
#define AREA 0x100000 /* the pages the tests use */
#define AREA_LEN (16 * PAGE)

static uint64_t hcall(QTestState *s, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2,
                      uint64_t out[9])
{
    uint64_t args[3] = { a0, a1, a2 };

    return qtest_hcall(s, op, args, 3, out);
}

/* Fill the test area with noise and return a copy of it (g_free). */
static uint8_t *fill_area(QTestState *s, uint32_t seed)
{
    uint8_t *buf = g_malloc(AREA_LEN);
    GRand *rand = g_rand_new_with_seed(seed);

    for (size_t i = 0; i < AREA_LEN; i++) {
        buf[i] = g_rand_int(rand);
    }
    qtest_memwrite(s, AREA, buf, AREA_LEN);
    g_rand_free(rand);
    return buf;
}

static void check_area(QTestState *s, const uint8_t *want)
{
    uint8_t *now = g_malloc(AREA_LEN);

    qtest_memread(s, AREA, now, AREA_LEN);
    g_assert_true(memcmp(now, want, AREA_LEN) == 0);
    g_free(now);
}

static void test_cpu_registers(void)
{
    QTestState *s = qtest_init("-m 256M");

    g_assert_cmphex(hcall(s, H_SET_SPRG0, 0x1234567887654321ULL, 0, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_SET_DABR, 0x1000, 0, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_SET_XDABR, 0x1000, 3, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_SET_XDABR, 0x1000, 0xa, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_SET_XDABR, 0x1000, 0, 0, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_SET_XDABR, 0x1000, 4, 0, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_SET_XDABR, 0x1000, 8, 0, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_SET_XDABR, 0x1000, 0x13, 0, NULL), ==, H_PARAMETER);
    qtest_quit(s);
}

/* The values Debian's QEMU 7.2 returns for the same command lines. */
static void test_cpu_characteristics(void)
{
    static const struct {
        const char *args;
        uint64_t chars, behav;
    } cases[] = {
        { "-m 256M", 0xbc40000000000000ULL, 0xe400000000000000ULL },
        { "-m 256M -machine pseries-4.2", 0xbc00000000000000ULL, 0xe400000000000000ULL },
        { "-m 256M -machine pseries-3.1", 0x0400000000000000ULL, 0xe000000000000000ULL },
        { "-m 256M -machine pseries,cap-cfpc=fixed,cap-sbbc=fixed,cap-ibs=fixed-ibs",
          0x4400000000000000ULL, 0x8180000000000000ULL },
        { "-m 256M -machine pseries,cap-ibs=fixed-ccd", 0xbd00000000000000ULL,
          0xe000000000000000ULL },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        QTestState *s = qtest_init(cases[i].args);
        uint64_t out[9];

        g_test_message("%s", cases[i].args);
        g_assert_cmphex(hcall(s, H_GET_CPU_CHARACTERISTICS, 0, 0, 0, out), ==, H_SUCCESS);
        g_assert_cmphex(out[0], ==, cases[i].chars);
        g_assert_cmphex(out[1], ==, cases[i].behav);
        g_assert_cmphex(out[2], ==, 0);
        qtest_quit(s);
    }
}

static void test_random(void)
{
    QTestState *s = qtest_init("-m 256M");
    uint64_t out[9], first;

    g_assert_cmphex(hcall(s, H_RANDOM, 0, 0, 0, out), ==, H_SUCCESS);
    first = out[0];
    g_assert_cmphex(out[1], ==, 0);
    g_assert_cmphex(hcall(s, H_RANDOM, 0, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], !=, first);
    qtest_quit(s);
}

static void test_vpa(void)
{
    QTestState *s = qtest_init("-m 256M -smp 2");
    const uint64_t vpa = AREA, slb = AREA + PAGE, dtl = AREA + 2 * PAGE;
    uint8_t *want = fill_area(s, 1);

    qtest_writew(s, vpa + 4, 640);
    qtest_writeb(s, vpa + 9, 0x40);
    qtest_writel(s, slb + 4, 0x100);
    qtest_writel(s, dtl + 4, 0x1000);
    qtest_writew(s, vpa + 0x200 + 64 + 4, 640);
    qtest_memread(s, AREA, want, AREA_LEN);

    /* Refusals, none of which touches memory. */
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, SLB_REG, 1, slb, NULL), ==, H_RESOURCE);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, DTL_REG, 1, dtl, NULL), ==, H_RESOURCE);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG, 1, 0, NULL), ==, H_HARDWARE);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG, 1, vpa + 0x200 + 64, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG, 2, vpa, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG | 1, 1, vpa, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, 0, 1, vpa, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG, 1, RAM_SIZE, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG, 1, RAM_SIZE - 128, NULL), ==, H_PARAMETER);
    qtest_writew(s, vpa + 0xe00 + 4, 640);
    want[0xe00 + 4] = 640 >> 8;
    want[0xe00 + 5] = 640 & 0xff;
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG, 1, vpa + 0xe00, NULL), ==, H_PARAMETER);
    check_area(s, want);

    /* CPU 0 registers CPU 1's VPA: the shared-processor bit appears. */
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG, 1, vpa, NULL), ==, H_SUCCESS);
    want[9] = 0x42;
    check_area(s, want);
    /* CPU 0 still has none. */
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, SLB_REG, 0, slb, NULL), ==, H_RESOURCE);

    g_assert_cmphex(hcall(s, H_REGISTER_VPA, SLB_REG, 1, slb, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, DTL_REG, 1, dtl, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_DEREG, 1, 0, NULL), ==, H_RESOURCE);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, SLB_DEREG, 1, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_DEREG, 1, 0, NULL), ==, H_RESOURCE);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, DTL_DEREG, 1, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_DEREG, 1, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, SLB_REG, 1, slb, NULL), ==, H_RESOURCE);
    check_area(s, want);
    g_free(want);
    qtest_quit(s);
}

/* A machine reset forgets what was registered. */
static void test_vpa_reset(void)
{
    QTestState *s = qtest_init("-m 256M");
    const uint64_t vpa = AREA, slb = AREA + PAGE;

    qtest_writew(s, vpa + 4, 640);
    qtest_writel(s, slb + 4, 0x100);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_REG, 0, vpa, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, SLB_REG, 0, slb, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_DEREG, 0, 0, NULL), ==, H_RESOURCE);

    json_object_unref(qtest_qmp(s, "{\"execute\": \"system_reset\"}"));
    json_object_unref(qtest_qmp_eventwait(s, "RESET"));

    qtest_writew(s, vpa + 4, 640);
    qtest_writel(s, slb + 4, 0x100);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, SLB_REG, 0, slb, NULL), ==, H_RESOURCE);
    g_assert_cmphex(hcall(s, H_REGISTER_VPA, VPA_DEREG, 0, 0, NULL), ==, H_SUCCESS);
    qtest_quit(s);
}

static void test_page_init(void)
{
    QTestState *s = qtest_init("-m 256M");
    uint8_t *want = fill_area(s, 2);
    uint8_t top[64], now[64];

    /* Zero page 1; copy page 3 to page 2 (copy wins over zero). */
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_ZERO_PAGE, AREA + PAGE, 7, NULL), ==, H_SUCCESS);
    memset(want + PAGE, 0, PAGE);
    g_assert_cmphex(
        hcall(s, H_PAGE_INIT, H_COPY_PAGE | H_ZERO_PAGE, AREA + 2 * PAGE, AREA + 3 * PAGE, NULL),
        ==, H_SUCCESS);
    memcpy(want + 2 * PAGE, want + 3 * PAGE, PAGE);
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_ICACHE_INVALIDATE, AREA + 4 * PAGE, 0, NULL), ==,
                    H_SUCCESS);
    g_assert_cmphex(hcall(s, H_PAGE_INIT, 0, AREA + 4 * PAGE, 0, NULL), ==, H_SUCCESS);
    check_area(s, want);

    /* Refused: bad flags, misaligned or outside RAM; nothing changes. */
    qtest_memset(s, RAM_SIZE - sizeof(top), 0x5a, sizeof(top));
    qtest_memread(s, RAM_SIZE - sizeof(top), top, sizeof(top));
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_ZERO_PAGE | 1, AREA, 0, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_PAGE_INIT, 1ULL << 63, AREA, 0, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_ZERO_PAGE, AREA + 8, 0, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_ZERO_PAGE, RAM_SIZE, 0, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_COPY_PAGE, AREA, AREA + 0x10, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_COPY_PAGE, AREA, RAM_SIZE, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_COPY_PAGE, RAM_SIZE - PAGE, RAM_SIZE, NULL), ==,
                    H_PARAMETER);
    check_area(s, want);
    qtest_memread(s, RAM_SIZE - sizeof(top), now, sizeof(top));
    g_assert_true(memcmp(top, now, sizeof(top)) == 0);

    /* The last page of RAM is fine. */
    g_assert_cmphex(hcall(s, H_PAGE_INIT, H_ZERO_PAGE, RAM_SIZE - PAGE, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(qtest_readq(s, RAM_SIZE - 8), ==, 0);
    g_free(want);
    qtest_quit(s);
}

static void test_logical(void)
{
    QTestState *s = qtest_init("-m 256M");
    uint8_t *want = fill_area(s, 3);
    uint64_t out[9];

    /* Stores land big-endian, only the low-order bytes of the value. */
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_STORE, 8, AREA, 0x0102030405060708ULL, NULL), ==,
                    H_SUCCESS);
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_STORE, 4, AREA + 8, 0xaabbccdd11223344ULL, NULL), ==,
                    H_SUCCESS);
    g_assert_cmphex(hcall(s, H_LOGICAL_CACHE_STORE, 2, AREA + 12, 0x5566, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_LOGICAL_CACHE_STORE, 1, AREA + 14, 0x1277, NULL), ==, H_SUCCESS);
    memcpy(want, "\x01\x02\x03\x04\x05\x06\x07\x08\x11\x22\x33\x44\x55\x66\x77", 15);
    check_area(s, want);

    g_assert_cmphex(hcall(s, H_LOGICAL_CI_LOAD, 8, AREA, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0x0102030405060708ULL);
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_LOAD, 4, AREA + 4, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0x05060708);
    g_assert_cmphex(hcall(s, H_LOGICAL_CACHE_LOAD, 2, AREA + 12, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0x5566);
    g_assert_cmphex(hcall(s, H_LOGICAL_CACHE_LOAD, 1, AREA + 14, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, 0x77);
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_LOAD, 8, RAM_SIZE - 8, 0, out), ==, H_SUCCESS);

    /* Bad size, misaligned, outside RAM. */
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_LOAD, 3, 0, 0, out), ==, H_PARAMETER);
    g_assert_cmphex(out[0], ==, 3);
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_LOAD, 4, AREA + 2, 0, out), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_LOGICAL_CACHE_LOAD, 8, RAM_SIZE, 0, out), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_STORE, 0, AREA, 0xff, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_STORE, 16, AREA, 0xff, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_LOGICAL_CI_STORE, 8, AREA + 4, 0xff, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_LOGICAL_CACHE_STORE, 2, AREA + 1, 0xff, NULL), ==, H_PARAMETER);
    g_assert_cmphex(hcall(s, H_LOGICAL_CACHE_STORE, 1, RAM_SIZE, 0xff, NULL), ==, H_PARAMETER);
    check_area(s, want);

    g_assert_cmphex(hcall(s, H_LOGICAL_ICBI, AREA, 0, 0, NULL), ==, H_SUCCESS);
    g_assert_cmphex(hcall(s, H_LOGICAL_DCBF, AREA, 0, 0, NULL), ==, H_SUCCESS);
    g_free(want);
    qtest_quit(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hcall-papr-qtest/cpu-registers", test_cpu_registers);
    g_test_add_func("/hcall-papr-qtest/cpu-characteristics", test_cpu_characteristics);
    g_test_add_func("/hcall-papr-qtest/random", test_random);
    g_test_add_func("/hcall-papr-qtest/vpa", test_vpa);
    g_test_add_func("/hcall-papr-qtest/vpa-reset", test_vpa_reset);
    g_test_add_func("/hcall-papr-qtest/page-init", test_page_init);
    g_test_add_func("/hcall-papr-qtest/logical", test_logical);
    return g_test_run();
}
