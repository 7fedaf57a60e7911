/*
 * Unit tests of the vCPU state conversions for KVM on ppc64 hosts
 * (accel/kvm/kvm-ppc.c): struct kvm_regs, kvm_sregs and the ONE_REG
 * layouts, run under qemu-ppc64le by make check-cross.
 */
#include "sysemu/kvm-ppc.h"

static void fill_env(CPUPPCState *env)
{
    memset(env, 0, sizeof(*env));
    for (unsigned i = 0; i < 32; i++) {
        env->gpr[i] = 0x1000000000000001ULL * (i + 1);
    }
    env->nip = 0xc000000000001234ULL;
    env->msr = 0x8000000000001033ULL;
    env->lr = 0x1111;
    env->ctr = 0x2222;
    ppc_set_cr(env, 0x12345678);
    ppc_set_xer(env, 0xe00c0000 | 0x7f); /* SO OV CA, OV32 CA32, byte count */
    env->spr[SPR_SRR0] = 0x3333;
    env->spr[SPR_SRR1] = 0x4444;
    env->spr[SPR_PIDR] = 7;
    env->spr[SPR_SPRG0] = 0x10;
    env->spr[SPR_SPRG3] = 0x13;
    env->spr[SPR_PVR] = 0x004e1202;
    env->spr[SPR_DAR] = 0xdead0000;
    env->spr[SPR_DSISR] = 0x42000000;
    env->spr[SPR_LPCR] = 0x0040000000020000ULL;
    env->fpscr = 0x00000000820000f8ULL;
    env->vscr = 0x00010001;
    for (unsigned i = 0; i < 64; i++) {
        env->vsr[i].u128 = (unsigned __int128)(0xa0a0a0a000000000ULL + i) << 64 | (0x5050 + i);
    }
    env->slb[0].esid = 0xc000000008000000ULL;
    env->slb[0].vsid = 0x0000400ea1b2c000ULL;
    env->slb[5].esid = 0x0000000008000000ULL;
    env->slb[5].vsid = 0x1234000ULL;
}

static void test_regs(void)
{
    CPUPPCState env, back;
    struct kvm_regs regs;

    fill_env(&env);
    kvm_ppc_regs_from_env(&env, &regs);
    g_assert_cmphex(regs.pc, ==, 0xc000000000001234ULL);
    g_assert_cmphex(regs.cr, ==, 0x12345678);
    g_assert_cmphex(regs.xer, ==, ppc_get_xer(&env));
    g_assert_cmphex(regs.xer & 0xe0000000, ==, 0xe0000000);
    g_assert_cmphex(regs.msr, ==, env.msr);
    g_assert_cmphex(regs.lr, ==, 0x1111);
    g_assert_cmphex(regs.ctr, ==, 0x2222);
    g_assert_cmphex(regs.srr0, ==, 0x3333);
    g_assert_cmphex(regs.srr1, ==, 0x4444);
    g_assert_cmphex(regs.pid, ==, 7);
    g_assert_cmphex(regs.sprg0, ==, 0x10);
    g_assert_cmphex(regs.sprg3, ==, 0x13);
    for (unsigned i = 0; i < 32; i++) {
        g_assert_cmphex(regs.gpr[i], ==, env.gpr[i]);
    }
    memset(&back, 0, sizeof(back));
    kvm_ppc_regs_to_env(&back, &regs);
    g_assert_cmphex(back.nip, ==, env.nip);
    g_assert_cmphex(ppc_get_cr(&back), ==, 0x12345678);
    g_assert_cmphex(ppc_get_xer(&back), ==, ppc_get_xer(&env));
    g_assert_cmpuint(back.so, ==, 1);
    g_assert_cmpuint(back.ca32, ==, 1);
    g_assert_cmpmem(back.gpr, sizeof(back.gpr), env.gpr, sizeof(env.gpr));
    g_assert_cmphex(back.spr[SPR_SRR1], ==, 0x4444);
}

static void test_sregs(void)
{
    CPUPPCState env, back;
    struct kvm_sregs sregs;

    fill_env(&env);
    kvm_ppc_sregs_from_env(&env, &sregs);
    g_assert_cmphex(sregs.pvr, ==, 0x004e1202);
    /* slbmte's RB: ESID and V, the entry's index in the low bits. */
    g_assert_cmphex(sregs.u.s.ppc64.slb[0].slbe, ==, 0xc000000008000000ULL);
    g_assert_cmphex(sregs.u.s.ppc64.slb[5].slbe, ==, 0x0000000008000005ULL);
    g_assert_cmphex(sregs.u.s.ppc64.slb[5].slbv, ==, 0x1234000ULL);
    g_assert_cmphex(sregs.u.s.ppc64.slb[3].slbe, ==, 3);
    memset(&back, 0, sizeof(back));
    /* The kernel may list entries in any order: each goes to its index. */
    struct kvm_sregs shuffled = sregs;
    shuffled.u.s.ppc64.slb[0] = sregs.u.s.ppc64.slb[5];
    shuffled.u.s.ppc64.slb[5] = sregs.u.s.ppc64.slb[0];
    kvm_ppc_sregs_to_env(&back, &shuffled);
    g_assert_cmpmem(back.slb, sizeof(back.slb), env.slb, sizeof(env.slb));
    /* An index past our SLB is ignored, not written past it. */
    shuffled.u.s.ppc64.slb[40].slbe = 0x0800000000000000ULL | 40;
    kvm_ppc_sregs_to_env(&back, &shuffled);
    g_assert_cmpmem(back.slb, sizeof(back.slb), env.slb, sizeof(env.slb));
}

static void test_one_reg_layouts(void)
{
    CPUPPCState env;
    uint8_t buf[16];
    uint64_t dw[2];
    uint32_t w;

    fill_env(&env);
    g_assert_cmpuint(kvm_ppc_one_reg_size(KVM_REG_PPC_DSISR), ==, 4);
    g_assert_cmpuint(kvm_ppc_one_reg_size(KVM_REG_PPC_DAR), ==, 8);
    g_assert_cmpuint(kvm_ppc_one_reg_size(KVM_REG_PPC_VSR(3)), ==, 16);
    g_assert_true(kvm_ppc_one_reg_get(&env, KVM_REG_PPC_DSISR, buf));
    memcpy(&w, buf, 4);
    g_assert_cmphex(w, ==, 0x42000000);
    g_assert_true(kvm_ppc_one_reg_get(&env, KVM_REG_PPC_LPCR_64, buf));
    memcpy(dw, buf, 8);
    g_assert_cmphex(dw[0], ==, 0x0040000000020000ULL);
    g_assert_true(kvm_ppc_one_reg_get(&env, KVM_REG_PPC_FPSCR, buf));
    memcpy(dw, buf, 8);
    g_assert_cmphex(dw[0], ==, 0x820000f8);
    g_assert_true(kvm_ppc_one_reg_get(&env, KVM_REG_PPC_VSCR, buf));
    memcpy(&w, buf, 4);
    g_assert_cmphex(w, ==, 0x00010001);
    /* VSR n: doubleword 0 (FPR n) first. */
    g_assert_true(kvm_ppc_one_reg_get(&env, KVM_REG_PPC_VSR(3), buf));
    memcpy(dw, buf, 16);
    g_assert_cmphex(dw[0], ==, 0xa0a0a0a000000003ULL);
    g_assert_cmphex(dw[1], ==, 0x5053);
    /* VR n is VSR 32 + n, the host's 128-bit value. */
    g_assert_true(kvm_ppc_one_reg_get(&env, KVM_REG_PPC_VR(2), buf));
    g_assert_cmpmem(buf, 16, &env.vsr[34].u128, 16);
    g_assert_false(kvm_ppc_one_reg_get(&env, KVM_REG_PPC_HIOR, buf));
    g_assert_false(kvm_ppc_one_reg_set(&env, KVM_REG_PPC_HIOR, buf));
}

/* Every register of the list goes out and comes back unchanged; set changes env. */
static void test_one_reg_round_trip(void)
{
    const KvmPpcOneReg *list;
    size_t n = kvm_ppc_one_regs(&list);
    CPUPPCState env, back;

    g_assert_cmpuint(n, >=, 64 + 2 + 20);
    fill_env(&env);
    for (size_t i = 0; i < n; i++) {
        g_assert_true(kvm_ppc_one_reg_size(list[i].id) == 4 ||
                      kvm_ppc_one_reg_size(list[i].id) == 8 ||
                      kvm_ppc_one_reg_size(list[i].id) == 16);
        for (size_t j = 0; j < i; j++) {
            g_assert_cmphex(list[i].id, !=, list[j].id);
        }
    }
    memset(&back, 0, sizeof(back));
    for (size_t i = 0; i < n; i++) {
        uint8_t buf[16];

        g_assert_true(kvm_ppc_one_reg_get(&env, list[i].id, buf));
        g_assert_true(kvm_ppc_one_reg_set(&back, list[i].id, buf));
    }
    g_assert_cmpmem(back.vsr, sizeof(back.vsr), env.vsr, sizeof(env.vsr));
    g_assert_cmphex(back.fpscr, ==, env.fpscr);
    g_assert_cmphex(back.vscr, ==, env.vscr);
    g_assert_cmphex(back.spr[SPR_DAR], ==, env.spr[SPR_DAR]);
    g_assert_cmphex(back.spr[SPR_DSISR], ==, env.spr[SPR_DSISR]);
    g_assert_cmphex(back.spr[SPR_LPCR], ==, env.spr[SPR_LPCR]);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/kvm-ppc/regs", test_regs);
    g_test_add_func("/kvm-ppc/sregs", test_sregs);
    g_test_add_func("/kvm-ppc/one-reg/layouts", test_one_reg_layouts);
    g_test_add_func("/kvm-ppc/one-reg/round-trip", test_one_reg_round_trip);
    return g_test_run();
}
