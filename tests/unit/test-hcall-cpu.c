/*
 * Unit tests for the processor hypercalls: H_SET_SPRG0 (also through a real
 * `sc 1`), H_SET_DABR, H_SET_XDABR, H_GET_CPU_CHARACTERISTICS for every
 * machine type and cap-* setting, H_RANDOM, H_LOGICAL_ICBI/DCBF.
 */
#include "spapr-test-machine.h"
#include "qemu/units.h"

#define SPR_SPRG0 272
#define SPR_DABR 1013
#define SPR_DABRX 1015
/* Never a handler's output: shows which argument registers were written. */
#define POISON 0xdeadbeefcafef00dULL

static void poison(target_ulong *args)
{
    for (int i = 0; i < SPAPR_HCALL_NARGS; i++) {
        args[i] = POISON + i;
    }
}

/* args[from..] still hold what poison() put there. */
static void assert_untouched_from(const target_ulong *args, int from)
{
    for (int i = from; i < SPAPR_HCALL_NARGS; i++) {
        g_assert_cmphex(args[i], ==, POISON + i);
    }
}

/* Every SPR but the ones listed (up to 2) is as in before. */
static void assert_sprs_same_except(const uint64_t *before, const uint64_t *now, int a, int b)
{
    for (int i = 0; i < 1024; i++) {
        if (i != a && i != b && before[i] != now[i]) {
            g_test_message("SPR %d changed", i);
            g_assert_not_reached();
        }
    }
}

static void test_sprg0(void)
{
    SpaprMachineState *m = test_machine_new(1 * MiB, 2, NULL, NULL);
    CPUPPCState *env = &m->cpus[0]->env;
    uint64_t before[1024];
    target_ulong args[SPAPR_HCALL_NARGS];
    static const target_ulong values[] = { 0x1234567887654321ULL, 0, ~0ULL, 0xc000000000001000 };

    for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
        memcpy(before, env->spr, sizeof(before));
        poison(args);
        args[0] = values[i];
        g_assert_cmpint(test_hcall(m, 0, H_SET_SPRG0, args), ==, H_SUCCESS);
        g_assert_cmphex(env->spr[SPR_SPRG0], ==, values[i]);
        assert_sprs_same_except(before, env->spr, SPR_SPRG0, -1);
        assert_untouched_from(args, 1);
    }
    /* The calling CPU's register, not another's. */
    g_assert_cmphex(m->cpus[1]->env.spr[SPR_SPRG0], ==, 0);
    args[0] = 77;
    g_assert_cmpint(test_hcall(m, 1, H_SET_SPRG0, args), ==, H_SUCCESS);
    g_assert_cmphex(m->cpus[1]->env.spr[SPR_SPRG0], ==, 77);
    g_assert_cmphex(env->spr[SPR_SPRG0], ==, values[ARRAY_SIZE(values) - 1]);
    test_machine_free(m);
}

/*
 * Through the CPU: `sc 1` with r3 = H_SET_SPRG0, then mfsprg0 reads what the
 * hypercall stored.  The vhyp hook serves hcalls from the table and stops
 * at an `sc 1` with r3 = 0 (the status of the one before it).
 */
static void sc1_to_table(PPCVirtualHypervisor *vhyp, PowerPCCPU *cpu)
{
    CPUPPCState *env = &cpu->env;

    if (env->gpr[3] == 0) {
        env->exit_request = 1;
        return;
    }
    env->gpr[3] = spapr_hypercall(cpu, env->gpr[3], &env->gpr[4]);
}

static const PPCVirtualHypervisorOps sc1_ops = { .hypercall = sc1_to_table };

static void test_sprg0_sc1(void)
{
    SpaprMachineState *m = test_machine_new(16 * MiB, 1, NULL, NULL);
    PowerPCCPU *cpu = m->cpus[0];
    static const uint32_t code[] = {
        0x38600024, /* li r3, H_SET_SPRG0 */
        0x38805678, /* li r4, 0x5678 */
        0x44000022, /* sc 1 */
        0x7cb042a6, /* mfsprg0 r5 */
    };

    ppc_cpu_set_vhyp(cpu, NULL, &sc1_ops);
    cpu->env.msr = MSR_SF;
    for (size_t i = 0; i < ARRAY_SIZE(code); i++) {
        guest_stl_be(0x10000 + 4 * i, code[i]);
    }
    guest_stl_be(0x10000 + 4 * ARRAY_SIZE(code), 0x44000022);
    cpu->env.nip = 0x10000;
    ppc_cpu_exec(cpu);
    g_assert_cmphex(cpu->env.nip, ==, 0x10000 + 4 * (ARRAY_SIZE(code) + 1));
    g_assert_cmphex(cpu->env.gpr[3], ==, H_SUCCESS);
    g_assert_cmphex(cpu->env.gpr[5], ==, 0x5678);
    g_assert_cmphex(cpu->env.spr[SPR_SPRG0], ==, 0x5678);
    test_machine_free(m);
}

static void test_set_dabr(void)
{
    SpaprMachineState *m = test_machine_new(1 * MiB, 1, NULL, NULL);
    CPUPPCState *env = &m->cpus[0]->env;
    uint64_t before[1024];
    target_ulong args[SPAPR_HCALL_NARGS];
    static const target_ulong values[] = { 0x1000, 0x1007, 0, ~0ULL };

    for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
        env->spr[SPR_DABRX] = 0xc;
        memcpy(before, env->spr, sizeof(before));
        poison(args);
        args[0] = values[i];
        g_assert_cmpint(test_hcall(m, 0, H_SET_DABR, args), ==, H_SUCCESS);
        g_assert_cmphex(env->spr[SPR_DABR], ==, values[i]);
        /* No DABRX in the call: problem and privileged state. */
        g_assert_cmphex(env->spr[SPR_DABRX], ==, H_DABRX_USER | H_DABRX_KERNEL);
        assert_sprs_same_except(before, env->spr, SPR_DABR, SPR_DABRX);
        assert_untouched_from(args, 1);
    }
    test_machine_free(m);
}

static void test_set_xdabr(void)
{
    SpaprMachineState *m = test_machine_new(1 * MiB, 1, NULL, NULL);
    CPUPPCState *env = &m->cpus[0]->env;
    target_ulong args[SPAPR_HCALL_NARGS];
    static const target_ulong good[] = { 1, 2, 3, 9, 0xa, 0xb };

    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        poison(args);
        args[0] = 0x2000 + i;
        args[1] = good[i];
        g_assert_cmpint(test_hcall(m, 0, H_SET_XDABR, args), ==, H_SUCCESS);
        g_assert_cmphex(env->spr[SPR_DABR], ==, 0x2000 + i);
        g_assert_cmphex(env->spr[SPR_DABRX], ==, good[i]);
        assert_untouched_from(args, 2);
    }
    test_machine_free(m);
}

/* Refused DABRX values change neither register (nor any other). */
static void test_set_xdabr_errors(void)
{
    SpaprMachineState *m = test_machine_new(1 * MiB, 1, NULL, NULL);
    CPUPPCState *env = &m->cpus[0]->env;
    uint64_t before[1024];
    target_ulong args[SPAPR_HCALL_NARGS];
    /* Neither problem nor privileged state; hypervisor state; beyond the 4 bits. */
    static const target_ulong bad[] = { 0,    8,   4,    5,    6,         7,
                                        0xc,  0xf, 0x10, 0x13, 0x100 | 3, PPC_BIT(0) | 3,
                                        ~0ULL };

    env->spr[SPR_DABR] = 0x4444;
    env->spr[SPR_DABRX] = 3;
    memcpy(before, env->spr, sizeof(before));
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        poison(args);
        args[0] = 0x9999;
        args[1] = bad[i];
        g_assert_cmpint(test_hcall(m, 0, H_SET_XDABR, args), ==, H_PARAMETER);
        g_assert_cmpmem(before, sizeof(before), env->spr, sizeof(before));
        g_assert_cmphex(args[0], ==, 0x9999);
        g_assert_cmphex(args[1], ==, bad[i]);
        assert_untouched_from(args, 2);
    }
    test_machine_free(m);
}

/* What QEMU 7.2 (Debian's) answers for these configurations, -accel tcg. */
typedef struct CharCase {
    const char *type;
    const char *props[4];
    uint64_t chars, behav;
} CharCase;

static const CharCase char_cases[] = {
    { "pseries-7.2", { NULL }, 0xbc40000000000000ULL, 0xe400000000000000ULL },
    { "pseries-6.0", { NULL }, 0xbc40000000000000ULL, 0xe400000000000000ULL },
    { "pseries-5.0", { NULL }, 0xbc40000000000000ULL, 0xe400000000000000ULL },
    { "pseries-4.2", { NULL }, 0xbc00000000000000ULL, 0xe400000000000000ULL },
    { "pseries-4.0", { NULL }, 0xbc00000000000000ULL, 0xe400000000000000ULL },
    { "pseries-3.1", { NULL }, 0x0400000000000000ULL, 0xe000000000000000ULL },
    { "pseries-2.12", { NULL }, 0x0400000000000000ULL, 0xe000000000000000ULL },
    { "pseries-2.12-sxxm", { NULL }, 0xbd00000000000000ULL, 0xe000000000000000ULL },
    { "pseries-2.5", { NULL }, 0x0400000000000000ULL, 0xe000000000000000ULL },
    { NULL,
      { "cap-cfpc=broken", "cap-sbbc=broken", "cap-ibs=broken" },
      0x0400000000000000ULL,
      0xe000000000000000ULL },
    { NULL,
      { "cap-cfpc=fixed", "cap-sbbc=fixed", "cap-ibs=fixed-ibs" },
      0x4400000000000000ULL,
      0x8180000000000000ULL },
    { NULL, { "cap-ibs=fixed-ccd" }, 0xbd00000000000000ULL, 0xe000000000000000ULL },
    { NULL, { "cap-ccf-assist=off" }, 0xbc00000000000000ULL, 0xe400000000000000ULL },
    { NULL,
      { "cap-ibs=broken", "cap-ccf-assist=on" },
      0xbc00000000000000ULL,
      0xe000000000000000ULL },
    { "pseries-4.0", { "cap-ccf-assist=on" }, 0xbc40000000000000ULL, 0xe400000000000000ULL },
    { NULL,
      { "cap-cfpc=Fixed", "cap-sbbc=WORKAROUND" },
      0x8440000000000000ULL,
      0xa580000000000000ULL },
    { "pseries-2.12-sxxm", { "cap-ibs=workaround" }, 0xbc00000000000000ULL, 0xe400000000000000ULL },
    { NULL, { "cap-ccf-assist=yes" }, 0xbc40000000000000ULL, 0xe400000000000000ULL },
    /* QEMU 7.2 aborts on fixed-na: nothing for indirect branches. */
    { NULL, { "cap-ibs=fixed-na" }, 0xbc00000000000000ULL, 0xe000000000000000ULL },
};

static void test_cpu_characteristics(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(char_cases); i++) {
        const CharCase *c = &char_cases[i];
        SpaprMachineState *m = test_machine_new(1 * MiB, 1, c->type, c->props);
        target_ulong args[SPAPR_HCALL_NARGS];

        g_test_message("case %zu", i);
        poison(args);
        g_assert_cmpint(test_hcall(m, 0, H_GET_CPU_CHARACTERISTICS, args), ==, H_SUCCESS);
        g_assert_cmphex(args[0], ==, c->chars);
        g_assert_cmphex(args[1], ==, c->behav);
        assert_untouched_from(args, 2);
        test_machine_free(m);
    }
}

/* The named bits give the same default answer as the oracle's numbers. */
static void test_cpu_characteristics_bits(void)
{
    SpaprMachineState *m = test_machine_new(1 * MiB, 1, NULL, NULL);
    target_ulong args[SPAPR_HCALL_NARGS] = { 0 };

    g_assert_cmpint(test_hcall(m, 0, H_GET_CPU_CHARACTERISTICS, args), ==, H_SUCCESS);
    g_assert_cmphex(args[0], ==,
                    H_CPU_CHAR_SPEC_BAR_ORI31 | H_CPU_CHAR_L1D_FLUSH_ORI30 |
                        H_CPU_CHAR_L1D_FLUSH_TRIG2 | H_CPU_CHAR_L1D_THREAD_PRIV |
                        H_CPU_CHAR_BRANCH_HINTS_HONORED | H_CPU_CHAR_BCCTR_FLUSH_ASSIST);
    g_assert_cmphex(args[1], ==,
                    H_CPU_BEHAV_FAVOUR_SECURITY | H_CPU_BEHAV_L1D_FLUSH_PR |
                        H_CPU_BEHAV_BNDS_CHK_SPEC_BAR | H_CPU_BEHAV_FLUSH_COUNT_CACHE);
    test_machine_free(m);
}

static void test_random(void)
{
    SpaprMachineState *m = test_machine_new(1 * MiB, 1, NULL, NULL);
    target_ulong seen[32];
    unsigned distinct = 0;
    uint64_t ones = 0;

    for (size_t i = 0; i < ARRAY_SIZE(seen); i++) {
        target_ulong args[SPAPR_HCALL_NARGS];
        bool dup = false;

        poison(args);
        g_assert_cmpint(test_hcall(m, 0, H_RANDOM, args), ==, H_SUCCESS);
        assert_untouched_from(args, 1);
        seen[i] = args[0];
        ones += __builtin_popcountll(args[0]);
        for (size_t j = 0; j < i; j++) {
            dup |= seen[j] == seen[i];
        }
        distinct += !dup;
    }
    /* 64-bit values from a real source do not repeat, and use all bits. */
    g_assert_cmpuint(distinct, ==, ARRAY_SIZE(seen));
    g_assert_cmpuint(ones, >, 32 * 64 / 4);
    g_assert_cmpuint(ones, <, 32 * 64 * 3 / 4);
    test_machine_free(m);
}

static void test_icbi_dcbf(void)
{
    SpaprMachineState *m = test_machine_new(1 * MiB, 1, NULL, NULL);
    static const target_ulong ops[] = { H_LOGICAL_ICBI, H_LOGICAL_DCBF };

    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        target_ulong args[SPAPR_HCALL_NARGS];

        poison(args);
        g_assert_cmpint(test_hcall(m, 0, ops[i], args), ==, H_SUCCESS);
        assert_untouched_from(args, 0);
    }
    test_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hcall-cpu/sprg0", test_sprg0);
    g_test_add_func("/hcall-cpu/sprg0-sc1", test_sprg0_sc1);
    g_test_add_func("/hcall-cpu/set-dabr", test_set_dabr);
    g_test_add_func("/hcall-cpu/set-xdabr", test_set_xdabr);
    g_test_add_func("/hcall-cpu/set-xdabr-errors", test_set_xdabr_errors);
    g_test_add_func("/hcall-cpu/characteristics/configs", test_cpu_characteristics);
    g_test_add_func("/hcall-cpu/characteristics/bits", test_cpu_characteristics_bits);
    g_test_add_func("/hcall-cpu/random", test_random);
    g_test_add_func("/hcall-cpu/icbi-dcbf", test_icbi_dcbf);
    return g_test_run();
}
