/*
 * Unit tests for H_LOGICAL_MEMOP: copy and invert at every element size,
 * overlap both ways against a plain-C reference, and every refusal.
 */
#include "hw/ppc/spapr.h"
#include "exec/guest-memory.h"
#include "qemu/module.h"
#include "qemu/units.h"

#define RAM (1 * MiB)
/* Several of H_LOGICAL_MEMOP's 1 MiB steps: the big shapes cross step boundaries both ways. */
#define BIG_RAM (4 * MiB)

/* The RAM size setup() gave: what check_against_reference() compares. */
static uint64_t ram_len;

enum { OP_COPY, OP_INVERT };

/* Guest RAM filled with reproducible noise. */
static void setup_size(uint64_t len)
{
    uint8_t *ram;

    module_call_init();
    guest_ram_init(len);
    ram_len = len;
    ram = guest_ram_ptr(0, len);
    for (size_t i = 0; i < len; i++) {
        ram[i] = g_test_rand_int();
    }
}

static void setup(void)
{
    setup_size(RAM);
}

static target_ulong memop(hwaddr dst, hwaddr src, target_ulong esize, target_ulong count,
                          target_ulong op)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { dst, src, esize, count, op };

    return spapr_hypercall(NULL, KVMPPC_H_LOGICAL_MEMOP, args);
}

/*
 * The reference: element by element from a snapshot of the source, which
 * is what "read the whole source, then write" means.
 */
static void reference(uint8_t *ram, hwaddr dst, hwaddr src, unsigned esize, uint64_t count, int op)
{
    uint64_t len = count << esize;
    uint8_t *copy = g_memdup2(ram + src, len);

    for (uint64_t e = 0; e < count; e++) {
        for (unsigned b = 0; b < (1u << esize); b++) {
            uint8_t v = copy[(e << esize) + b];

            ram[dst + (e << esize) + b] = op == OP_INVERT ? ~v : v;
        }
    }
    g_free(copy);
}

/* Run one memop and compare all of RAM with the reference. */
static void check_against_reference(hwaddr dst, hwaddr src, unsigned esize, uint64_t count, int op)
{
    uint8_t *want = g_memdup2(guest_ram_ptr(0, ram_len), ram_len);

    reference(want, dst, src, esize, count, op);
    g_assert_cmpint(memop(dst, src, esize, count, op), ==, H_SUCCESS);
    if (memcmp(want, guest_ram_ptr(0, ram_len), ram_len)) {
        g_test_message("dst 0x%" PRIx64 " src 0x%" PRIx64 " esize %u count %" PRIu64 " op %d", dst,
                       src, esize, count, op);
        g_assert_not_reached();
    }
    g_free(want);
}

/* Distances between source and destination, in bytes, before scaling. */
static const int64_t distances[] = { 0, 1, 2, 3, 7, 8, 9, 64, 4096, 60000 };
/* Element counts: short, odd, around the 8-byte word, longer. */
static const uint64_t counts[] = { 1, 2, 3, 7, 8, 9, 15, 17, 100, 4097 };

static void test_all_shapes(int op)
{
    const hwaddr base = 256 * KiB;

    setup();
    for (unsigned esize = 0; esize <= 3; esize++) {
        for (size_t d = 0; d < ARRAY_SIZE(distances); d++) {
            for (size_t c = 0; c < ARRAY_SIZE(counts); c++) {
                int64_t dist = distances[d] << esize;

                /* Destination above the source, then below it. */
                check_against_reference(base + dist, base, esize, counts[c], op);
                check_against_reference(base, base + dist, esize, counts[c], op);
            }
        }
    }
}

static void test_copy(void)
{
    test_all_shapes(OP_COPY);
}

static void test_invert(void)
{
    test_all_shapes(OP_INVERT);
}

/* The largest shapes: all of the upper half of RAM onto the lower half. */
static void test_big(void)
{
    setup_size(BIG_RAM);
    check_against_reference(0, BIG_RAM / 2, 3, BIG_RAM / 16, OP_COPY);
    check_against_reference(8, 0, 3, BIG_RAM / 8 - 1, OP_INVERT);
    check_against_reference(0, 1, 0, BIG_RAM - 1, OP_INVERT);
    check_against_reference(0, 0, 2, BIG_RAM / 4, OP_INVERT);
}

/* A direct check that does not rely on the reference function. */
static void test_known_values(void)
{
    const uint8_t src[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
    uint8_t got[10];

    setup();
    guest_write(0x100, src, 8);
    guest_memset(0x200, 0, 10);
    g_assert_cmpint(memop(0x202, 0x100, 1, 4, OP_INVERT), ==, H_SUCCESS);
    guest_read(0x200, got, 10);
    g_assert_cmpmem(got, 10, "\x00\x00\xfe\xdc\xba\x98\x76\x54\x32\x10", 10);
    /* Overlap, destination one byte up: a memmove, not a smear. */
    g_assert_cmpint(memop(0x101, 0x100, 0, 7, OP_COPY), ==, H_SUCCESS);
    guest_read(0x100, got, 8);
    g_assert_cmpmem(got, 8, "\x01\x01\x23\x45\x67\x89\xab\xcd", 8);
}

/* Every call here must fail with H_PARAMETER and leave RAM as it was. */
static void test_refused(void)
{
    static const struct {
        hwaddr dst, src;
        target_ulong esize, count, op;
    } bad[] = {
        { 0x101, 0x200, 1, 4, OP_COPY }, /* misaligned destination */
        { 0x100, 0x202, 2, 4, OP_COPY }, /* misaligned source */
        { 0x104, 0x200, 3, 4, OP_INVERT },
        { 0x100, 0x200, 0, 4, 2 }, /* no such operation */
        { 0x100, 0x200, 0, 4, ~(target_ulong)0 },
        { 0x100, 0x200, 4, 4, OP_COPY }, /* 16-byte elements */
        { 0x100, 0x200, 64, 4, OP_COPY },
        { 0x100, 0x200, ~(target_ulong)0, 4, OP_COPY },
        { 0x100, 0x200, 0, 0x80000001, OP_COPY }, /* count above QEMU's cap */
        { 0x100, 0x200, 3, ~(target_ulong)0, OP_COPY },
        { 0x100, 0x200, 3, 0x80000000, OP_COPY }, /* 16 GiB: beyond RAM */
        { RAM - 8, 0x200, 3, 2, OP_COPY },        /* ranges crossing RAM end */
        { 0x100, RAM - 8, 3, 2, OP_INVERT },
        { RAM, 0x200, 0, 1, OP_COPY },
        { 0x100, RAM, 0, 1, OP_COPY },
        { ~(hwaddr)0 - 7, 0x200, 3, 2, OP_COPY }, /* wraps the address space */
        { 0x100, ~(hwaddr)0 - 7, 3, 2, OP_COPY },
    };
    uint8_t *before;

    setup();
    before = g_memdup2(guest_ram_ptr(0, RAM), RAM);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        g_assert_cmpint(memop(bad[i].dst, bad[i].src, bad[i].esize, bad[i].count, bad[i].op), ==,
                        H_PARAMETER);
        g_assert_true(memcmp(before, guest_ram_ptr(0, RAM), RAM) == 0);
    }
    g_free(before);
}

/*
 * A count of 0 succeeds and touches nothing, wherever it points (QEMU's
 * loop simply runs zero times); the alignment and operation checks come
 * first.
 */
static void test_count_zero(void)
{
    uint8_t *before;

    setup();
    before = g_memdup2(guest_ram_ptr(0, RAM), RAM);
    g_assert_cmpint(memop(0x100, 0x200, 3, 0, OP_COPY), ==, H_SUCCESS);
    g_assert_cmpint(memop(RAM + 4096, ~(hwaddr)0 - 7, 3, 0, OP_INVERT), ==, H_SUCCESS);
    g_assert_cmpint(memop(0x101, 0x200, 1, 0, OP_COPY), ==, H_PARAMETER);
    g_assert_cmpint(memop(0x100, 0x200, 0, 0, 2), ==, H_PARAMETER);
    g_assert_cmpint(memop(0x100, 0x200, 4, 0, OP_COPY), ==, H_PARAMETER);
    g_assert_true(memcmp(before, guest_ram_ptr(0, RAM), RAM) == 0);
    g_free(before);
}

static void test_registered(void)
{
    module_call_init();
    g_assert_true(spapr_hypercall_registered(KVMPPC_H_LOGICAL_MEMOP));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memop/registered", test_registered);
    g_test_add_func("/memop/known-values", test_known_values);
    g_test_add_func("/memop/copy", test_copy);
    g_test_add_func("/memop/invert", test_invert);
    g_test_add_func("/memop/big", test_big);
    g_test_add_func("/memop/refused", test_refused);
    g_test_add_func("/memop/count-zero", test_count_zero);
    return g_test_run();
}
