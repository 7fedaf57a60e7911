/*
 * Unit tests of the execution engine itself: sc 1 reaches the hypervisor
 * hook, unknown opcodes raise the illegal-instruction program interrupt,
 * stores into translated code are seen on the next fetch, fetches outside
 * RAM machine-check.
 */
#include "cpu-harness.h"

#define SPR_SRR0_N 26
#define SPR_SRR1_N 27

static void test_sc1_stops(void)
{
    PowerPCCPU *cpu = harness_cpu();

    harness_hcalls = 0;
    harness_run(cpu, NULL, 0);
    g_assert_cmpint(harness_hcalls, ==, 1);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 4);
    ppc_cpu_free(cpu);
}

static void test_illegal_raises_program(void)
{
    PowerPCCPU *cpu = harness_cpu();
    const uint32_t insns[] = { 0x00000000 }; /* primary opcode 0: illegal */

    /* The program vector holds sc 1, so execution stops there. */
    guest_stl_be(0x700, HARNESS_SC1);
    harness_hcalls = 0;
    harness_run(cpu, insns, 1);
    g_assert_cmpint(harness_hcalls, ==, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x704);
    g_assert_cmphex(cpu->env.spr[SPR_SRR0_N], ==, HARNESS_CODE);
    /* SRR1 bit 44: illegal instruction */
    g_assert_true(cpu->env.spr[SPR_SRR1_N] & PPC_BIT(44));
    g_assert_true(cpu->env.msr & MSR_SF);
    ppc_cpu_free(cpu);
}

static void test_fetch_outside_ram(void)
{
    PowerPCCPU *cpu = harness_cpu();

    guest_stl_be(0x200, HARNESS_SC1);
    cpu->env.nip = 32 * MiB;
    cpu->env.exit_request = 0;
    ppc_cpu_exec(cpu);
    g_assert_cmphex(cpu->env.nip, ==, 0x204);
    g_assert_cmphex(cpu->env.spr[SPR_SRR0_N], ==, 32 * MiB);
    ppc_cpu_free(cpu);
}

/* A host write into translated code (as a hypercall or the loader does). */
static void test_host_write_invalidates(void)
{
    PowerPCCPU *cpu = harness_cpu();
    const uint32_t illegal[] = { 0x00000000 };

    guest_stl_be(0x700, HARNESS_SC1);
    harness_run(cpu, illegal, 1);
    g_assert_cmphex(cpu->env.nip, ==, 0x704);
    /* Replace the illegal word by sc 1: the next run must see the sc. */
    guest_stl_be(HARNESS_CODE, HARNESS_SC1);
    cpu->env.nip = HARNESS_CODE;
    cpu->env.exit_request = 0;
    ppc_cpu_exec(cpu);
    g_assert_cmphex(cpu->env.nip, ==, HARNESS_CODE + 4);
    ppc_cpu_free(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cpu-exec/sc1", test_sc1_stops);
    g_test_add_func("/cpu-exec/illegal", test_illegal_raises_program);
    g_test_add_func("/cpu-exec/fetch-outside-ram", test_fetch_outside_ram);
    g_test_add_func("/cpu-exec/host-write-invalidates", test_host_write_invalidates);
    return g_test_run();
}
