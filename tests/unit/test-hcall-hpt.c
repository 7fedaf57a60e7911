/*
 * Unit tests for the HPT hcalls (H_ENTER, H_REMOVE, H_BULK_REMOVE, H_READ,
 * H_PROTECT, H_CLEAR_REF, H_CLEAR_MOD): every refusal returns its PAPR code
 * and leaves the table byte for byte as it was; successful changes drop the
 * CPUs' soft TLBs.  Also the hash MMU's translation as the CPU sees it: probe
 * without side effects, R/C, keys, no table.
 */
#include "spapr-test-machine.h"
#include "qemu/units.h"
#include "target/ppc/internal.h"
#include "target/ppc/mmu-hash64.h"

#define RAM (64 * MiB)

typedef struct Fixture {
    SpaprMachineState *m;
    uint8_t *snapshot; /* the HPT before the call under test */
    size_t size;
    uint64_t npte;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    f->m = test_machine_new(RAM, 2, NULL, NULL);
    for (unsigned i = 0; i < 2; i++) {
        ppc_cpu_set_vhyp(f->m->cpus[i], (PPCVirtualHypervisor *)f->m, &spapr_vhyp_ops);
        ppc_cpu_reset(f->m->cpus[i]);
    }
    spapr_hpt_reset(f->m);
    f->size = 1ULL << f->m->htab_shift;
    f->npte = f->size / HASH_PTE_SIZE_64;
    f->snapshot = g_malloc(f->size);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    g_free(f->snapshot);
    spapr_hpt_free(f->m);
    test_machine_free(f->m);
}

static void snapshot(Fixture *f)
{
    memcpy(f->snapshot, f->m->htab, f->size);
}

static void assert_unchanged(Fixture *f)
{
    g_assert_cmpint(memcmp(f->snapshot, f->m->htab, f->size), ==, 0);
}

static target_ulong call(Fixture *f, target_ulong opcode, target_ulong a0, target_ulong a1,
                         target_ulong a2, target_ulong a3, target_ulong *out)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { a0, a1, a2, a3 };
    target_ulong ret = test_hcall(f->m, 0, opcode, args);

    if (out) {
        memcpy(out, args, sizeof(args));
    }
    return ret;
}

/* A 4K page of a 256M segment, VSID 0x123: its first doubleword and group. */
#define VSID 0x123ULL
#define PTE_V ((VSID << 12) | HPTE64_V_VALID)
#define PTE_R(ra, pp) ((ra) | HPTE64_R_M | (pp))
#define GROUP ((VSID & ((1ULL << (19 - 7)) - 1)) * 8) /* hash of page 0 */

static void test_reset(Fixture *f, gconstpointer data)
{
    g_assert_cmpuint(f->m->htab_shift, ==, spapr_hpt_shift(RAM));
    g_assert_cmpuint(f->m->htab_shift, ==, 19);
    g_assert_cmpuint((uintptr_t)f->m->htab % (256 * KiB), ==, 0);
    /* Every PTE starts with QEMU's dirty bit only. */
    for (uint64_t i = 0; i < f->npte; i++) {
        g_assert_cmphex(hpte64_load(f->m->htab, i, 0), ==, HPTE64_V_HPTE_DIRTY);
        g_assert_cmphex(hpte64_load(f->m->htab, i, 1), ==, 0);
    }
}

static void test_enter_errors(Fixture *f, gconstpointer data)
{
    target_ulong out[SPAPR_HCALL_NARGS];
    unsigned slot;

    snapshot(f);
    /* Page size encodings no segment offers. */
    g_assert_cmpint(call(f, H_ENTER, 0, GROUP, PTE_V | HPTE64_V_LARGE, PTE_R(0x10000, 2), out), ==,
                    H_PARAMETER);
    g_assert_cmpint(
        call(f, H_ENTER, 0, GROUP, PTE_V | HPTE64_V_LARGE, PTE_R(0x1000000, 2) | 0x38000, out), ==,
        H_PARAMETER);
    /* WIMG: RAM must be M only; outside RAM I or I|M. */
    g_assert_cmpint(call(f, H_ENTER, 0, GROUP, PTE_V, 0x10000 | 2, out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_ENTER, 0, GROUP, PTE_V, PTE_R(0x10000, 2) | HPTE64_R_W, out), ==,
                    H_PARAMETER);
    g_assert_cmpint(call(f, H_ENTER, 0, GROUP, PTE_V, PTE_R(0x10000, 2) | HPTE64_R_G, out), ==,
                    H_PARAMETER);
    g_assert_cmpint(call(f, H_ENTER, 0, GROUP, PTE_V, PTE_R(RAM, 2), out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_ENTER, 0, GROUP, PTE_V, RAM | HPTE64_R_W | HPTE64_R_I, out), ==,
                    H_PARAMETER);
    /* Index outside the table (even with H_EXACT, even huge). */
    g_assert_cmpint(call(f, H_ENTER, 0, f->npte, PTE_V, PTE_R(0x10000, 2), out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_ENTER, H_EXACT, ~0ULL, PTE_V, PTE_R(0x10000, 2), out), ==,
                    H_PARAMETER);
    assert_unchanged(f);

    /* I/O outside RAM with I|G is accepted. */
    g_assert_cmpint(call(f, H_ENTER, 0, GROUP, PTE_V, RAM | HPTE64_R_I | HPTE64_R_G, out), ==,
                    H_SUCCESS);
    g_assert_cmpuint(out[0], ==, GROUP);

    /* Group full; H_EXACT on a used slot. */
    for (slot = 1; slot < 8; slot++) {
        g_assert_cmpint(call(f, H_ENTER, 0, GROUP + 3, PTE_V, PTE_R(0x10000, 2), out), ==,
                        H_SUCCESS);
        g_assert_cmpuint(out[0], ==, GROUP + slot);
    }
    snapshot(f);
    g_assert_cmpint(call(f, H_ENTER, 0, GROUP, PTE_V, PTE_R(0x10000, 2), out), ==, H_PTEG_FULL);
    g_assert_cmpint(call(f, H_ENTER, H_EXACT, GROUP + 5, PTE_V, PTE_R(0x10000, 2), out), ==,
                    H_PTEG_FULL);
    assert_unchanged(f);
}

static void test_remove_protect_read_errors(Fixture *f, gconstpointer data)
{
    target_ulong out[SPAPR_HCALL_NARGS];
    uint64_t v, r;

    g_assert_cmpint(call(f, H_ENTER, H_EXACT, GROUP + 2, PTE_V, PTE_R(0x20000, 2), out), ==,
                    H_SUCCESS);
    v = hpte64_load(f->m->htab, GROUP + 2, 0);
    r = hpte64_load(f->m->htab, GROUP + 2, 1);
    g_assert_cmphex(v, ==, PTE_V | HPTE64_V_HPTE_DIRTY);
    snapshot(f);

    g_assert_cmpint(call(f, H_REMOVE, 0, f->npte, 0, 0, out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_REMOVE, 0, GROUP + 3, 0, 0, out), ==, H_NOT_FOUND);
    g_assert_cmpint(call(f, H_REMOVE, H_AVPN, GROUP + 2, (v & ~0x7fULL) ^ 0x1000, 0, out), ==,
                    H_NOT_FOUND);
    g_assert_cmpint(call(f, H_REMOVE, H_ANDCOND, GROUP + 2, HPTE64_V_HPTE_DIRTY, 0, out), ==,
                    H_NOT_FOUND);
    g_assert_cmpint(call(f, H_PROTECT, 2, f->npte, 0, 0, out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_PROTECT, 2, GROUP + 3, 0, 0, out), ==, H_NOT_FOUND);
    g_assert_cmpint(call(f, H_PROTECT, H_AVPN | 3, GROUP + 2, 0x80, 0, out), ==, H_NOT_FOUND);
    g_assert_cmpint(call(f, H_READ, 0, f->npte, 0, 0, out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_READ, H_READ_4, f->npte + 2, 0, 0, out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_CLEAR_REF, 0, f->npte, 0, 0, out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_CLEAR_MOD, 0, f->npte, 0, 0, out), ==, H_PARAMETER);
    g_assert_cmpint(call(f, H_CLEAR_REF, 0, GROUP + 3, 0, 0, out), ==, H_NOT_FOUND);
    g_assert_cmpint(call(f, H_CLEAR_MOD, 0, GROUP + 3, 0, 0, out), ==, H_NOT_FOUND);
    assert_unchanged(f);

    /* The last slot of the table is a valid index. */
    g_assert_cmpint(call(f, H_READ, 0, f->npte - 1, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, HPTE64_V_HPTE_DIRTY);
    /* H_CLEAR_REF/MOD: the old second doubleword back, one bit cleared. */
    hpte64_store(f->m->htab, GROUP + 2, 1, r | HPTE64_R_R | HPTE64_R_C);
    g_assert_cmpint(call(f, H_CLEAR_REF, 0, GROUP + 2, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, r | HPTE64_R_R | HPTE64_R_C);
    g_assert_cmphex(hpte64_load(f->m->htab, GROUP + 2, 1), ==, r | HPTE64_R_C);
    g_assert_cmpint(call(f, H_CLEAR_MOD, 0, GROUP + 2, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, r | HPTE64_R_C);
    g_assert_cmphex(hpte64_load(f->m->htab, GROUP + 2, 1), ==, r);
}

static void test_bulk_errors(Fixture *f, gconstpointer data)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { 0 };

    g_assert_cmpint(call(f, H_ENTER, H_EXACT, GROUP + 1, PTE_V, PTE_R(0x20000, 2), NULL), ==,
                    H_SUCCESS);
    snapshot(f);
    /* Type 00 (not a request) first: nothing happens. */
    args[0] = GROUP + 1;
    g_assert_cmpint(test_hcall(f->m, 0, H_BULK_REMOVE, args), ==, H_PARAMETER);
    g_assert_cmphex(args[0], ==, GROUP + 1);
    /* ANDCOND and AVPN together. */
    args[0] = 0x4000000000000000ULL | 0x0300000000000000ULL | (GROUP + 1);
    g_assert_cmpint(test_hcall(f->m, 0, H_BULK_REMOVE, args), ==, H_PARAMETER);
    g_assert_cmphex(args[0], ==, 0xa300000000000000ULL | (GROUP + 1));
    /* A bad index. */
    args[0] = 0x4000000000000000ULL | f->npte;
    g_assert_cmpint(test_hcall(f->m, 0, H_BULK_REMOVE, args), ==, H_PARAMETER);
    g_assert_cmphex(args[0], ==, 0xa000000000000000ULL | f->npte);
    assert_unchanged(f);
    /* End of list at once: success, nothing done. */
    args[0] = 0xc000000000000000ULL;
    g_assert_cmpint(test_hcall(f->m, 0, H_BULK_REMOVE, args), ==, H_SUCCESS);
    assert_unchanged(f);
}

static void test_no_hpt(Fixture *f, gconstpointer data)
{
    static const target_ulong ops[] = { H_ENTER,     H_REMOVE,    H_READ,       H_PROTECT,
                                        H_CLEAR_REF, H_CLEAR_MOD, H_BULK_REMOVE };

    spapr_hpt_free(f->m);
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        target_ulong args[SPAPR_HCALL_NARGS] = { 0x4000000000000000ULL, 0, PTE_V, PTE_R(0, 2) };

        g_assert_cmpint(test_hcall(f->m, 0, ops[i], args), ==, H_FUNCTION);
    }
}

/* A successful removal or protection change empties every CPU's soft TLB. */
static void test_tlb_flush(Fixture *f, gconstpointer data)
{
    target_ulong out[SPAPR_HCALL_NARGS];

    g_assert_cmpint(call(f, H_ENTER, H_EXACT, GROUP, PTE_V, PTE_R(0x20000, 2), NULL), ==,
                    H_SUCCESS);
    for (unsigned i = 0; i < 2; i++) {
        f->m->cpus[i]->env.tlb_read[3].tag = 0x3000;
        f->m->cpus[i]->env.tlb_write[3].tag = 0x3000;
        /* entries written by hand are not among the filled ones a flush lists */
        f->m->cpus[i]->env.tlb_listed = false;
    }
    /* A refusal keeps them. */
    g_assert_cmpint(call(f, H_REMOVE, 0, GROUP + 1, 0, 0, out), ==, H_NOT_FOUND);
    g_assert_cmphex(f->m->cpus[1]->env.tlb_read[3].tag, ==, 0x3000);
    g_assert_cmpint(call(f, H_PROTECT, 3, GROUP, 0, 0, out), ==, H_SUCCESS);
    for (unsigned i = 0; i < 2; i++) {
        g_assert_cmphex(f->m->cpus[i]->env.tlb_read[3].tag, ==, ~0ULL);
        g_assert_cmphex(f->m->cpus[i]->env.tlb_write[3].tag, ==, ~0ULL);
        f->m->cpus[i]->env.tlb_code[3].tag = 0x3000;
        f->m->cpus[i]->env.tlb_listed = false;
    }
    g_assert_cmpint(call(f, H_REMOVE, 0, GROUP, 0, 0, out), ==, H_SUCCESS);
    for (unsigned i = 0; i < 2; i++) {
        g_assert_cmphex(f->m->cpus[i]->env.tlb_code[3].tag, ==, ~0ULL);
    }
}

/* ---- The MMU side ------------------------------------------------------------ */

static CPUPPCState *xlate_env(Fixture *f)
{
    CPUPPCState *env = &f->m->cpus[0]->env;

    env->msr |= MSR_IR | MSR_DR;
    env->slb[0].esid = 0 | SLB_ESID_V;
    env->slb[0].vsid = VSID << SLB_VSID_SHIFT;
    return env;
}

static void test_xlate(Fixture *f, gconstpointer data)
{
    CPUPPCState *env = xlate_env(f);
    PPCXlateFault fault;
    uint64_t ra;

    g_assert_cmpint(call(f, H_ENTER, H_EXACT, GROUP, PTE_V, PTE_R(0x20000, 2), NULL), ==,
                    H_SUCCESS);
    /* A probe changes nothing. */
    snapshot(f);
    g_assert_true(ppc_xlate(env, 0x123, PPC_ACCESS_STORE, true, &ra, &fault));
    g_assert_cmphex(ra, ==, 0x20123);
    assert_unchanged(f);
    /* A load sets R, a store C too. */
    g_assert_true(ppc_xlate(env, 0x123, PPC_ACCESS_LOAD, false, &ra, &fault));
    g_assert_cmphex(hpte64_load(f->m->htab, GROUP, 1), ==, PTE_R(0x20000, 2) | HPTE64_R_R);
    g_assert_true(ppc_xlate(env, 0xff8, PPC_ACCESS_STORE, false, &ra, &fault));
    g_assert_cmphex(ra, ==, 0x20ff8);
    g_assert_cmphex(hpte64_load(f->m->htab, GROUP, 1), ==,
                    PTE_R(0x20000, 2) | HPTE64_R_R | HPTE64_R_C);
    /* No PTE for the next page; no segment past 256M. */
    g_assert_false(ppc_xlate(env, 0x1000, PPC_ACCESS_STORE, false, &ra, &fault));
    g_assert_cmpuint(fault.vector, ==, PPC_VEC_DSI);
    g_assert_cmphex(fault.dsisr, ==, DSISR_NOPTE | DSISR_STORE);
    g_assert_false(ppc_xlate(env, 0x10000000, PPC_ACCESS_FETCH, false, &ra, &fault));
    g_assert_cmpuint(fault.vector, ==, PPC_VEC_ISEG);
    g_assert_false(ppc_xlate(env, 0x10000000, PPC_ACCESS_LOAD, false, &ra, &fault));
    g_assert_cmpuint(fault.vector, ==, PPC_VEC_DSEG);

    /* Keys: IAMR refuses fetches (SRR1 bit 42), AMR loads and stores (DSISR bit 42). */
    hpte64_store(f->m->htab, GROUP, 1, PTE_R(0x20000, 2) | (7ULL << 9));
    env->spr[SPR_IAMR] = 1ULL << (2 * (31 - 7));
    env->spr[SPR_AMR] = 3ULL << (2 * (31 - 7));
    g_assert_false(ppc_xlate(env, 0x100, PPC_ACCESS_FETCH, false, &ra, &fault));
    g_assert_cmpuint(fault.vector, ==, PPC_VEC_ISI);
    g_assert_cmphex(fault.srr1_bits, ==, SRR1_KEYFAULT);
    g_assert_false(ppc_xlate(env, 0x100, PPC_ACCESS_LOAD, false, &ra, &fault));
    g_assert_cmphex(fault.dsisr, ==, DSISR_KEYFAULT);
    /* A key in the high bits (key 24 = KEY_HI 0b11, KEY_LO 0): other AMR bits. */
    hpte64_store(f->m->htab, GROUP, 1, PTE_R(0x20000, 2) | HPTE64_R_KEY_HI);
    g_assert_true(ppc_xlate(env, 0x100, PPC_ACCESS_LOAD, false, &ra, &fault));
    env->spr[SPR_AMR] = 2ULL << (2 * (31 - 24));
    g_assert_false(ppc_xlate(env, 0x100, PPC_ACCESS_STORE, false, &ra, &fault));
    g_assert_cmphex(fault.dsisr, ==, DSISR_KEYFAULT | DSISR_STORE);
    env->spr[SPR_AMR] = env->spr[SPR_IAMR] = 0;

    /* G: no fetches (no-execute/guard in SRR1), data fine. */
    hpte64_store(f->m->htab, GROUP, 1, PTE_R(0x20000, 2) | HPTE64_R_G);
    g_assert_false(ppc_xlate(env, 0x100, PPC_ACCESS_FETCH, false, &ra, &fault));
    g_assert_cmphex(fault.srr1_bits, ==, SRR1_NOEXEC_GUARD);
    g_assert_true(ppc_xlate(env, 0x100, PPC_ACCESS_STORE, false, &ra, &fault));

    /* Without a table nothing translates: no PTE. */
    spapr_hpt_free(f->m);
    g_assert_false(ppc_xlate(env, 0x100, PPC_ACCESS_LOAD, false, &ra, &fault));
    g_assert_cmpuint(fault.vector, ==, PPC_VEC_DSI);
    g_assert_cmphex(fault.dsisr, ==, DSISR_NOPTE);
    g_assert_false(ppc_xlate(env, 0x100, PPC_ACCESS_FETCH, false, &ra, &fault));
    g_assert_cmpuint(fault.vector, ==, PPC_VEC_ISI);
    g_assert_cmphex(fault.srr1_bits, ==, SRR1_NOPTE);
}

/* Page sizes: what H_ENTER and slbmte accept (QEMU 7.2 pseries: 4K and 64K). */
static void test_page_sizes(Fixture *f, gconstpointer data)
{
    g_assert_cmpuint(ppc_hash64_slb_page_shift(0), ==, 12);
    g_assert_cmpuint(ppc_hash64_slb_page_shift(SLB_VSID_LLP_64K), ==, 16);
    g_assert_cmpuint(ppc_hash64_slb_page_shift(SLB_VSID_L), ==, 0);        /* 16M */
    g_assert_cmpuint(ppc_hash64_slb_page_shift(SLB_VSID_L | 0x20), ==, 0); /* 16G */
    g_assert_cmpuint(ppc_hash64_pte_page_shift_noslb(0, 0), ==, 12);
    g_assert_cmpuint(ppc_hash64_pte_page_shift_noslb(HPTE64_V_LARGE, 0x1000), ==, 16);
    g_assert_cmpuint(ppc_hash64_pte_page_shift_noslb(HPTE64_V_LARGE, 0x3000), ==, 0);
    g_assert_cmpuint(ppc_hash64_pte_page_shift_noslb(HPTE64_V_LARGE, 0), ==, 0);
    g_assert_cmpuint(ppc_hash64_pte_page_shift(12, HPTE64_V_LARGE, 0x1000), ==, 0);
    g_assert_cmpuint(ppc_hash64_pte_page_shift(16, 0, 0), ==, 0);
    g_assert_cmpuint(ppc_hash64_pte_page_shift(16, HPTE64_V_LARGE, 0x11000), ==, 16);
}

#define ADD(name, fn)                                                                              \
    g_test_add("/hcall/hpt/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("reset", test_reset);
    ADD("enter-errors", test_enter_errors);
    ADD("remove-protect-read-errors", test_remove_protect_read_errors);
    ADD("bulk-errors", test_bulk_errors);
    ADD("no-hpt", test_no_hpt);
    ADD("tlb-flush", test_tlb_flush);
    ADD("xlate", test_xlate);
    ADD("page-sizes", test_page_sizes);
    return g_test_run();
}
