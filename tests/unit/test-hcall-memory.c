/*
 * Unit tests for the hypercalls that touch guest memory by physical address:
 * H_PAGE_INIT (zero, copy, instruction-cache flags, every refusal) and
 * H_LOGICAL_CI_LOAD/STORE and H_LOGICAL_CACHE_LOAD/STORE at every size.
 */
#include "spapr-test-machine.h"
#include "qemu/units.h"

#define RAM (1 * MiB)
#define PAGE 4096
#define SRC 0x20000
#define DST 0x30000
#define POISON 0xdeadbeefcafef00dULL

static SpaprMachineState *m;
static uint8_t *want; /* what RAM must hold after the call under test */
static unsigned code_writes;
static hwaddr code_write_page;

static void count_code_write(hwaddr page)
{
    code_writes++;
    code_write_page = page;
}

static void setup(void)
{
    uint8_t *ram;

    m = test_machine_new(RAM, 1, NULL, NULL);
    ram = guest_ram_ptr(0, RAM);
    for (size_t i = 0; i < RAM; i++) {
        ram[i] = g_test_rand_int();
    }
    want = g_memdup2(ram, RAM);
    code_writes = 0;
    guest_ram_set_code_write_notifier(count_code_write);
}

static void teardown(void)
{
    guest_ram_set_code_write_notifier(NULL);
    g_free(want);
    test_machine_free(m);
}

static void check_ram(void)
{
    g_assert_true(memcmp(want, guest_ram_ptr(0, RAM), RAM) == 0);
}

static target_ulong page_init(target_ulong flags, target_ulong dst, target_ulong src)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { flags, dst, src, POISON };
    target_ulong ret = test_hcall(m, 0, H_PAGE_INIT, args);

    g_assert_cmphex(args[0], ==, flags);
    g_assert_cmphex(args[3], ==, POISON);
    return ret;
}

static void test_page_zero(void)
{
    setup();
    g_assert_cmpint(page_init(H_ZERO_PAGE, DST, 0), ==, H_SUCCESS);
    memset(want + DST, 0, PAGE);
    check_ram();
    /* The source is not looked at without H_COPY_PAGE. */
    g_assert_cmpint(page_init(H_ZERO_PAGE | H_ICACHE_SYNCHRONIZE, SRC, ~0ULL - 3), ==, H_SUCCESS);
    memset(want + SRC, 0, PAGE);
    check_ram();
    /* The last page of RAM, and page 0. */
    g_assert_cmpint(page_init(H_ZERO_PAGE, RAM - PAGE, 1), ==, H_SUCCESS);
    memset(want + RAM - PAGE, 0, PAGE);
    g_assert_cmpint(page_init(H_ZERO_PAGE, 0, 0), ==, H_SUCCESS);
    memset(want, 0, PAGE);
    check_ram();
    teardown();
}

static void test_page_copy(void)
{
    setup();
    g_assert_cmpint(page_init(H_COPY_PAGE, DST, SRC), ==, H_SUCCESS);
    memcpy(want + DST, want + SRC, PAGE);
    check_ram();
    /* Copy wins over zero. */
    g_assert_cmpint(page_init(H_COPY_PAGE | H_ZERO_PAGE, SRC + PAGE, RAM - PAGE), ==, H_SUCCESS);
    memcpy(want + SRC + PAGE, want + RAM - PAGE, PAGE);
    check_ram();
    /* Onto itself, and into the last page. */
    g_assert_cmpint(page_init(H_COPY_PAGE | H_ICACHE_INVALIDATE, SRC, SRC), ==, H_SUCCESS);
    g_assert_cmpint(page_init(H_COPY_PAGE, RAM - PAGE, 0), ==, H_SUCCESS);
    memcpy(want + RAM - PAGE, want, PAGE);
    check_ram();
    teardown();
}

/* Without zero or copy nothing is written, whatever the addresses' content. */
static void test_page_no_write(void)
{
    static const target_ulong flags[] = { 0, H_ICACHE_INVALIDATE, H_ICACHE_SYNCHRONIZE,
                                          H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE };

    setup();
    for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
        g_assert_cmpint(page_init(flags[i], DST, 3), ==, H_SUCCESS);
        check_ram();
    }
    teardown();
}

/* Translations of code on the page are dropped when it changes or is asked to. */
static void test_page_code(void)
{
    setup();
    guest_ram_mark_code(DST + 0x100);
    g_assert_cmpint(page_init(0, DST, 0), ==, H_SUCCESS);
    g_assert_cmpuint(code_writes, ==, 0);
    g_assert_cmpint(page_init(H_ICACHE_INVALIDATE, DST, 0), ==, H_SUCCESS);
    g_assert_cmpuint(code_writes, ==, 1);
    g_assert_cmpint(page_init(H_ICACHE_SYNCHRONIZE, DST, 0), ==, H_SUCCESS);
    g_assert_cmpuint(code_writes, ==, 2);
    g_assert_cmpint(page_init(H_ZERO_PAGE, DST, 0), ==, H_SUCCESS);
    g_assert_cmpuint(code_writes, ==, 3);
    g_assert_cmpint(page_init(H_COPY_PAGE, DST, SRC), ==, H_SUCCESS);
    g_assert_cmpuint(code_writes, ==, 4);
    g_assert_cmphex(code_write_page, ==, DST); /* the page written, not the whole RAM */
    /* A page without code: nothing to drop. */
    g_assert_cmpint(page_init(H_COPY_PAGE | H_ICACHE_INVALIDATE, SRC + PAGE, DST), ==, H_SUCCESS);
    g_assert_cmpuint(code_writes, ==, 4);
    teardown();
}

static void expect_page_refused(target_ulong flags, target_ulong dst, target_ulong src)
{
    g_assert_cmpint(page_init(flags, dst, src), ==, H_PARAMETER);
    check_ram();
    g_assert_cmpuint(code_writes, ==, 0);
}

static void test_page_errors(void)
{
    const target_ulong valid =
        H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE | H_ZERO_PAGE | H_COPY_PAGE;

    setup();
    guest_ram_mark_code(DST);
    guest_ram_mark_code(RAM - PAGE);
    /* Every flag bit that is not one of the four. */
    for (int bit = 0; bit < 64; bit++) {
        if (!(valid & (1ULL << bit))) {
            expect_page_refused(H_ZERO_PAGE | (1ULL << bit), DST, SRC);
            expect_page_refused(1ULL << bit, DST, SRC);
        }
    }
    /* Destination not page-aligned, or not in RAM. */
    expect_page_refused(H_ZERO_PAGE, DST + 1, 0);
    expect_page_refused(H_ZERO_PAGE, DST + 8, 0);
    expect_page_refused(H_ZERO_PAGE, DST + 0x800, 0);
    expect_page_refused(H_ICACHE_INVALIDATE, DST + 0xfff, 0);
    expect_page_refused(0, DST + 0x10, 0);
    expect_page_refused(H_ZERO_PAGE, RAM, 0);
    expect_page_refused(H_ZERO_PAGE, RAM + PAGE, 0);
    expect_page_refused(H_ZERO_PAGE, ~0ULL & ~0xfffULL, 0);
    expect_page_refused(H_COPY_PAGE, RAM, SRC);
    /* The source, when copying. */
    expect_page_refused(H_COPY_PAGE, DST, SRC + 4);
    expect_page_refused(H_COPY_PAGE, DST, SRC + 0x800);
    expect_page_refused(H_COPY_PAGE | H_ZERO_PAGE, DST, SRC + 1);
    expect_page_refused(H_COPY_PAGE, DST, RAM);
    expect_page_refused(H_COPY_PAGE, RAM - PAGE, RAM);
    expect_page_refused(H_COPY_PAGE, DST, ~0ULL & ~0xfffULL);
    teardown();
}

/* ---- H_LOGICAL_CI_LOAD/STORE and the cacheable variants ---------------- */

static const target_ulong load_ops[] = { H_LOGICAL_CI_LOAD, H_LOGICAL_CACHE_LOAD };
static const target_ulong store_ops[] = { H_LOGICAL_CI_STORE, H_LOGICAL_CACHE_STORE };
static const unsigned sizes[] = { 1, 2, 4, 8 };

static target_ulong logical(target_ulong op, target_ulong *args, target_ulong size,
                            target_ulong addr, target_ulong val)
{
    args[0] = size;
    args[1] = addr;
    args[2] = val;
    for (int i = 3; i < SPAPR_HCALL_NARGS; i++) {
        args[i] = POISON + i;
    }
    return test_hcall(m, 0, op, args);
}

static void assert_rest_untouched(const target_ulong *args)
{
    for (int i = 3; i < SPAPR_HCALL_NARGS; i++) {
        g_assert_cmphex(args[i], ==, POISON + i);
    }
}

/* The big-endian value of size bytes at want + addr. */
static uint64_t be_value(hwaddr addr, unsigned size)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v = v << 8 | want[addr + i];
    }
    return v;
}

static void test_logical_load(void)
{
    static const hwaddr addrs[] = { 0, 0x1000, 0x12340, 0x12348, RAM - 8 };

    setup();
    guest_stq_be(0x12340, 0x8192a3b4c5d6e7f8ULL);
    memcpy(want, guest_ram_ptr(0, RAM), RAM);
    for (size_t o = 0; o < ARRAY_SIZE(load_ops); o++) {
        for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
            for (size_t a = 0; a < ARRAY_SIZE(addrs); a++) {
                target_ulong args[SPAPR_HCALL_NARGS];

                g_assert_cmpint(logical(load_ops[o], args, sizes[s], addrs[a], 0x77), ==,
                                H_SUCCESS);
                g_assert_cmphex(args[0], ==, be_value(addrs[a], sizes[s]));
                g_assert_cmphex(args[1], ==, addrs[a]);
                g_assert_cmphex(args[2], ==, 0x77);
                assert_rest_untouched(args);
            }
        }
        /* Zero-extended, big-endian. */
        {
            target_ulong args[SPAPR_HCALL_NARGS];

            g_assert_cmpint(logical(load_ops[o], args, 1, 0x12340, 0), ==, H_SUCCESS);
            g_assert_cmphex(args[0], ==, 0x81);
            g_assert_cmpint(logical(load_ops[o], args, 2, 0x12342, 0), ==, H_SUCCESS);
            g_assert_cmphex(args[0], ==, 0xa3b4);
            g_assert_cmpint(logical(load_ops[o], args, 4, 0x12344, 0), ==, H_SUCCESS);
            g_assert_cmphex(args[0], ==, 0xc5d6e7f8);
            g_assert_cmpint(logical(load_ops[o], args, 8, 0x12340, 0), ==, H_SUCCESS);
            g_assert_cmphex(args[0], ==, 0x8192a3b4c5d6e7f8ULL);
        }
    }
    check_ram();
    teardown();
}

static void test_logical_store(void)
{
    const uint64_t val = 0x0102030405060708ULL;

    setup();
    for (size_t o = 0; o < ARRAY_SIZE(store_ops); o++) {
        for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
            unsigned size = sizes[s];
            hwaddr addrs[] = { 0x40000 + 0x100 * o + 0x10 * s, RAM - size, 0 };

            for (size_t a = 0; a < ARRAY_SIZE(addrs); a++) {
                target_ulong args[SPAPR_HCALL_NARGS];

                g_assert_cmpint(logical(store_ops[o], args, size, addrs[a], val), ==, H_SUCCESS);
                g_assert_cmphex(args[0], ==, size);
                g_assert_cmphex(args[1], ==, addrs[a]);
                g_assert_cmphex(args[2], ==, val);
                assert_rest_untouched(args);
                /* The low-order size bytes of the value, most significant first. */
                for (unsigned i = 0; i < size; i++) {
                    want[addrs[a] + i] = val >> (8 * (size - 1 - i));
                }
                check_ram();
            }
        }
    }
    teardown();
}

static void test_logical_errors(void)
{
    static const target_ulong bad_sizes[] = { 0, 3, 5, 6, 7, 9, 16, 32, 0x101, ~0ULL, ~0ULL - 7 };
    static const struct {
        target_ulong size, addr;
    } bad_places[] = {
        { 2, 0x1001 },        { 4, 0x1002 }, { 4, 0x1001 },    { 8, 0x1004 },      { 8, 0x1001 },
        { 8, 0x1006 },        { 1, RAM },    { 2, RAM },       { 4, RAM + 0x100 }, { 8, RAM },
        { 8, ~0ULL & ~7ULL }, { 1, ~0ULL },  { 2, ~0ULL - 1 },
    };

    setup();
    for (size_t o = 0; o < 2; o++) {
        target_ulong ops[] = { load_ops[o], store_ops[o] };

        for (size_t k = 0; k < ARRAY_SIZE(ops); k++) {
            target_ulong args[SPAPR_HCALL_NARGS];

            /* At 0, which every size divides. */
            for (size_t i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
                g_assert_cmpint(logical(ops[k], args, bad_sizes[i], 0, 0x55), ==, H_PARAMETER);
                g_assert_cmphex(args[0], ==, bad_sizes[i]);
                g_assert_cmphex(args[2], ==, 0x55);
                assert_rest_untouched(args);
            }
            for (size_t i = 0; i < ARRAY_SIZE(bad_places); i++) {
                g_assert_cmpint(logical(ops[k], args, bad_places[i].size, bad_places[i].addr, 0x55),
                                ==, H_PARAMETER);
                g_assert_cmphex(args[0], ==, bad_places[i].size);
                assert_rest_untouched(args);
            }
        }
    }
    check_ram();
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hcall-memory/page-init/zero", test_page_zero);
    g_test_add_func("/hcall-memory/page-init/copy", test_page_copy);
    g_test_add_func("/hcall-memory/page-init/no-write", test_page_no_write);
    g_test_add_func("/hcall-memory/page-init/code", test_page_code);
    g_test_add_func("/hcall-memory/page-init/errors", test_page_errors);
    g_test_add_func("/hcall-memory/logical/load", test_logical_load);
    g_test_add_func("/hcall-memory/logical/store", test_logical_store);
    g_test_add_func("/hcall-memory/logical/errors", test_logical_errors);
    return g_test_run();
}
