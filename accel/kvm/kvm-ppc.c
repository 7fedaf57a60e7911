/*
 * The vCPU state of a Book3S 64-bit guest as KVM carries it: struct
 * kvm_regs and kvm_sregs, and the ONE_REG ids for the SPRs, FP, VMX and VSX
 * registers.  Pure conversions, so that they are tested without /dev/kvm.
 */
#include "sysemu/kvm-ppc.h"

/* SPR numbers (Power ISA 3.0B Book III) that only this file needs. */
#define SPR_DSCR 17
#define SPR_TFHAR 128
#define SPR_TFIAR 129
#define SPR_TEXASR 130
#define SPR_TIDR 144
#define SPR_DPDES 176
#define SPR_DAWR0 180
#define SPR_CIABR 187
#define SPR_DAWRX0 188
#define SPR_VRSAVE 256
#define SPR_SPURR 308
#define SPR_PURR 309
#define SPR_VTB 351
#define SPR_SIER 784
#define SPR_MMCR2 785
#define SPR_MMCRA 786
#define SPR_PMC1 787
#define SPR_MMCR0 795
#define SPR_SIAR 796
#define SPR_SDAR 797
#define SPR_MMCR1 798
#define SPR_EBBHR 804
#define SPR_EBBRR 805
#define SPR_BESCR 806
#define SPR_PSSCR 823 /* the privileged view a partition has */
#define SPR_WORT 895

/* SLBE (slbmte's RB): ESID, V, and the entry's index in the low 12 bits. */
#define SLBE_INDEX_MASK 0xfffULL

void kvm_ppc_regs_from_env(const CPUPPCState *env, struct kvm_regs *regs)
{
    memset(regs, 0, sizeof(*regs));
    regs->pc = env->nip;
    regs->cr = ppc_get_cr(env);
    regs->ctr = env->ctr;
    regs->lr = env->lr;
    regs->xer = ppc_get_xer(env);
    regs->msr = env->msr;
    regs->srr0 = env->spr[SPR_SRR0];
    regs->srr1 = env->spr[SPR_SRR1];
    regs->pid = env->spr[SPR_PIDR];
    regs->sprg0 = env->spr[SPR_SPRG0];
    regs->sprg1 = env->spr[SPR_SPRG1];
    regs->sprg2 = env->spr[SPR_SPRG2];
    regs->sprg3 = env->spr[SPR_SPRG3];
    for (unsigned i = 0; i < 32; i++) {
        regs->gpr[i] = env->gpr[i];
    }
}

void kvm_ppc_regs_to_env(CPUPPCState *env, const struct kvm_regs *regs)
{
    env->nip = regs->pc;
    ppc_set_cr(env, (uint32_t)regs->cr);
    env->ctr = regs->ctr;
    env->lr = regs->lr;
    ppc_set_xer(env, regs->xer);
    env->msr = regs->msr;
    env->spr[SPR_SRR0] = regs->srr0;
    env->spr[SPR_SRR1] = regs->srr1;
    env->spr[SPR_PIDR] = regs->pid;
    env->spr[SPR_SPRG0] = regs->sprg0;
    env->spr[SPR_SPRG1] = regs->sprg1;
    env->spr[SPR_SPRG2] = regs->sprg2;
    env->spr[SPR_SPRG3] = regs->sprg3;
    for (unsigned i = 0; i < 32; i++) {
        env->gpr[i] = regs->gpr[i];
    }
}

void kvm_ppc_sregs_from_env(const CPUPPCState *env, struct kvm_sregs *sregs)
{
    memset(sregs, 0, sizeof(*sregs));
    sregs->pvr = (uint32_t)env->spr[SPR_PVR];
    sregs->u.s.sdr1 = env->spr[SPR_SDR1];
    G_STATIC_ASSERT(PPC_SLB_MAX <= G_N_ELEMENTS(sregs->u.s.ppc64.slb));
    for (unsigned i = 0; i < PPC_SLB_MAX; i++) {
        sregs->u.s.ppc64.slb[i].slbe = (env->slb[i].esid & ~SLBE_INDEX_MASK) | i;
        sregs->u.s.ppc64.slb[i].slbv = env->slb[i].vsid;
    }
}

void kvm_ppc_sregs_to_env(CPUPPCState *env, const struct kvm_sregs *sregs)
{
    env->spr[SPR_SDR1] = sregs->u.s.sdr1;
    memset(env->slb, 0, sizeof(env->slb));
    /* The kernel lists entries with their index; it may have more than we hold. */
    for (unsigned i = 0; i < G_N_ELEMENTS(sregs->u.s.ppc64.slb); i++) {
        uint64_t slbe = sregs->u.s.ppc64.slb[i].slbe;
        unsigned index = slbe & SLBE_INDEX_MASK;

        if (index < PPC_SLB_MAX && (slbe & ~SLBE_INDEX_MASK)) {
            env->slb[index].esid = slbe & ~SLBE_INDEX_MASK;
            env->slb[index].vsid = sregs->u.s.ppc64.slb[i].slbv;
        }
    }
}

typedef enum OneRegKind {
    ONE_REG_SPR,
    ONE_REG_FPSCR,
    ONE_REG_VSCR,
    ONE_REG_VR,
    ONE_REG_VSR,
} OneRegKind;

typedef struct OneRegDesc {
    KvmPpcOneReg reg;
    OneRegKind kind;
    unsigned n; /* the SPR number, or the VR/VSR number */
} OneRegDesc;

#define SPR(ID, NUM)                                                                               \
    {                                                                                              \
        { KVM_REG_PPC_##ID, #ID }, ONE_REG_SPR, NUM                                                \
    }

/* The SPRs a pseries guest on Book3S HV/PR has, and where we keep them. */
static const OneRegDesc spr_regs[] = {
    SPR(DAR, SPR_DAR),       SPR(DSISR, SPR_DSISR),   SPR(AMR, SPR_AMR),
    SPR(UAMOR, SPR_UAMOR),   SPR(IAMR, SPR_IAMR),     SPR(DSCR, SPR_DSCR),
    SPR(PURR, SPR_PURR),     SPR(SPURR, SPR_SPURR),   SPR(FSCR, SPR_FSCR),
    SPR(PSPB, SPR_PSPB),     SPR(TAR, SPR_TAR),       SPR(PPR, SPR_PPR),
    SPR(CIABR, SPR_CIABR),   SPR(DAWR, SPR_DAWR0),    SPR(DAWRX, SPR_DAWRX0),
    SPR(EBBHR, SPR_EBBHR),   SPR(EBBRR, SPR_EBBRR),   SPR(BESCR, SPR_BESCR),
    SPR(TIDR, SPR_TIDR),     SPR(PSSCR, SPR_PSSCR),   SPR(VRSAVE, SPR_VRSAVE),
    SPR(VTB, SPR_VTB),       SPR(DPDES, SPR_DPDES),   SPR(WORT, SPR_WORT),
    SPR(MMCR0, SPR_MMCR0),   SPR(MMCR1, SPR_MMCR1),   SPR(MMCR2, SPR_MMCR2),
    SPR(MMCRA, SPR_MMCRA),   SPR(SIAR, SPR_SIAR),     SPR(SDAR, SPR_SDAR),
    SPR(SIER, SPR_SIER),     SPR(PMC1, SPR_PMC1),     SPR(PMC2, SPR_PMC1 + 1),
    SPR(PMC3, SPR_PMC1 + 2), SPR(PMC4, SPR_PMC1 + 3), SPR(PMC5, SPR_PMC1 + 4),
    SPR(PMC6, SPR_PMC1 + 5), SPR(TFHAR, SPR_TFHAR),   SPR(TFIAR, SPR_TFIAR),
    SPR(TEXASR, SPR_TEXASR), SPR(LPCR_64, SPR_LPCR),
};

/* SPRs, then FPSCR, VSCR, VR0-31 and VSR0-31 (whose doubleword 0 is FPR n). */
#define ONE_REG_COUNT (G_N_ELEMENTS(spr_regs) + 2 + 32 + 32)
static OneRegDesc all_regs[ONE_REG_COUNT];
static KvmPpcOneReg all_public[ONE_REG_COUNT];
static const char *const vr_names[32] = {
    "VR0",  "VR1",  "VR2",  "VR3",  "VR4",  "VR5",  "VR6",  "VR7",  "VR8",  "VR9",  "VR10",
    "VR11", "VR12", "VR13", "VR14", "VR15", "VR16", "VR17", "VR18", "VR19", "VR20", "VR21",
    "VR22", "VR23", "VR24", "VR25", "VR26", "VR27", "VR28", "VR29", "VR30", "VR31",
};
static const char *const vsr_names[32] = {
    "VSR0",  "VSR1",  "VSR2",  "VSR3",  "VSR4",  "VSR5",  "VSR6",  "VSR7",
    "VSR8",  "VSR9",  "VSR10", "VSR11", "VSR12", "VSR13", "VSR14", "VSR15",
    "VSR16", "VSR17", "VSR18", "VSR19", "VSR20", "VSR21", "VSR22", "VSR23",
    "VSR24", "VSR25", "VSR26", "VSR27", "VSR28", "VSR29", "VSR30", "VSR31",
};

static void one_regs_init(void)
{
    static gsize done;

    if (!g_once_init_enter(&done)) {
        return;
    }
    size_t k = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(spr_regs); i++) {
        all_regs[k++] = spr_regs[i];
    }
    all_regs[k++] = (OneRegDesc){ { KVM_REG_PPC_FPSCR, "FPSCR" }, ONE_REG_FPSCR, 0 };
    all_regs[k++] = (OneRegDesc){ { KVM_REG_PPC_VSCR, "VSCR" }, ONE_REG_VSCR, 0 };
    for (unsigned i = 0; i < 32; i++) {
        all_regs[k++] = (OneRegDesc){ { KVM_REG_PPC_VR(i), vr_names[i] }, ONE_REG_VR, i };
    }
    for (unsigned i = 0; i < 32; i++) {
        all_regs[k++] = (OneRegDesc){ { KVM_REG_PPC_VSR(i), vsr_names[i] }, ONE_REG_VSR, i };
    }
    for (size_t i = 0; i < ONE_REG_COUNT; i++) {
        all_public[i] = all_regs[i].reg;
    }
    g_once_init_leave(&done, 1);
}

size_t kvm_ppc_one_regs(const KvmPpcOneReg **regs)
{
    one_regs_init();
    *regs = all_public;
    return ONE_REG_COUNT;
}

unsigned kvm_ppc_one_reg_size(uint64_t id)
{
    return 1u << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
}

static const OneRegDesc *one_reg_find(uint64_t id)
{
    one_regs_init();
    for (size_t i = 0; i < ONE_REG_COUNT; i++) {
        if (all_regs[i].reg.id == id) {
            return &all_regs[i];
        }
    }
    return NULL;
}

/* A 4- or 8-byte register's value in buf, host byte order, as the kernel has it. */
static void put_scalar(void *buf, unsigned size, uint64_t v)
{
    if (size == 4) {
        uint32_t w = (uint32_t)v;

        memcpy(buf, &w, 4);
    } else {
        memcpy(buf, &v, 8);
    }
}

static uint64_t get_scalar(const void *buf, unsigned size)
{
    if (size == 4) {
        uint32_t w;

        memcpy(&w, buf, 4);
        return w;
    }
    uint64_t v;

    memcpy(&v, buf, 8);
    return v;
}

/*
 * 128-bit registers: a VR is the kernel's vector128, the register as the
 * host's stvx leaves it, which is our host-order 128-bit number.  A VSR is
 * two doublewords, doubleword 0 (the ISA's left half, FPR n) first, on
 * either host endianness.
 */
bool kvm_ppc_one_reg_get(const CPUPPCState *env, uint64_t id, void *buf)
{
    const OneRegDesc *d = one_reg_find(id);
    unsigned size = kvm_ppc_one_reg_size(id);

    if (!d) {
        return false;
    }
    switch (d->kind) {
    case ONE_REG_SPR:
        put_scalar(buf, size, env->spr[d->n]);
        break;
    case ONE_REG_FPSCR:
        put_scalar(buf, size, env->fpscr);
        break;
    case ONE_REG_VSCR:
        put_scalar(buf, size, env->vscr);
        break;
    case ONE_REG_VR:
        memcpy(buf, &env->vsr[32 + d->n].u128, 16);
        break;
    case ONE_REG_VSR: {
        uint64_t dw[2] = { (uint64_t)(env->vsr[d->n].u128 >> 64), (uint64_t)env->vsr[d->n].u128 };

        memcpy(buf, dw, 16);
        break;
    }
    }
    return true;
}

bool kvm_ppc_one_reg_set(CPUPPCState *env, uint64_t id, const void *buf)
{
    const OneRegDesc *d = one_reg_find(id);
    unsigned size = kvm_ppc_one_reg_size(id);

    if (!d) {
        return false;
    }
    switch (d->kind) {
    case ONE_REG_SPR:
        env->spr[d->n] = get_scalar(buf, size);
        break;
    case ONE_REG_FPSCR:
        env->fpscr = get_scalar(buf, size);
        break;
    case ONE_REG_VSCR:
        env->vscr = (uint32_t)get_scalar(buf, size);
        break;
    case ONE_REG_VR:
        memcpy(&env->vsr[32 + d->n].u128, buf, 16);
        break;
    case ONE_REG_VSR: {
        uint64_t dw[2];

        memcpy(dw, buf, 16);
        env->vsr[d->n].u128 = (unsigned __int128)dw[0] << 64 | dw[1];
        break;
    }
    }
    return true;
}
