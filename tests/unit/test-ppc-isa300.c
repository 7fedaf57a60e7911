/*
 * The POWER8 model refuses the Power ISA 3.0 instructions as QEMU 7.2 does:
 * every word of the FP, VMX and VSX opcode spaces that QEMU 7.2 runs on
 * -cpu power9 (test-ppc-isa300-data.c, from its qemu-ppc64le) is run on
 * both models here; on POWER8 it must be illegal exactly when it is there.
 */
#include "cpu-harness.h"
#include "target/ppc/internal.h"

#include "test-ppc-isa300-data.c"

#define MSR_ALL_FACILITIES (MSR_FP | MSR_VEC | MSR_VSX)

static PowerPCCPU *cpus[2]; /* POWER9, POWER8 */

static PowerPCCPU *model_cpu(bool power8)
{
    if (!cpus[0]) {
        cpus[0] = harness_cpu(); /* the default model, with RAM and the instruction tables */
    }
    if (power8 && !cpus[1]) {
        cpus[1] = ppc_cpu_create(ppc_cpu_model_find("power8"), 1);
        ppc_cpu_set_vhyp(cpus[1], NULL, &harness_vhyp);
    }
    cpus[power8] = harness_fresh(cpus[power8]);
    return cpus[power8];
}

/*
 * Run insn with every facility on (little-endian, as QEMU's linux-user);
 * r3 points at data, r4 is 0.  True when it is an illegal instruction.
 */
static bool is_illegal(bool power8, uint32_t insn)
{
    PowerPCCPU *cpu = model_cpu(power8);

    cpu->env.msr |= MSR_ALL_FACILITIES | MSR_LE;
    cpu->env.gpr[3] = HARNESS_DATA + 256;
    cpu->env.gpr[4] = 0;
    harness_run(cpu, &insn, 1);
    return cpu->env.nip == PPC_VEC_PROGRAM + 4 && (cpu->env.spr[SPR_SRR1] & SRR1_PROGRAM_ILLEGAL);
}

/*
 * Where we follow the ISA over QEMU 7.2 (docs/devel/design-notes.rst): these
 * Power ISA 3.0 instructions run on QEMU's POWER8 (its ISA 2.07 decode
 * tables let them through), a real POWER8 refuses them.
 */
static bool isa300_qemu_power8_runs(uint32_t insn)
{
    unsigned xo = insn & 0x7ff, xx2 = (insn >> 2) & 0x1ff;

    switch (insn >> 26) {
    case 4: /* vrldnm, vinsertb/h/w, bcdus. and bcdutrunc. with PS=1, bcdcfsq. & co with PS=0 */
        return xo == 453 || xo == 781 || xo == 845 || xo == 909 || xo == 1665 || xo == 1857 ||
               xo == 1409;
    case 60: /* xvtstdcsp, xvtstdcdp (any DCMX), xxspltib */
        return (xx2 & ~0x11) == 0x1aa || (xx2 & ~0x11) == 0x1ea || ((insn >> 1) & 0x3ff) == 360;
    default:
        return false;
    }
}

static const char *insn_name(uint32_t insn)
{
    const PPCInsnDef *def = ppc_insn_lookup(insn);

    return def ? def->name : "(none)";
}

/*
 * Words QEMU 7.2 runs on POWER9 that we do not run on POWER9 either (decimal
 * floating point, opcode-4 encodings QEMU decodes loosely) have no POWER8
 * answer to compare: they are counted and listed, not compared.
 */
static void test_power8_matches_qemu(void)
{
    unsigned ours_missing = 0, isa300 = 0, over_qemu = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(isa_words); i++) {
        uint32_t insn = isa_words[i].insn;
        bool p8_illegal;

        if (is_illegal(false, insn)) {
            if (ours_missing++ < 20) {
                g_test_message("0x%08x (%s): QEMU 7.2 runs it on POWER9, we do not", insn,
                               insn_name(insn));
            }
            continue;
        }
        p8_illegal = is_illegal(true, insn);
        if (p8_illegal && isa_words[i].on_power8 && isa300_qemu_power8_runs(insn)) {
            over_qemu++;
        } else if (p8_illegal != !isa_words[i].on_power8) {
            g_test_message("0x%08x (%s) on POWER8: %s here, %s on QEMU 7.2", insn, insn_name(insn),
                           p8_illegal ? "illegal" : "runs", p8_illegal ? "runs" : "illegal");
            g_test_fail();
        }
        isa300 += p8_illegal;
    }
    g_test_message("%zu words: %u illegal on POWER8 (%u where QEMU 7.2 runs them), "
                   "%u not run on POWER9 here",
                   G_N_ELEMENTS(isa_words), isa300, over_qemu, ours_missing);
    g_assert_cmpuint(isa300, >, 2000);
}

/* The ISA 3.0 FPSCR instructions by name: illegal on POWER8 whatever MSR[FP] says. */
static void test_power8_mffs_family(void)
{
    static const uint32_t mffs_300[] = {
        0xfc21048e, /* mffsce f1 */
        0xfc34148e, /* mffscdrn f1,f2 */
        0xfc35048e, /* mffscdrni f1,0 */
        0xfc36148e, /* mffscrn f1,f2 */
        0xfc37048e, /* mffscrni f1,0 */
        0xfc38048e, /* mffsl f1 */
    };

    for (size_t i = 0; i < G_N_ELEMENTS(mffs_300); i++) {
        for (int fp = 0; fp < 2; fp++) {
            PowerPCCPU *cpu = model_cpu(true);
            uint32_t insn = mffs_300[i];

            cpu->env.msr |= fp ? MSR_FP : 0;
            harness_run(cpu, &insn, 1);
            g_assert_cmphex(cpu->env.nip, ==, PPC_VEC_PROGRAM + 4);
            g_assert_true(cpu->env.spr[SPR_SRR1] & SRR1_PROGRAM_ILLEGAL);

            cpu = model_cpu(false);
            cpu->env.msr |= fp ? MSR_FP : 0;
            harness_run(cpu, &insn, 1);
            g_assert_cmphex(cpu->env.nip, ==, fp ? HARNESS_CODE + 8 : PPC_VEC_FP_UNAVAIL + 4);
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/ppc/isa300/power8-matches-qemu", test_power8_matches_qemu);
    g_test_add_func("/ppc/isa300/power8-mffs-family", test_power8_mffs_family);
    return g_test_run();
}
