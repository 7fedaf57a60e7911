/*
 * Unit tests for the bounds-checked guest-memory API: every access outside
 * RAM fails and changes nothing.
 */
#include "exec/guest-memory.h"
#include "qemu/units.h"

#include <sys/mman.h>

#define RAM (1 * MiB)

static void setup(void)
{
    guest_ram_init(RAM);
}

static void test_bounds(void)
{
    setup();
    g_assert_true(guest_range_valid(0, RAM));
    g_assert_true(guest_range_valid(RAM, 0));
    g_assert_false(guest_range_valid(RAM, 1));
    g_assert_false(guest_range_valid(RAM - 1, 2));
    g_assert_false(guest_range_valid(1, UINT64_MAX));
    g_assert_false(guest_range_valid(UINT64_MAX, 2));
    g_assert_null(guest_ram_ptr(RAM - 4, 8));
    g_assert_nonnull(guest_ram_ptr(RAM - 8, 8));
}

static void test_big_endian_accessors(void)
{
    uint8_t raw[8];
    uint64_t q;
    uint32_t l;
    uint16_t w;

    setup();
    g_assert_true(guest_stq_be(0x100, 0x0102030405060708ULL));
    g_assert_true(guest_read(0x100, raw, 8));
    for (int i = 0; i < 8; i++) {
        g_assert_cmpuint(raw[i], ==, i + 1);
    }
    g_assert_true(guest_ldq_le(0x100, &q));
    g_assert_cmphex(q, ==, 0x0807060504030201ULL);
    g_assert_true(guest_ldl_be(0x104, &l));
    g_assert_cmphex(l, ==, 0x05060708);
    g_assert_true(guest_lduw_be(0x106, &w));
    g_assert_cmphex(w, ==, 0x0708);
    g_assert_true(guest_stl_le(0x200, 0xaabbccdd));
    g_assert_true(guest_ldl_be(0x200, &l));
    g_assert_cmphex(l, ==, 0xddccbbaa);
}

static void test_outside_changes_nothing(void)
{
    uint8_t buf[16];
    uint64_t q = 0x1234;
    uint8_t *tail;

    setup();
    tail = guest_ram_ptr(RAM - 16, 16);
    memset(tail, 0x5a, 16);
    memset(buf, 0xee, sizeof(buf));
    g_assert_false(guest_write(RAM - 8, buf, 16));
    g_assert_false(guest_memset(RAM - 8, 0, 9));
    g_assert_false(guest_stq_be(RAM - 4, 0));
    g_assert_false(guest_memmove(RAM - 8, 0, 16));
    g_assert_false(guest_memmove(0, RAM - 8, 16));
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(tail[i], ==, 0x5a);
    }
    g_assert_false(guest_ldq_be(RAM - 7, &q));
    g_assert_cmphex(q, ==, 0x1234);
    g_assert_false(guest_read(RAM - 1, buf, 2));
    g_assert_cmphex(buf[0], ==, 0xee);
}

static void test_memmove_overlap(void)
{
    uint8_t *p;

    setup();
    p = guest_ram_ptr(0, 64);
    for (int i = 0; i < 64; i++) {
        p[i] = i;
    }
    g_assert_true(guest_memmove(8, 0, 32));
    for (int i = 0; i < 32; i++) {
        g_assert_cmpuint(p[8 + i], ==, i);
    }
    for (int i = 0; i < 64; i++) {
        p[i] = i;
    }
    g_assert_true(guest_memmove(0, 8, 32));
    for (int i = 0; i < 32; i++) {
        g_assert_cmpuint(p[i], ==, i + 8);
    }
}

/*
 * A span reserved beyond RAM: memory placed and plugged there is RAM at one
 * host offset from the base; unplugged, it is not; adjacent plugs join.
 */
static void test_plugged(void)
{
    uint8_t *dimm;
    uint64_t v = 0;

    guest_ram_reserve(4 * MiB);
    guest_ram_init(RAM);
    guest_ram_reserve(0);
    g_assert_cmpuint(guest_ram_span(), ==, 4 * MiB);
    g_assert_false(guest_range_valid(2 * MiB, 8));
    g_assert_false(guest_stq_be(2 * MiB, 1));
    /* outside the span or over the boot RAM: refused */
    g_assert_false(guest_ram_plug(RAM - 4096, 8192));
    g_assert_false(guest_ram_plug(3 * MiB, 2 * MiB));

    dimm = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(dimm != MAP_FAILED);
    dimm[8] = 0x5a;
    dimm = guest_ram_place(2 * MiB, dimm, MiB);
    g_assert_nonnull(dimm);
    g_assert_false(guest_range_valid(2 * MiB, 8)); /* placed, not plugged yet */
    g_assert_true(guest_ram_plug(2 * MiB, MiB));
    g_assert_true(guest_range_valid(2 * MiB, MiB));
    g_assert_false(guest_range_valid(2 * MiB, MiB + 1));
    g_assert_false(guest_range_valid(RAM, 8)); /* the hole between RAM and the DIMM */
    g_assert_true(guest_ldq_be(2 * MiB + 8, &v));
    g_assert_cmphex(v, ==, 0x5a00000000000000ULL); /* the pages moved with their contents */
    g_assert_true(guest_stq_be(3 * MiB - 8, 0x1122334455667788ULL));
    g_assert_true(guest_ram_ptr(3 * MiB - 8, 8) == dimm + MiB - 8);
    g_assert_true(guest_ram_ptr(0, 1) + 2 * MiB == guest_ram_ptr(2 * MiB, 1));

    /* a second block right after: a range across both is valid */
    g_assert_true(guest_ram_place(
        3 * MiB, mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), MiB));
    g_assert_true(guest_ram_plug(3 * MiB, MiB));
    g_assert_true(guest_range_valid(3 * MiB - 8, 16));

    guest_ram_unplug(2 * MiB);
    g_assert_false(guest_range_valid(2 * MiB, 8));
    g_assert_false(guest_range_valid(3 * MiB - 8, 16));
    g_assert_true(guest_range_valid(3 * MiB, 8));
    guest_ram_release(dimm, MiB);
    guest_ram_free();
    g_assert_false(guest_range_valid(3 * MiB, 8));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/guest-memory/bounds", test_bounds);
    g_test_add_func("/guest-memory/endian", test_big_endian_accessors);
    g_test_add_func("/guest-memory/outside", test_outside_changes_nothing);
    g_test_add_func("/guest-memory/memmove", test_memmove_overlap);
    g_test_add_func("/guest-memory/plugged", test_plugged);
    return g_test_run();
}
