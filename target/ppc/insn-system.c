/*
 * System instructions: sc, SPR and MSR moves, rfid, synchronisation and
 * cache management, as a bare-metal guest in real mode uses them.
 */
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
        qemu_mutex_lock_iothread();
        cpu->vhyp_ops->hypercall(cpu->vhyp, cpu);
        qemu_mutex_unlock_iothread();
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
#define SPR_DSCR 17
#define SPR_VRSAVE 256
#define SPR_TBL_READ 268 /* whole time base (64-bit implementations) */
#define SPR_TBU_READ 269 /* its upper word */

/*
 * An SPR this CPU does not (yet) model, or a write to a read-only one.
 * QEMU 7.2 in supervisor state treats an SPR it does not define as a
 * no-op: mfspr leaves RT unchanged, mtspr writes nothing.  We do the same
 * for everything outside the list below and log it.  Privilege checks
 * (problem state, hypervisor-only SPRs, the program and hypervisor
 * emulation interrupts they raise) are not applied yet: they come with the
 * supervisor model of issue 4.
 */
static const PPCOp *op_mfspr_unknown(CPUPPCState *env, const PPCOp *op)
{
    qemu_log_mask(LOG_UNIMP, "mfspr from unsupported SPR %" PRId64 " at 0x%" PRIx64 "\n", op->imm,
                  op->pc);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtspr_ignored(CPUPPCState *env, const PPCOp *op)
{
    qemu_log_mask(LOG_UNIMP, "mtspr to unsupported or read-only SPR %" PRId64 " at 0x%" PRIx64 "\n",
                  op->imm, op->pc);
    return PPC_NEXT(env, op);
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
    env->gpr[op->rt] = env->tar;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mftb(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = ppc_load_tb(env);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mftbu(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = ppc_load_tb(env) >> 32;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mfdec(CPUPPCState *env, const PPCOp *op)
{
    env->gpr[op->rt] = ppc_load_decr(env);
    return PPC_NEXT(env, op);
}

/* Writing DEC re-arms its timer (big lock) and may raise or lower its interrupt. */
static const PPCOp *op_mtdec(CPUPPCState *env, const PPCOp *op)
{
    qemu_mutex_lock_iothread();
    ppc_store_decr(env, env->gpr[op->rt]);
    qemu_mutex_unlock_iothread();
    return PPC_NEXT(env, op);
}

/* PIDR selects the process (radix): translations of the old one go. */
static const PPCOp *op_mtpidr(CPUPPCState *env, const PPCOp *op)
{
    env->spr[SPR_PIDR] = (uint32_t)env->gpr[op->rt];
    ppc_tlb_flush(env);
    return PPC_NEXT(env, op);
}

/* SPRs kept in env->spr[op->imm] */
static const PPCOp *op_mfspr(CPUPPCState *env, const PPCOp *op)
{
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
    env->tar = env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtspr(CPUPPCState *env, const PPCOp *op)
{
    env->spr[op->imm] = env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

/* DSISR is a 32-bit register: the upper word reads as zero. */
static const PPCOp *op_mtspr32(CPUPPCState *env, const PPCOp *op)
{
    env->spr[op->imm] = (uint32_t)env->gpr[op->rt];
    return PPC_NEXT(env, op);
}

/* The SPR field holds the number with its two 5-bit halves swapped. */
static unsigned insn_sprn(uint32_t insn)
{
    return insn_field(insn, 16, 20) << 5 | insn_field(insn, 11, 15);
}

/* SPRs that live in env->spr[] and are both readable and writable */
static bool spr_is_plain(unsigned sprn)
{
    return sprn == SPR_DSCR || sprn == SPR_VRSAVE || sprn == SPR_PPR || sprn == SPR_SRR0 ||
           sprn == SPR_SRR1 || sprn == SPR_DAR || sprn == SPR_DSISR ||
           (sprn >= SPR_SPRG0 && sprn <= SPR_SPRG3);
}

static PPCOpFn *mfspr_fn(unsigned sprn)
{
    switch (sprn) {
    case SPR_LR:
        return op_mflr;
    case SPR_CTR:
        return op_mfctr;
    case SPR_XER:
        return op_mfxer;
    case SPR_TAR:
        return op_mftar;
    case SPR_TBL_READ:
        return op_mftb;
    case SPR_TBU_READ:
        return op_mftbu;
    case SPR_DEC:
        return op_mfdec;
    case SPR_PVR:
    case SPR_PIR:
    case SPR_PIDR:
    case SPR_LPCR:
        return op_mfspr;
    default:
        return spr_is_plain(sprn) ? op_mfspr : op_mfspr_unknown;
    }
}

static PPCOpFn *mtspr_fn(unsigned sprn)
{
    switch (sprn) {
    case SPR_LR:
        return op_mtlr;
    case SPR_CTR:
        return op_mtctr;
    case SPR_XER:
        return op_mtxer;
    case SPR_TAR:
        return op_mttar;
    case SPR_DSISR:
        return op_mtspr32;
    case SPR_DEC:
        return op_mtdec;
    case SPR_PIDR:
        return op_mtpidr;
    default:
        return spr_is_plain(sprn) ? op_mtspr : op_mtspr_ignored;
    }
}

/* mfspr and mftb (which QEMU 7.2 decodes alike: any SPR number). */
static bool decode_mfspr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    unsigned sprn = insn_sprn(insn);

    if (sprn == SPR_DSCR_USER) {
        sprn = SPR_DSCR;
    }
    op->rt = INSN_RT(insn);
    op->imm = sprn;
    op->fn = mfspr_fn(sprn);
    return !(insn & 1);
}

static bool decode_mtspr(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    unsigned sprn = insn_sprn(insn);

    if (sprn == SPR_DSCR_USER) {
        sprn = SPR_DSCR;
    }
    op->rt = INSN_RT(insn);
    op->imm = sprn;
    op->fn = mtspr_fn(sprn);
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

static const PPCOp *op_mfmsr(CPUPPCState *env, const PPCOp *op)
{
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

    ppc_store_msr(env, msr_pr_rule(msr));
    return ppc_goto(env, (msr & MSR_SF) ? nip : (uint32_t)nip);
}

static bool decode_rfid(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_rfid;
    return true;
}

/* ---- Synchronisation and cache management ------------------------------- */

/*
 * With one CPU executing in program order and the engine itself noticing
 * stores into translated code, the barriers (sync, lwsync, ptesync, eieio,
 * isync) and the cache hints and flushes have nothing to do; isync ends the
 * block so what follows is decoded afresh.
 */
static const PPCOp *op_nop(CPUPPCState *env, const PPCOp *op)
{
    return PPC_NEXT(env, op);
}

static bool decode_nop(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = op_nop;
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
    { "isync", XL(150), XO_MASK | 0x03fff801, decode_nop, NULL, E },
    { "sync", X31_RSV(598, 0x039ff801), decode_nop, NULL, 0 },
    { "eieio", X31_RSV(854, 0x01fff801), decode_nop, NULL, 0 },
    { "icbi", X31_RSV(982, 0x03e00001), decode_nop, NULL, 0 },
    { "dcbst", X31_RSV(54, 0x03e00001), decode_nop, NULL, 0 },
    { "dcbf", X31_RSV(86, 0x1), decode_nop, NULL, 0 },
    { "dcbt", X31_RSV(278, 0x1), decode_nop, NULL, 0 },
    { "dcbtst", X31_RSV(246, 0x1), decode_nop, NULL, 0 },
    { "dcbi", X31_RSV(470, 0x03e00001), decode_nop, NULL, 0 },
    { "dcbz", X31_RSV(1014, 0x03c00001), decode_dcbz, NULL, 0 },
};

static void ppc_insn_system_register(void)
{
    ppc_insn_register(system_insns, ARRAY_SIZE(system_insns));
}

module_init(ppc_insn_system_register)
