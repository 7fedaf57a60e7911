/*
 * Unit tests for H_REGISTER_VPA: registering and deregistering the VPA, SLB
 * shadow and DTL of each CPU, every rule on their addresses and sizes, the
 * order between them, and refused calls changing nothing.
 */
#include "spapr-test-machine.h"
#include "qemu/units.h"

#define RAM (1 * MiB)
#define VPA 0x10000
#define SLB 0x11000
#define DTL 0x12000
#define VPA_MIN 640

typedef struct Fixture {
    SpaprMachineState *m;
    uint8_t *snapshot;      /* RAM before the call under test */
    SpaprCpuState state[2]; /* the CPUs' registrations before it */
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    uint8_t *ram;

    f->m = test_machine_new(RAM, 2, NULL, NULL);
    ram = guest_ram_ptr(0, RAM);
    for (size_t i = 0; i < RAM; i++) {
        ram[i] = g_test_rand_int();
    }
    /* Valid lengths at each area's usual place. */
    guest_stw_be(VPA + 4, VPA_MIN);
    guest_stl_be(SLB + 4, 0x100);
    guest_stl_be(DTL + 4, 0x1000);
    f->snapshot = g_malloc(RAM);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    g_free(f->snapshot);
    test_machine_free(f->m);
}

static target_ulong vpa_call(Fixture *f, target_ulong flags, target_ulong procno, target_ulong addr)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { flags, procno, addr, 0x55, 0x66 };
    target_ulong ret = test_hcall(f->m, 0, H_REGISTER_VPA, args);

    /* No outputs: the argument registers come back as they went in. */
    g_assert_cmphex(args[0], ==, flags);
    g_assert_cmphex(args[1], ==, procno);
    g_assert_cmphex(args[2], ==, addr);
    g_assert_cmphex(args[3], ==, 0x55);
    g_assert_cmphex(args[4], ==, 0x66);
    return ret;
}

static SpaprCpuState *state(Fixture *f, unsigned cpu)
{
    return spapr_cpu_state(f->m, f->m->cpus[cpu]);
}

static void remember(Fixture *f)
{
    memcpy(f->snapshot, guest_ram_ptr(0, RAM), RAM);
    f->state[0] = *state(f, 0);
    f->state[1] = *state(f, 1);
}

/* The call is refused with ret, and neither memory nor registrations moved. */
static void expect_refused(Fixture *f, target_ulong flags, target_ulong procno, target_ulong addr,
                           target_ulong ret)
{
    remember(f);
    g_assert_cmpint(vpa_call(f, flags, procno, addr), ==, ret);
    g_assert_true(memcmp(f->snapshot, guest_ram_ptr(0, RAM), RAM) == 0);
    g_assert_true(memcmp(&f->state[0], state(f, 0), sizeof(SpaprCpuState)) == 0);
    g_assert_true(memcmp(&f->state[1], state(f, 1), sizeof(SpaprCpuState)) == 0);
}

static void register_vpa_ok(Fixture *f, unsigned cpu, hwaddr addr)
{
    g_assert_cmpint(vpa_call(f, H_VPA_REG_VPA, cpu, addr), ==, H_SUCCESS);
    g_assert_cmphex(state(f, cpu)->vpa_addr, ==, addr);
}

static void test_vpa_register(Fixture *f, gconstpointer data)
{
    uint8_t b;

    guest_stb(VPA + 9, 0x81);
    remember(f);
    register_vpa_ok(f, 0, VPA);
    /* Only byte 9 changes: the shared-processor bit is added to it. */
    guest_ldub(VPA + 9, &b);
    g_assert_cmphex(b, ==, 0x83);
    guest_stb(VPA + 9, 0x81);
    g_assert_true(memcmp(f->snapshot, guest_ram_ptr(0, RAM), RAM) == 0);
    g_assert_cmphex(state(f, 1)->vpa_addr, ==, 0);

    /* Registering again moves it; the other CPU has its own. */
    guest_stw_be(VPA + 0x400 + 4, 0x300);
    register_vpa_ok(f, 0, VPA + 0x400);
    register_vpa_ok(f, 1, VPA);
    g_assert_cmphex(state(f, 0)->vpa_addr, ==, VPA + 0x400);
}

/* Sizes and places that just fit. */
static void test_vpa_limits(Fixture *f, gconstpointer data)
{
    /* 0xd80 + 640 = 0x1000: ends on the last byte of its page. */
    hwaddr at_end = VPA + 0xd80;
    hwaddr last = RAM - 0x1000;

    guest_stw_be(at_end + 4, VPA_MIN);
    register_vpa_ok(f, 0, at_end);
    /* A whole page; and the last page of RAM. */
    guest_stw_be(VPA + 4, 0x1000);
    register_vpa_ok(f, 0, VPA);
    guest_stw_be(last + 4, 0x1000);
    register_vpa_ok(f, 1, last);
}

static void test_vpa_errors(Fixture *f, gconstpointer data)
{
    static const hwaddr misaligned[] = { 1, 8, 64, 0x100 + 64, 0x100 + 127 };

    /* At 0: QEMU's way of saying "none" cannot be an address. */
    expect_refused(f, H_VPA_REG_VPA, 0, 0, H_HARDWARE);
    /* Not on a 128-byte cache line, though the length there is fine. */
    for (size_t i = 0; i < ARRAY_SIZE(misaligned); i++) {
        guest_stw_be(VPA + misaligned[i] + 4, VPA_MIN);
        expect_refused(f, H_VPA_REG_VPA, 0, VPA + misaligned[i], H_PARAMETER);
    }
    /* Too short. */
    guest_stw_be(VPA + 4, VPA_MIN - 1);
    expect_refused(f, H_VPA_REG_VPA, 0, VPA, H_PARAMETER);
    guest_stw_be(VPA + 4, 0);
    expect_refused(f, H_VPA_REG_VPA, 0, VPA, H_PARAMETER);
    /* Crossing a 4 KiB boundary. */
    guest_stw_be(VPA + 4, 0x1001);
    expect_refused(f, H_VPA_REG_VPA, 0, VPA, H_PARAMETER);
    guest_stw_be(VPA + 0xe00 + 4, VPA_MIN);
    expect_refused(f, H_VPA_REG_VPA, 0, VPA + 0xe00, H_PARAMETER);
    guest_stw_be(VPA + 0xd80 + 4, VPA_MIN + 1);
    expect_refused(f, H_VPA_REG_VPA, 0, VPA + 0xd80, H_PARAMETER);
    /* Outside RAM, or its length is. */
    guest_stw_be(VPA + 4, VPA_MIN);
    expect_refused(f, H_VPA_REG_VPA, 0, RAM, H_PARAMETER);
    expect_refused(f, H_VPA_REG_VPA, 0, RAM + 0x1000, H_PARAMETER);
    expect_refused(f, H_VPA_REG_VPA, 0, ~0ULL & ~127ULL, H_PARAMETER);
    expect_refused(f, H_VPA_REG_VPA, 0, RAM - 128, H_PARAMETER);
    /* No such CPU, whatever the rest says. */
    expect_refused(f, H_VPA_REG_VPA, 2, VPA, H_PARAMETER);
    expect_refused(f, H_VPA_REG_VPA, 8, VPA, H_PARAMETER);
    expect_refused(f, H_VPA_REG_VPA, ~0ULL, VPA, H_PARAMETER);
    expect_refused(f, H_VPA_REG_VPA, 2, 0, H_PARAMETER);
    expect_refused(f, H_VPA_DEREG_VPA, 2, 0, H_PARAMETER);
}

static void test_vpa_bad_flags(Fixture *f, gconstpointer data)
{
    static const target_ulong bad[] = {
        0,
        4ULL << H_VPA_FUNC_SHIFT, /* function 4 is not defined */
        H_VPA_REG_VPA | 1,
        H_VPA_REG_VPA | PPC_BIT(0),
        H_VPA_REG_VPA | (1ULL << (H_VPA_FUNC_SHIFT - 1)),
        H_VPA_REG_VPA | (1ULL << (H_VPA_FUNC_SHIFT + 3)),
        H_VPA_DEREG_VPA | 0x10,
        H_VPA_REG_VPA >> 1,
        ~0ULL,
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        expect_refused(f, bad[i], 0, VPA, H_PARAMETER);
    }
    register_vpa_ok(f, 0, VPA);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        expect_refused(f, bad[i], 0, SLB, H_PARAMETER);
    }
}

/* SLB shadow and DTL need the VPA first; a bad area is refused before that. */
static void test_order(Fixture *f, gconstpointer data)
{
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_RESOURCE);
    expect_refused(f, H_VPA_REG_DTL, 0, DTL, H_RESOURCE);
    expect_refused(f, H_VPA_REG_SLB, 0, 0, H_HARDWARE);
    expect_refused(f, H_VPA_REG_DTL, 0, 0, H_HARDWARE);
    guest_stl_be(SLB + 4, 7);
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_PARAMETER);
    guest_stl_be(SLB + 4, 0x100);
    guest_stl_be(DTL + 4, 47);
    expect_refused(f, H_VPA_REG_DTL, 0, DTL, H_PARAMETER);
    guest_stl_be(DTL + 4, 0x1000);

    /* The VPA of another CPU does not count. */
    register_vpa_ok(f, 1, VPA);
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_RESOURCE);
    expect_refused(f, H_VPA_REG_DTL, 0, DTL, H_RESOURCE);

    guest_stw_be(VPA + 0x400 + 4, VPA_MIN);
    register_vpa_ok(f, 0, VPA + 0x400);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_SLB, 0, SLB), ==, H_SUCCESS);
    g_assert_cmphex(state(f, 0)->slb_shadow_addr, ==, SLB);
    g_assert_cmpuint(state(f, 0)->slb_shadow_size, ==, 0x100);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_DTL, 0, DTL), ==, H_SUCCESS);
    g_assert_cmphex(state(f, 0)->dtl_addr, ==, DTL);
    g_assert_cmpuint(state(f, 0)->dtl_size, ==, 0x1000);

    /* The VPA stays while either is registered. */
    expect_refused(f, H_VPA_DEREG_VPA, 0, 0, H_RESOURCE);
    g_assert_cmpint(vpa_call(f, H_VPA_DEREG_SLB, 0, 0x1234), ==, H_SUCCESS);
    g_assert_cmphex(state(f, 0)->slb_shadow_addr, ==, 0);
    g_assert_cmpuint(state(f, 0)->slb_shadow_size, ==, 0);
    expect_refused(f, H_VPA_DEREG_VPA, 0, 0, H_RESOURCE);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_SLB, 0, SLB), ==, H_SUCCESS);
    g_assert_cmpint(vpa_call(f, H_VPA_DEREG_DTL, 0, ~0ULL), ==, H_SUCCESS);
    g_assert_cmphex(state(f, 0)->dtl_addr, ==, 0);
    g_assert_cmpuint(state(f, 0)->dtl_size, ==, 0);
    expect_refused(f, H_VPA_DEREG_VPA, 0, 0, H_RESOURCE);
    g_assert_cmpint(vpa_call(f, H_VPA_DEREG_SLB, 0, 0), ==, H_SUCCESS);

    /* Now it can go; deregistering what is not there succeeds. */
    remember(f);
    g_assert_cmpint(vpa_call(f, H_VPA_DEREG_VPA, 0, 0), ==, H_SUCCESS);
    g_assert_cmphex(state(f, 0)->vpa_addr, ==, 0);
    g_assert_cmpint(vpa_call(f, H_VPA_DEREG_VPA, 0, 0), ==, H_SUCCESS);
    g_assert_cmpint(vpa_call(f, H_VPA_DEREG_SLB, 0, 0), ==, H_SUCCESS);
    g_assert_cmpint(vpa_call(f, H_VPA_DEREG_DTL, 0, 0), ==, H_SUCCESS);
    g_assert_true(memcmp(f->snapshot, guest_ram_ptr(0, RAM), RAM) == 0);
    /* CPU 1 kept its VPA throughout. */
    g_assert_cmphex(state(f, 1)->vpa_addr, ==, VPA);
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_RESOURCE);
}

static void test_slb_shadow_rules(Fixture *f, gconstpointer data)
{
    register_vpa_ok(f, 0, VPA);
    guest_stl_be(SLB + 4, 7);
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_PARAMETER);
    guest_stl_be(SLB + 4, 0);
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_PARAMETER);
    /* Crossing a 4 KiB boundary. */
    guest_stl_be(SLB + 4, 0x1001);
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_PARAMETER);
    guest_stl_be(SLB + 4, 0xffffffff);
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_PARAMETER);
    guest_stl_be(SLB + 0xff8 + 4, 9);
    expect_refused(f, H_VPA_REG_SLB, 0, SLB + 0xff8, H_PARAMETER);
    /* Outside RAM, or its length is. */
    expect_refused(f, H_VPA_REG_SLB, 0, RAM, H_PARAMETER);
    expect_refused(f, H_VPA_REG_SLB, 0, RAM - 6, H_PARAMETER);
    expect_refused(f, H_VPA_REG_SLB, 0, ~0ULL - 3, H_PARAMETER);
    expect_refused(f, H_VPA_REG_SLB, 2, SLB, H_PARAMETER);

    /* Exactly 8 bytes, up to a page end, and (as QEMU) no alignment rule. */
    guest_stl_be(SLB + 0xff8 + 4, 8);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_SLB, 0, SLB + 0xff8), ==, H_SUCCESS);
    g_assert_cmpuint(state(f, 0)->slb_shadow_size, ==, 8);
    guest_stl_be(SLB + 3 + 4, 0xffd);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_SLB, 0, SLB + 3), ==, H_SUCCESS);
    g_assert_cmphex(state(f, 0)->slb_shadow_addr, ==, SLB + 3);
    g_assert_cmpuint(state(f, 0)->slb_shadow_size, ==, 0xffd);
    guest_stl_be(RAM - 8 + 4, 8);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_SLB, 0, RAM - 8), ==, H_SUCCESS);
}

static void test_dtl_rules(Fixture *f, gconstpointer data)
{
    register_vpa_ok(f, 1, VPA);
    guest_stl_be(DTL + 4, 47);
    expect_refused(f, H_VPA_REG_DTL, 1, DTL, H_PARAMETER);
    guest_stl_be(DTL + 4, 0);
    expect_refused(f, H_VPA_REG_DTL, 1, DTL, H_PARAMETER);
    /* Running past the end of RAM. */
    guest_stl_be(RAM - 64 + 4, 65);
    expect_refused(f, H_VPA_REG_DTL, 1, RAM - 64, H_PARAMETER);
    guest_stl_be(DTL + 4, 0xffffffff);
    expect_refused(f, H_VPA_REG_DTL, 1, DTL, H_PARAMETER);
    expect_refused(f, H_VPA_REG_DTL, 1, RAM, H_PARAMETER);
    expect_refused(f, H_VPA_REG_DTL, 1, RAM - 7, H_PARAMETER);

    /* 48 bytes; across pages and unaligned, which QEMU allows. */
    guest_stl_be(DTL + 4, 48);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_DTL, 1, DTL), ==, H_SUCCESS);
    g_assert_cmpuint(state(f, 1)->dtl_size, ==, 48);
    guest_stl_be(DTL + 0xff9 + 4, 0x2000);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_DTL, 1, DTL + 0xff9), ==, H_SUCCESS);
    g_assert_cmphex(state(f, 1)->dtl_addr, ==, DTL + 0xff9);
    g_assert_cmpuint(state(f, 1)->dtl_size, ==, 0x2000);
    guest_stl_be(RAM - 64 + 4, 64);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_DTL, 1, RAM - 64), ==, H_SUCCESS);
    g_assert_cmphex(state(f, 0)->dtl_addr, ==, 0);
}

/* Machine reset forgets every registration. */
static void test_reset(Fixture *f, gconstpointer data)
{
    register_vpa_ok(f, 0, VPA);
    register_vpa_ok(f, 1, VPA);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_SLB, 0, SLB), ==, H_SUCCESS);
    g_assert_cmpint(vpa_call(f, H_VPA_REG_DTL, 1, DTL), ==, H_SUCCESS);
    spapr_cpu_states_reset(f->m);
    for (unsigned cpu = 0; cpu < 2; cpu++) {
        SpaprCpuState zero = { 0 };

        g_assert_true(memcmp(state(f, cpu), &zero, sizeof(zero)) == 0);
    }
    expect_refused(f, H_VPA_REG_SLB, 0, SLB, H_RESOURCE);
    g_assert_cmpint(vpa_call(f, H_VPA_DEREG_VPA, 0, 0), ==, H_SUCCESS);
}

/* Processor numbers are the CPUs' indexes, the "reg" of their /cpus nodes. */
static void test_find_cpu(Fixture *f, gconstpointer data)
{
    g_assert_true(spapr_find_cpu(f->m, 0) == f->m->cpus[0]);
    g_assert_true(spapr_find_cpu(f->m, 1) == f->m->cpus[1]);
    g_assert_null(spapr_find_cpu(f->m, 2));
    g_assert_null(spapr_find_cpu(f->m, (target_ulong)-1));
    g_assert_null(spapr_find_cpu(NULL, 0));
}

#define ADD(path, fn)                                                                              \
    g_test_add("/hcall-vpa/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("register", test_vpa_register);
    ADD("limits", test_vpa_limits);
    ADD("errors", test_vpa_errors);
    ADD("bad-flags", test_vpa_bad_flags);
    ADD("order", test_order);
    ADD("slb-shadow", test_slb_shadow_rules);
    ADD("dtl", test_dtl_rules);
    ADD("reset", test_reset);
    ADD("find-cpu", test_find_cpu);
    return g_test_run();
}
