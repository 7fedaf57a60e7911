/*
 * System instructions: sc, SPR and MSR moves, rfid, synchronisation and
 * cache management, as a bare-metal guest in real mode uses them.
 */
#include "exec/memory.h"
#include "qemu/atomic.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "target/ppc/internal.h"

/*
 * sc LEV: LEV=1 in supervisor state is a hypercall, served by the machine
 * through the vhyp interface with the big lock held; execution continues
 * after the sc.  Otherwise (LEV=0, or from problem state) it is a system
 * call interrupt, SRR0 = the next instruction.
 */
static const PPCOp *op_sc(CPUPPCState *env, const PPCOp *op)
{
    PowerPCCPU *cpu = env_cpu(env);

    if (op->aux == 1 && !(env->msr & MSR_PR) && cpu->vhyp_ops) {
        env->nip = ppc_next_pc(op);
        ppc_cpu_lock_iothread(env);
        cpu->vhyp_ops->hypercall(cpu->vhyp, cpu);
        ppc_cpu_unlock_iothread(env);
        return NULL;
    }
    return ppc_raise(env, PPC_VEC_SYSCALL, ppc_next_pc(op), 0);
}

static bool decode_sc(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_sc;
    op->aux = insn_field(insn, 20, 26); /* LEV */
    return op->aux <= 1;
}

/* ---- Special-purpose registers ------------------------------------------ */

/* SPR numbers besides those cpu.h names (Power ISA 3.0B, Book III) */
#define SPR_DSCR_USER 3 /* problem-state alias of DSCR */
#define SPR_AMR_USER 13 /* problem-state view of AMR */
#define SPR_DSCR 17
#define SPR_TIDR 144
#define SPR_DPDES 176 /* directed privileged doorbell exception state (insn-dbell.c) */
#define SPR_VRSAVE 256
#define SPR_SPRG3_READ 259
#define SPR_TBL_READ 268 /* whole time base (64-bit implementations) */
#define SPR_TBU_READ 269 /* its upper word */
#define SPR_TBL_WRITE 284
#define SPR_TBU_WRITE 285
#define SPR_SPURR 308
#define SPR_PURR 309
#define SPR_VTB 849
#define SPR_EBB_FIRST 800 /* BESCRS .. BESCR, EBBHR, EBBRR */
#define SPR_BESCRS 800
#define SPR_BESCRSU 801
#define SPR_BESCRR 802
#define SPR_BESCRRU 803
#define SPR_EBB_LAST 806
#define SPR_TM_FIRST 128 /* TFHAR, TFIAR, TEXASR, TEXASRU */
#define SPR_TM_LAST 131

/*
 * FSCR (Book III 4.4.13): facility enable bits (bit 63 - n enables
 * facility n) and the interruption cause IC (bits 0:7), which a facility
 * unavailable interrupt sets to the facility's number.
 */
#define FSCR_IC_SHIFT 56
#define FSCR_IC_MASK (0xffULL << FSCR_IC_SHIFT)
#define FSCR_FAC_TM 5
#define FSCR_FAC_EBB 7
#define FSCR_FAC_TAR 8
#define FSCR_FAC_SCV 12

static const PPCOp *facility_unavailable(CPUPPCState *env, const PPCOp *op, unsigned fac)
{
    env->spr[SPR_FSCR] = (env->spr[SPR_FSCR] & ~FSCR_IC_MASK) | ((uint64_t)fac << FSCR_IC_SHIFT);
    return ppc_raise(env, PPC_VEC_FAC_UNAVAIL, op->pc, 0);
}

/*
 * What an SPR access does in problem state (op->aux2): allowed, a
 * privileged-instruction program interrupt, or allowed only when an FSCR
 * bit enables the facility (op->aux2 = PR_FSCR + the facility number).
 */
#define PR_OK 0
#define PR_PRIV 1
#define PR_FSCR 2

/* Apply op->aux2 in problem state; false: an interrupt was raised. */
static inline bool spr_pr_allowed(CPUPPCState *env, const PPCOp *op)
{
    unsigned fac;

    if (likely(!(env->msr & MSR_PR) || op->aux2 == PR_OK)) {
        return true;
    }
    if (op->aux2 == PR_PRIV) {
        ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
        return false;
    }
    fac = op->aux2 - PR_FSCR;
    if (env->spr[SPR_FSCR] & (1ULL << fac)) {
        return true;
    }
    facility_unavailable(env, op, fac);
    return false;
}

#define SPR_PR_CHECK(env, op)                                                                      \
    do {                                                                                           \
        if (unlikely((env)->msr & MSR_PR) && !spr_pr_allowed(env, op)) {                           \
            return NULL;                                                                           \
        }                                                                                          \
    } while (0)

/*
 * An SPR this CPU does not model.  QEMU 7.2 (checked on pseries) treats
 * an undefined number by its bit 0x10: with it, mfspr and mtspr are no-ops
 * in supervisor state; without it, mfspr of SPR 0, 4, 5 or 6 and mtspr of
 * SPR 0 raise the hypervisor emulation assistance interrupt, which a
 * partition sees as a privileged-instruction program interrupt, and the
 * rest are no-ops.  In problem state every one of them is privileged.  A
 * no-op leaves RT unchanged; each is logged.
 */
static const PPCOp *op_mfspr_unknown(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    qemu_log_mask(LOG_UNIMP, "mfspr from unsupported SPR %" PRId64 " at 0x%" PRIx64 "\n", op->imm,
                  op->pc);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtspr_ignored(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    qemu_log_mask(LOG_UNIMP, "mtspr to unsupported or read-only SPR %" PRId64 " at 0x%" PRIx64 "\n",
                  op->imm, op->pc);
    return PPC_NEXT(env, op);
}

/*
 * A hypervisor SPR, a read of a write-only one or a write of a read-only
 * one; hrfid too.
 */
static const PPCOp *op_spr_priv(CPUPPCState *env, const PPCOp *op)
{
    return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
}

/* Transactional memory SPRs: MSR[TM] is never on, so the facility is unavailable. */
static const PPCOp *op_spr_tm(CPUPPCState *env, const PPCOp *op)
{
    return facility_unavailable(env, op, FSCR_FAC_TM);
}

static const PPCOp *op_mflr(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = env->lr;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mfctr(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = env->ctr;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mfxer(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = ppc_get_xer(env);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mftar(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->gpr[op->rt] = env->tar;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mftb(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->gpr[op->rt] = ppc_load_tb(env);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mftbu(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->gpr[op->rt] = ppc_load_tb(env) >> 32;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mfdec(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->gpr[op->rt] = ppc_load_decr(env);
    return PPC_NEXT(env, op);
}

/* Writing DEC re-arms its timer (big lock) and may raise or lower its interrupt. */
static const PPCOp *op_mtdec(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    ppc_cpu_lock_iothread(env);
    ppc_store_decr(env, env->gpr[op->rt]);
    ppc_cpu_unlock_iothread(env);
    return PPC_NEXT(env, op);
}

/*
 * PIDR selects the process (radix): translations of the old one go, those
 * of quadrant 3 (process 0, the kernel) stay.
 */
static const PPCOp *op_mtpidr(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->spr[SPR_PIDR] = (uint32_t)env->gpr[op->rt];
    if (ppc_mmu_is_radix(env) && !ppc_tlb_quadrant_off) {
        ppc_tlb_flush_quadrant(env, 0);
    } else {
        ppc_tlb_flush_keep_pwc(env);
    }
    return PPC_NEXT(env, op);
}

/* SPRs kept in env->spr[op->imm] */
static const PPCOp *op_mfspr(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->gpr[op->rt] = env->spr[op->imm];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtlr(CPUPPCState *env, const PPCOp *op)
{
    env->lr = env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtctr(CPUPPCState *env, const PPCOp *op)
{
    env->ctr = env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtxer(CPUPPCState *env, const PPCOp *op)
{
    ppc_set_xer(env, env->gpr[op->rt]);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mttar(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->tar = env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtspr(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->spr[op->imm] = env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

/*
 * 32-bit registers, whose upper word reads as zero: DSISR, PSPB, and VRSAVE
 * and CTRL.  QEMU 7.2 keeps 64 bits of VRSAVE.
 */
static const PPCOp *op_mtspr32(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->spr[op->imm] = (uint32_t)env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

/*
 * BESCR through its set and reset views (Book II, event-based branches):
 * mtspr BESCRS/BESCRR set/clear the BESCR bits that are 1 in RS; the U
 * forms do so in BESCR's upper word with RS's low word.  mfspr of BESCRS or
 * BESCRR reads BESCR, of the U forms its upper word.  op->aux: 1 for the U
 * forms.  QEMU 7.2 keeps each number as a register of its own.
 */
#define SPR_BESCR 806

static const PPCOp *op_mfbescr_view(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->gpr[op->rt] = op->aux ? env->spr[SPR_BESCR] >> 32 : env->spr[SPR_BESCR];
    return PPC_NEXT(env, op);
}

static inline uint64_t bescr_view_bits(const CPUPPCState *env, const PPCOp *op)
{
    uint64_t rs = env->gpr[op->rt];

    return op->aux ? rs << 32 : rs;
}

static const PPCOp *op_mtbescr_set(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->spr[SPR_BESCR] |= bescr_view_bits(env, op);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtbescr_reset(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    env->spr[SPR_BESCR] &= ~bescr_view_bits(env, op);
    return PPC_NEXT(env, op);
}

/*
 * AMR through SPR 13 or 29.  A problem-state write changes only the bits
 * UAMOR allows; in supervisor state AMOR (the hypervisor's mask) is all
 * ones for a partition, so every bit changes.
 */
static const PPCOp *op_mfamr(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = env->spr[SPR_AMR];
    return PPC_NEXT(env, op);
}

/* IAMR (privileged): like AMR, the MMU checks it (radix KUEP). */
static const PPCOp *op_mtiamr(CPUPPCState *env, const PPCOp *op)
{
    SPR_PR_CHECK(env, op);
    if (env->gpr[op->rt] != env->spr[SPR_IAMR]) {
        env->spr[SPR_IAMR] = env->gpr[op->rt];
        ppc_tlb_flush(env);
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtamr(CPUPPCState *env, const PPCOp *op)
{
    uint64_t mask = (env->msr & MSR_PR) ? env->spr[SPR_UAMOR] : ~0ULL;
    uint64_t amr = (env->spr[SPR_AMR] & ~mask) | (env->gpr[op->rt] & mask);

    SPR_PR_CHECK(env, op);
    /*
     * The MMU checks AMR for loads and stores: data translations it allowed
     * may no longer be allowed.  Fetches obey IAMR, not AMR, so the code
     * entries (and the blocks linked through them) stay: Linux's KUAP
     * writes AMR around every access to user memory.
     */
    if (amr != env->spr[SPR_AMR]) {
        env->spr[SPR_AMR] = amr;
        ppc_tlb_flush_data(env);
    }
    return PPC_NEXT(env, op);
}

/*
 * DSCR through its problem-state number 3.  In supervisor state QEMU 7.2
 * does not define SPR 3 (undefined, bit 0x10 clear: mfspr and mtspr are
 * no-ops), and neither do we.
 */
static const PPCOp *op_mfdscr_user(CPUPPCState *env, const PPCOp *op)
{
    if (!(env->msr & MSR_PR)) {
        return op_mfspr_unknown(env, op);
    }
    env->gpr[op->rt] = env->spr[SPR_DSCR];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtdscr_user(CPUPPCState *env, const PPCOp *op)
{
    if (!(env->msr & MSR_PR)) {
        return op_mtspr_ignored(env, op);
    }
    env->spr[SPR_DSCR] = env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

/* The SPR field holds the number with its two 5-bit halves swapped. */
static unsigned insn_sprn(uint32_t insn)
{
    return insn_field(insn, 16, 20) << 5 | insn_field(insn, 11, 15);
}

/* SPRs that live in env->spr[] and are readable and writable in supervisor state */
static bool spr_is_plain(unsigned sprn)
{
    switch (sprn) {
    case SPR_DSCR:
    case SPR_DAR:
    case SPR_SRR0:
    case SPR_SRR1:
    case SPR_CFAR:
    case SPR_AMR:
    case SPR_IAMR:
    case SPR_TIDR:
    case SPR_FSCR:
    case SPR_UAMOR:
    case SPR_VRSAVE:
    case SPR_PPR:
        return true;
    }
    /* (the performance monitor's are pmu.c's; QEMU 7.2 does not define 891) */
    return (sprn >= SPR_SPRG0 && sprn <= SPR_SPRG3) ||
           (sprn >= SPR_EBB_FIRST && sprn <= SPR_EBB_LAST) ||
           (sprn >= 888 && sprn <= 895 && sprn != 891);
}

/*
 * Hypervisor SPRs a POWER9 partition may name, which QEMU 7.2 refuses in
 * supervisor state with a privileged-instruction program interrupt: HSPRG0/1,
 * HDSISR, HDAR, HDEC, HRMOR, HSRR0/1, LPCR, LPIDR, HMER, HMEER, PTCR, TBU40,
 * HID0 and the others of Book III's hypervisor list.
 */
static bool spr_is_hypervisor(unsigned sprn)
{
    switch (sprn) {
    case 180:
    case 186 ... 188:
    case 190:
    case 286:
    case 304 ... 307:
    case 310:
    case 313 ... 319:
    case 336 ... 338:
    case 349:
    case 464:
    case 816:
    case 851:
    case 921:
    case 1008:
        return true;
    }
    return false;
}

/* Read-only SPRs in supervisor state that are kept in env->spr[]. */
static bool spr_is_readonly(unsigned sprn)
{
    return sprn == SPR_PVR || sprn == SPR_PIR || sprn == SPR_DPDES || sprn == 446 || sprn == 848;
}

/* Where an access to sprn in problem state goes (PR_*). */
static unsigned spr_pr_rule(unsigned sprn, bool write)
{
    switch (sprn) {
    case SPR_XER:
    case SPR_LR:
    case SPR_CTR:
    case SPR_DSCR_USER:
    case SPR_AMR_USER:
    case SPR_VRSAVE:
    case SPR_PPR:
        return PR_OK;
    case SPR_TAR:
        return PR_FSCR + FSCR_FAC_TAR;
    case SPR_CTRL_READ:
    case SPR_SPRG3_READ:
    case SPR_TBL_READ:
    case SPR_TBU_READ:
        return write ? PR_PRIV : PR_OK;
    }
    if (sprn >= SPR_EBB_FIRST && sprn <= SPR_EBB_LAST) {
        return PR_FSCR + FSCR_FAC_EBB;
    }
    return PR_PRIV;
}

/* QEMU 7.2's treatment of an SPR number it does not define (see op_mfspr_unknown). */
static bool spr_undefined_is_priv(unsigned sprn, bool write)
{
    if (sprn & 0x10) {
        return false;
    }
    return sprn == 0 || (!write && sprn >= 4 && sprn <= 6);
}

/* The handler of mfspr sprn; *sprn may become the SPR whose storage it reads. */
static PPCOpFn *mfspr_fn(unsigned *sprn)
{
    unsigned n = *sprn;

    switch (n) {
    case SPR_LR:
        return op_mflr;
    case SPR_CTR:
        return op_mfctr;
    case SPR_XER:
        return op_mfxer;
    case SPR_TAR:
        return op_mftar;
    case SPR_DSCR_USER:
        return op_mfdscr_user;
    case SPR_AMR_USER:
        return op_mfamr;
    case SPR_TBL_READ:
    case SPR_TBL_WRITE:
    case SPR_SPURR:
    case SPR_PURR:
    case SPR_VTB:
        return op_mftb;
    case SPR_TBU_READ:
    case SPR_TBU_WRITE:
        return op_mftbu;
    case SPR_DEC:
        return op_mfdec;
    case SPR_DSISR:
    case SPR_PIDR:
    case SPR_PSPB:
        return op_mfspr;
    case SPR_CTRL_READ:
        *sprn = SPR_CTRL_WRITE;
        return op_mfspr;
    case SPR_SPRG3_READ:
        *sprn = SPR_SPRG3;
        return op_mfspr;
    case SPR_CTRL_WRITE:
        return op_spr_priv;
    case SPR_DPDES:
        return ppc_op_mfdpdes;
    }
    if (n >= SPR_TM_FIRST && n <= SPR_TM_LAST) {
        return op_spr_tm;
    }
    if (n >= SPR_BESCRS && n <= SPR_BESCRRU) {
        return op_mfbescr_view;
    }
    if (spr_is_plain(n) || spr_is_readonly(n)) {
        return op_mfspr;
    }
    if (spr_is_hypervisor(n) || spr_undefined_is_priv(n, false)) {
        return op_spr_priv;
    }
    return op_mfspr_unknown;
}

static PPCOpFn *mtspr_fn(unsigned *sprn)
{
    unsigned n = *sprn;

    switch (n) {
    case SPR_LR:
        return op_mtlr;
    case SPR_CTR:
        return op_mtctr;
    case SPR_XER:
        return op_mtxer;
    case SPR_TAR:
        return op_mttar;
    case SPR_DSCR_USER:
        return op_mtdscr_user;
    case SPR_AMR_USER:
    case SPR_AMR:
        return op_mtamr;
    case SPR_IAMR:
        return op_mtiamr;
    case SPR_DSISR:
    case SPR_PSPB:
    case SPR_VRSAVE:
    case SPR_CTRL_WRITE:
        return op_mtspr32;
    case SPR_BESCRS:
    case SPR_BESCRSU:
        return op_mtbescr_set;
    case SPR_BESCRR:
    case SPR_BESCRRU:
        return op_mtbescr_reset;
    case SPR_DEC:
        return op_mtdec;
    case SPR_PIDR:
        return op_mtpidr;
    case SPR_TBL_WRITE:
    case SPR_TBU_WRITE:
        /* QEMU 7.2 accepts these in supervisor state; the time base stays. */
        return op_mtspr_ignored;
    case SPR_CTRL_READ:
    case SPR_SPRG3_READ:
    case SPR_TBL_READ:
    case SPR_TBU_READ:
    case SPR_SPURR:
    case SPR_PURR:
    case SPR_VTB:
        return op_spr_priv;
    }
    if (n >= SPR_TM_FIRST && n <= SPR_TM_LAST) {
        return op_spr_tm;
    }
    if (spr_is_plain(n)) {
        return op_mtspr;
    }
    if (spr_is_readonly(n) || spr_is_hypervisor(n) || spr_undefined_is_priv(n, true)) {
        return op_spr_priv;
    }
    return op_mtspr_ignored;
}

/* mfspr and mftb (which QEMU 7.2 decodes alike: any SPR number). */
static bool decode_mfspr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    unsigned sprn = insn_sprn(insn);

    op->rt = INSN_RT(insn);
    op->imm = sprn;
    /* the performance monitor's SPRs check problem state themselves */
    op->fn = ppc_pmu_mfspr_fn(sprn);
    if (op->fn) {
        return !(insn & 1);
    }
    op->aux2 = spr_pr_rule(sprn, false);
    op->aux = sprn == SPR_BESCRSU || sprn == SPR_BESCRRU;
    op->fn = mfspr_fn(&sprn);
    op->imm = sprn;
    return !(insn & 1);
}

static bool decode_mtspr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    unsigned sprn = insn_sprn(insn);
    bool ends_block;

    op->rt = INSN_RT(insn);
    op->imm = sprn;
    op->fn = ppc_pmu_mtspr_fn(sprn, &ends_block);
    if (op->fn) {
        op->flags |= ends_block ? PPC_OPF_ENDS_BLOCK : 0;
        return true;
    }
    op->aux2 = spr_pr_rule(sprn, true);
    op->aux = sprn == SPR_BESCRSU || sprn == SPR_BESCRRU;
    op->fn = mtspr_fn(&sprn);
    op->imm = sprn;
    return true;
}

/* ---- MSR ------------------------------------------------------------------ */

#define MSR_TM PPC_BIT(31)
#define MSR_PMM PPC_BIT(61)

/* The MSR bits a POWER9 implements (the others read as zero). */
#define MSR_IMPLEMENTED                                                                            \
    (MSR_SF | MSR_HV | MSR_TM | MSR_VEC | MSR_VSX | MSR_EE | MSR_PR | MSR_FP | MSR_ME | MSR_FE0 |  \
     MSR_SE | MSR_BE | MSR_FE1 | MSR_IR | MSR_DR | MSR_PMM | MSR_RI | MSR_LE)

/*
 * What mtmsrd / mtmsr (L=0) take from RS: neither changes HV, ME or LE
 * (LE changes only through rfid or an interrupt); mtmsr only touches the
 * low word.  With L=1 both set just EE and RI.
 */
#define MTMSRD_BITS (MSR_IMPLEMENTED & ~(MSR_HV | MSR_ME | MSR_LE))
#define MTMSR_BITS (MTMSRD_BITS & 0xffffffffULL)
#define MTMSR_L1_BITS (MSR_EE | MSR_RI)

/* Problem state always runs with interrupts and translation enabled. */
static inline uint64_t msr_pr_rule(uint64_t msr)
{
    return (msr & MSR_PR) ? msr | MSR_EE | MSR_IR | MSR_DR : msr;
}

/* mfmsr, mtmsr[d], rfid and rfscv are privileged. */
#define PRIVILEGED(env, op)                                                                        \
    do {                                                                                           \
        if (unlikely((env)->msr & MSR_PR)) {                                                       \
            return ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);                                  \
        }                                                                                          \
    } while (0)

static const PPCOp *op_mfmsr(CPUPPCState *env, const PPCOp *op)
{
    PRIVILEGED(env, op);
    env->gpr[op->rt] = env->msr;
    return PPC_NEXT(env, op);
}

static bool decode_mfmsr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_mfmsr;
    op->rt = INSN_RT(insn);
    return true;
}

/* op->imm: the MSR bits RS supplies. */
static const PPCOp *op_mtmsr(CPUPPCState *env, const PPCOp *op)
{
    uint64_t msr = (env->msr & ~op->imm) | (env->gpr[op->rt] & op->imm);

    PRIVILEGED(env, op);
    ppc_store_msr(env, msr_pr_rule(msr));
    return ppc_goto(env, ppc_next_pc(op));
}

/* Bit 15 is L. */
static bool decode_mtmsr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    bool l1 = insn_field(insn, 15, 15);
    bool d = insn_field(insn, 21, 30) == 178; /* mtmsrd */

    op->fn = op_mtmsr;
    op->rt = INSN_RT(insn);
    op->imm = l1 ? MTMSR_L1_BITS : d ? MTMSRD_BITS : MTMSR_BITS;
    return true;
}

/*
 * rfid: continue at SRR0 with the MSR SRR1 holds.  Out of hypervisor state
 * (always, for a partition) HV and ME keep their values; bits the
 * implementation lacks stay zero; returning to 32-bit mode truncates the
 * address.
 */
static const PPCOp *op_rfid(CPUPPCState *env, const PPCOp *op)
{
    uint64_t keep = MSR_HV | MSR_ME;
    uint64_t msr = (env->spr[SPR_SRR1] & MSR_IMPLEMENTED & ~keep) | (env->msr & keep);
    uint64_t nip = env->spr[SPR_SRR0] & ~3ULL;

    PRIVILEGED(env, op);
    ppc_store_msr(env, msr_pr_rule(msr));
    return ppc_goto(env, (msr & MSR_SF) ? nip : (uint32_t)nip);
}

static bool decode_rfid(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_rfid;
    return true;
}

/* hrfid: the hypervisor's; a partition gets a privileged-instruction interrupt. */
static bool decode_hrfid(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_spr_priv;
    return true;
}

/*
 * scv LEV (system call vectored, POWER9): allowed by FSCR[SCV], else a
 * facility unavailable interrupt at the scv.  SRR0/SRR1 are untouched: LR
 * gets the next instruction's address and CTR the MSR (as SRR1 would hold
 * it); the new MSR keeps EE and RI besides what every interrupt keeps.
 * The vector is 0x17000 + 32 * LEV; with LPCR[AIL] = 3 (and translation
 * on) 0xc000000000003000 + 32 * LEV, translated; AIL = 2 only keeps
 * translation on (as QEMU 7.2 does).
 */
#define SCV_VECTOR 0x17000ULL
#define SCV_AIL3_VECTOR 0xc000000000003000ULL
#define SCV_MSR_SAVED (PPC_BITMASK(0, 32) | PPC_BITMASK(37, 41) | PPC_BITMASK(48, 63))

static const PPCOp *op_scv(CPUPPCState *env, const PPCOp *op)
{
    unsigned ail = (ppc_lpcr(env) & LPCR_AIL) >> LPCR_AIL_SHIFT;
    uint64_t new_msr = (env->msr & (MSR_ME | MSR_EE | MSR_RI)) | MSR_SF;
    uint64_t target = SCV_VECTOR + 32 * op->aux;

    if (!(env->spr[SPR_FSCR] & (1ULL << FSCR_FAC_SCV))) {
        return facility_unavailable(env, op, FSCR_FAC_SCV);
    }
    if (ppc_lpcr(env) & LPCR_ILE) {
        new_msr |= MSR_LE;
    }
    if (ail >= 2 && (env->msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR)) {
        new_msr |= MSR_IR | MSR_DR;
        if (ail == 3) {
            target = SCV_AIL3_VECTOR + 32 * op->aux;
        }
    }
    qemu_log_mask(CPU_LOG_INT, "scv %u at 0x%" PRIx64 " -> 0x%" PRIx64 "\n", op->aux, op->pc,
                  target);
    env->lr = ppc_next_pc(op);
    env->ctr = env->msr & SCV_MSR_SAVED;
    ppc_store_msr(env, new_msr);
    return ppc_goto(env, target);
}

static bool decode_scv(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_scv;
    op->aux = insn_field(insn, 20, 26); /* LEV */
    return true;
}

/* rfscv: back from scv, to LR with the MSR CTR holds (the rules of rfid). */
static const PPCOp *op_rfscv(CPUPPCState *env, const PPCOp *op)
{
    uint64_t keep = MSR_HV | MSR_ME;
    uint64_t msr = (env->ctr & MSR_IMPLEMENTED & ~keep) | (env->msr & keep);
    uint64_t nip = env->lr & ~3ULL;

    PRIVILEGED(env, op);
    ppc_store_msr(env, msr_pr_rule(msr));
    return ppc_goto(env, (msr & MSR_SF) ? nip : (uint32_t)nip);
}

static bool decode_rfscv(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_rfscv;
    return true;
}

/* ---- Synchronisation and cache management ------------------------------- */

/*
 * Each vCPU executes in program order and the engine itself notices stores
 * into translated code, so isync and the cache hints and flushes have
 * nothing to do (isync ends the block so what follows is decoded afresh).
 * The barriers order this CPU's accesses as other CPUs see them; the x86-64
 * host is TSO (loads and stores stay in order, except that a load may pass
 * an earlier store), so lwsync and eieio, which do not order a store before
 * a later load, need only the compiler kept from moving accesses (a call to
 * this handler already does), while sync and ptesync need a full fence.
 * ptesync (and sync, which includes it) also waits for the TLB shootdowns
 * this CPU issued.
 */
static const PPCOp *op_nop(CPUPPCState *env, const PPCOp *op)
{
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    return PPC_NEXT(env, op);
}

static bool decode_nop(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_nop;
    return true;
}

static const PPCOp *op_hwsync(CPUPPCState *env, const PPCOp *op)
{
    qemu_full_fence();
    if (unlikely(env->tlb_sync_needed)) {
        ppc_tlb_sync(env);
    }
    return PPC_NEXT(env, op);
}

/* sync L: 0 (hwsync) and 2 (ptesync) fence; 1 (lwsync) does not need to. */
#define SYNC_L_LWSYNC 1

static bool decode_sync(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = insn_field(insn, 9, 10) == SYNC_L_LWSYNC ? op_nop : op_hwsync;
    return true;
}

static const PPCOp *op_icbi(CPUPPCState *env, const PPCOp *op)
{
    ppc_icbi(env);
    return PPC_NEXT(env, op);
}

static bool decode_icbi(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_icbi;
    return true;
}

/* dcbz: zero the 128-byte block (the POWER9 cache line) holding EA. */
#define DCBZ_BLOCK 128

static const PPCOp *op_dcbz(CPUPPCState *env, const PPCOp *op)
{
    uint64_t base = op->ra ? env->gpr[op->ra] : 0;
    uint64_t ea = ppc_ea(op, base + env->gpr[op->rb]) & ~(uint64_t)(DCBZ_BLOCK - 1);
    uint8_t *p = ppc_tlb_write_ptr(env, ea, DCBZ_BLOCK);

    if (likely(p)) {
        memset(p, 0, DCBZ_BLOCK);
        return PPC_NEXT(env, op);
    }
    /* The block lies in one page: if its first store succeeds, all do. */
    for (unsigned i = 0; i < DCBZ_BLOCK; i += 8) {
        if (!ppc_store(env, op, ea + i, 8, false, 0)) {
            return NULL;
        }
    }
    return PPC_NEXT(env, op);
}

static bool decode_dcbz(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_x(def, insn, op);
    op->flags &= ~PPC_OPF_RC;
    op->fn = op_dcbz;
    return true;
}

/* ---- Cache-inhibited loads and stores ------------------------------------ */

/*
 * lbzcix, lhzcix, lwzcix, ldcix, stbcix, sthcix, stwcix, stdcix (Book III):
 * hypervisor privileged, so a partition (never in hypervisor state) takes
 * the privileged-instruction program interrupt, as on QEMU 7.2.  In
 * hypervisor state EA = (RA|0) + RB is a real address, accessed without
 * the caches: RAM or a device register of the memory map, in the byte
 * order of MSR[LE]; a hole is a machine check.  op->aux: the size.
 */
#define REAL_ADDR_MASK 0x0fffffffffffffffULL

static inline bool ci_allowed(CPUPPCState *env, const PPCOp *op)
{
    if ((env->msr & (MSR_HV | MSR_PR)) != MSR_HV) {
        ppc_raise_program(env, op, SRR1_PROGRAM_PRIV);
        return false;
    }
    return true;
}

static inline uint64_t ci_addr(const CPUPPCState *env, const PPCOp *op)
{
    return ((op->ra ? env->gpr[op->ra] : 0) + env->gpr[op->rb]) & REAL_ADDR_MASK;
}

static const PPCOp *op_load_ci(CPUPPCState *env, const PPCOp *op)
{
    uint64_t v;

    if (!ci_allowed(env, op) || !ppc_ld_real(env, op, ci_addr(env, op), op->aux, &v)) {
        return NULL;
    }
    env->gpr[op->rt] = (op->flags & PPC_OPF_LE) ? memory_bswap_size(v, op->aux) : v;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_store_ci(CPUPPCState *env, const PPCOp *op)
{
    uint64_t v = env->gpr[op->rt];

    if (op->aux < 8) {
        v &= (1ULL << (8 * op->aux)) - 1;
    }
    if (!ci_allowed(env, op) ||
        !ppc_st_real(env, op, ci_addr(env, op), op->aux,
                     (op->flags & PPC_OPF_LE) ? memory_bswap_size(v, op->aux) : v)) {
        return NULL;
    }
    return PPC_NEXT(env, op);
}

static bool decode_ci(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    unsigned xo = insn_field(insn, 21, 30);

    ppc_decode_x(def, insn, op);
    op->flags &= ~PPC_OPF_RC;
    op->fn = def->fn;
    /* lbzcix/stbcix 1, lhzcix/sthcix 2, lwzcix/stwcix 4, ldcix/stdcix 8 */
    op->aux = (xo == 853 || xo == 981)   ? 1
              : (xo == 821 || xo == 949) ? 2
              : (xo == 789 || xo == 917) ? 4
                                         : 8;
    return true;
}

/* ---- Registration --------------------------------------------------------- */

#define XL(xo) (0x4c000000u | ((xo) << 1))
#define X31(xo) (0x7c000000u | ((xo) << 1))
#define XO_MASK 0xfc0007feu
/*
 * An X-form whose reserved bits rsv (as in the instruction word) must be
 * zero: QEMU 7.2 treats a form with any of them set as illegal, and so does
 * leaving them in the mask (nothing else matches).
 */
#define X31_RSV(xo, rsv) X31(xo), XO_MASK | (rsv)
#define E PPC_INSN_ENDS_BLOCK

static const PPCInsnDef system_insns[] = {
    { "sc", 0x44000002, 0xfc000003, decode_sc, NULL, PPC_INSN_ENDS_BLOCK },
    { "mfspr", X31_RSV(339, 0x1), decode_mfspr, NULL, 0 },
    { "mftb", X31_RSV(371, 0x1), decode_mfspr, NULL, 0 },
    { "mtspr", X31(467), XO_MASK, decode_mtspr, NULL, 0 },
    { "mfmsr", X31_RSV(83, 0x001ff801), decode_mfmsr, NULL, 0 },
    /* Bit 15 is L: reserved bits 11-14, 16-20 and 31. */
    { "mtmsr", X31_RSV(146, 0x001ef801), decode_mtmsr, NULL, E },
    { "mtmsrd", X31_RSV(178, 0x001ef801), decode_mtmsr, NULL, E },
    { "rfid", XL(18), XO_MASK | 0x03ff8001, decode_rfid, NULL, E },
    { "hrfid", XL(274), XO_MASK | 0x03ff8001, decode_hrfid, NULL, E },
    { "scv", 0x44000001, 0xfffff01f, decode_scv, NULL, E },
    { "rfscv", XL(82), XO_MASK | 0x03fff801, decode_rfscv, NULL, E },
    { "isync", XL(150), XO_MASK | 0x03fff801, decode_nop, NULL, E },
    { "sync", X31_RSV(598, 0x039ff801), decode_sync, NULL, 0 },
    { "eieio", X31_RSV(854, 0x01fff801), decode_nop, NULL, 0 },
    { "icbi", X31_RSV(982, 0x03e00001), decode_icbi, NULL, 0 },
    { "dcbst", X31_RSV(54, 0x03e00001), decode_nop, NULL, 0 },
    { "dcbf", X31_RSV(86, 0x1), decode_nop, NULL, 0 },
    { "dcbt", X31_RSV(278, 0x1), decode_nop, NULL, 0 },
    { "dcbtst", X31_RSV(246, 0x1), decode_nop, NULL, 0 },
    { "dcbi", X31_RSV(470, 0x03e00001), decode_nop, NULL, 0 },
    { "dcbz", X31_RSV(1014, 0x03c00001), decode_dcbz, NULL, 0 },
    { "lbzcix", X31_RSV(853, 0x1), decode_ci, op_load_ci, 0 },
    { "lhzcix", X31_RSV(821, 0x1), decode_ci, op_load_ci, 0 },
    { "lwzcix", X31_RSV(789, 0x1), decode_ci, op_load_ci, 0 },
    { "ldcix", X31_RSV(885, 0x1), decode_ci, op_load_ci, 0 },
    { "stbcix", X31_RSV(981, 0x1), decode_ci, op_store_ci, 0 },
    { "sthcix", X31_RSV(949, 0x1), decode_ci, op_store_ci, 0 },
    { "stwcix", X31_RSV(917, 0x1), decode_ci, op_store_ci, 0 },
    { "stdcix", X31_RSV(1013, 0x1), decode_ci, op_store_ci, 0 },
};

static void ppc_insn_system_register(void)
{
    ppc_insn_register(system_insns, ARRAY_SIZE(system_insns));
}

module_init(ppc_insn_system_register)
