/*
 * Vector (VMX) decoding and the instructions that touch memory or VSCR:
 * lvx/stvx and the element forms, lvsl/lvsr, mfvscr/mtvscr, the data-stream
 * hints.  The arithmetic families live in insn-vmx-{int,perm,float,...}.c.
 */
#include "qemu/log.h"
#include "qemu/module.h"
#include "target/ppc/vec-helpers.h"

/* ---- Opcode-4 decoding ---------------------------------------------------- */

static const VMXInsn *vx_table[2048]; /* 11-bit extended opcode (VX, VC) */
static const VMXInsn *va_table[32];   /* VA-form: xo 32-63 */
static const VMXInsn *sub_table[64];  /* A-field sub-opcodes of 1538 and 1409 */

static void vmx_file(const VMXInsn **slot, const VMXInsn *in)
{
    if (*slot) {
        fprintf(stderr, "ppc_vmx_register: %s collides with %s\n", in->name, (*slot)->name);
        abort();
    }
    *slot = in;
}

void ppc_vmx_register(const VMXInsn *insns, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const VMXInsn *in = &insns[i];
        unsigned xo = in->xo & ~VMX_XO_ISA300;

        if (xo & 0x8000) {
            vmx_file(&sub_table[xo & 0x3f], in);
        } else if (xo >= 32 && xo < 64) {
            vmx_file(&va_table[xo - 32], in);
        } else if (in->form == VMX_F_PS) {
            /* BCD: Rc is always 1; PS (bit 22) is an operand unless reserved */
            vmx_file(&vx_table[xo], in);
            if (!(in->inval & 0x200)) {
                vmx_file(&vx_table[xo | 0x200], in);
            }
        } else {
            vmx_file(&vx_table[xo], in);
            if (in->form == VMX_F_CMP) {
                vmx_file(&vx_table[xo | 0x400], in);
            }
        }
    }
}

/* The table row of an opcode-4 word, or NULL (no instruction, reserved bits set). */
static const VMXInsn *vmx_find(uint32_t insn)
{
    unsigned xo = insn & 0x7ff;
    const VMXInsn *in;

    if (insn & 0x20) {
        in = va_table[(insn & 0x3f) - 32];
    } else if (xo == 1538) {
        in = sub_table[INSN_RA(insn)];
    } else if ((xo & 0x5ff) == 1409) {
        in = sub_table[0x20 | INSN_RA(insn)];
    } else {
        in = vx_table[xo];
    }
    return in && !(insn & in->inval) ? in : NULL;
}

const char *ppc_vmx_insn_name(uint32_t insn)
{
    const VMXInsn *in = vmx_find(insn);

    return in ? in->name : NULL;
}

static bool decode_vmx4(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    const VMXInsn *in = vmx_find(insn);

    if (!in || ((in->xo & VMX_XO_ISA300) && !(op->flags & PPC_OPF_ISA300))) {
        return false;
    }
    if (!ppc_decode_facility(op, PPC_OPF_VEC)) {
        return true;
    }
    op->fn = in->fn;
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    op->rc = INSN_RC(insn);
    switch (in->form) {
    case VMX_F_CMP:
        if (insn & 0x400) {
            op->flags |= PPC_OPF_RC;
        }
        break;
    case VMX_F_IMM:
        op->aux = INSN_RA(insn);
        break;
    case VMX_F_SHB:
        op->aux = insn_field(insn, 22, 25);
        break;
    case VMX_F_PS:
        op->aux = insn_field(insn, 22, 22);
        break;
    default:
        break;
    }
    return true;
}

/* ---- Loads and stores ------------------------------------------------------ */

static inline uint64_t vmx_ea(CPUPPCState *env, const PPCOp *op)
{
    return ppc_ea(op, (op->ra ? env->gpr[op->ra] : 0) + env->gpr[op->rb]);
}

/*
 * A quadword access (EA & ~15) as two doublewords in the op's byte order:
 * big-endian, the first is the register's doubleword 0; little-endian the
 * whole quadword is reversed, so the first is doubleword 1 (ISA order).
 * Both halves are in one page, so a fault leaves everything unchanged.
 */
static const PPCOp *op_lvx(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = vmx_ea(env, op) & ~(uint64_t)15, d0, d1;
    bool le = op->flags & PPC_OPF_LE;
    ppc_vsr_t *t = VMX_VR(env, op->rt);

    if (!ppc_load(env, op, ea, 8, false, &d0) || !ppc_load(env, op, ea + 8, 8, false, &d1)) {
        return NULL;
    }
    VsrD(t, 0) = le ? d1 : d0;
    VsrD(t, 1) = le ? d0 : d1;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_stvx(CPUPPCState *env, const PPCOp *op)
{
    uint64_t ea = vmx_ea(env, op) & ~(uint64_t)15;
    bool le = op->flags & PPC_OPF_LE;
    const ppc_vsr_t *s = VMX_VR(env, op->rt);
    uint64_t d0 = VsrD(s, 0), d1 = VsrD(s, 1);

    if (!ppc_store(env, op, ea, 8, false, le ? d1 : d0) ||
        !ppc_store(env, op, ea + 8, 8, false, le ? d0 : d1)) {
        return NULL;
    }
    return PPC_NEXT(env, op);
}

/*
 * Element loads and stores: the element the aligned EA selects, numbered
 * from the left in big-endian mode and from the right in little-endian
 * mode (where the whole register is byte-reversed against memory).  The
 * other elements of the target keep their values, as in QEMU 7.2.
 */
static inline unsigned vmx_elem(const PPCOp *op, uint64_t ea, unsigned size)
{
    unsigned n = 16 / size, i = (ea & 15) / size;

    return (op->flags & PPC_OPF_LE) ? n - 1 - i : i;
}

#define VMX_LVE_FN(name, size, acc)                                                                \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        uint64_t ea = vmx_ea(env, op) & ~(uint64_t)(size - 1), v;                                  \
                                                                                                   \
        if (!ppc_load(env, op, ea, size, false, &v)) {                                             \
            return NULL;                                                                           \
        }                                                                                          \
        acc(VMX_VR(env, op->rt), vmx_elem(op, ea, size)) = v;                                      \
        return PPC_NEXT(env, op);                                                                  \
    }

#define VMX_STVE_FN(name, size, acc)                                                               \
    static const PPCOp *op_##name(CPUPPCState *env, const PPCOp *op)                               \
    {                                                                                              \
        uint64_t ea = vmx_ea(env, op) & ~(uint64_t)(size - 1);                                     \
                                                                                                   \
        if (!ppc_store(env, op, ea, size, false,                                                   \
                       acc(VMX_VR(env, op->rt), vmx_elem(op, ea, size)))) {                        \
            return NULL;                                                                           \
        }                                                                                          \
        return PPC_NEXT(env, op);                                                                  \
    }

VMX_LVE_FN(lvebx, 1, VsrB)
VMX_LVE_FN(lvehx, 2, VsrH)
VMX_LVE_FN(lvewx, 4, VsrW)
VMX_STVE_FN(stvebx, 1, VsrB)
VMX_STVE_FN(stvehx, 2, VsrH)
VMX_STVE_FN(stvewx, 4, VsrW)

/* lvsl/lvsr: the permute control for a shift by EA & 15, in either mode. */
static const PPCOp *op_lvsl(CPUPPCState *env, const PPCOp *op)
{
    unsigned sh = vmx_ea(env, op) & 15;
    ppc_vsr_t *t = VMX_VR(env, op->rt);

    for (unsigned i = 0; i < 16; i++) {
        VsrB(t, i) = sh + i;
    }
    return PPC_NEXT(env, op);
}

static const PPCOp *op_lvsr(CPUPPCState *env, const PPCOp *op)
{
    unsigned sh = vmx_ea(env, op) & 15;
    ppc_vsr_t *t = VMX_VR(env, op->rt);

    for (unsigned i = 0; i < 16; i++) {
        VsrB(t, i) = 16 - sh + i;
    }
    return PPC_NEXT(env, op);
}

/* ---- VSCR ---------------------------------------------------------------- */

/* mfvscr: VSCR in word 3, zeros elsewhere. */
static const PPCOp *op_mfvscr(CPUPPCState *env, const PPCOp *op)
{
    ppc_vsr_t *t = VMX_VR(env, op->rt);

    t->u128 = 0;
    VsrW(t, 3) = env->vscr;
    return PPC_NEXT(env, op);
}

static const PPCOp *op_mtvscr(CPUPPCState *env, const PPCOp *op)
{
    env->vscr = VsrW(VMX_VR(env, op->rb), 3);
    return PPC_NEXT(env, op);
}

/* Data-stream touch and stop hints: no cache model, so nothing to do. */
static const PPCOp *op_nop(CPUPPCState *env, const PPCOp *op)
{
    return PPC_NEXT(env, op);
}

/* ---- Definitions --------------------------------------------------------- */

/* X-form loads and stores (opcode 31): bit 31 is reserved. */
static bool decode_vmx_x(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (insn & 1) {
        return false;
    }
    if (ppc_decode_facility(op, PPC_OPF_VEC)) {
        ppc_decode_x(def, insn, op);
    }
    return true;
}

/*
 * dst/dstst need RA != 0 (QEMU 7.2 makes RA = 0 illegal); dss has its
 * reserved bits.  None of them needs MSR[VEC].
 */
static bool decode_dst(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if ((insn & 1) || INSN_RA(insn) == 0 || insn_field(insn, 7, 8)) {
        return false;
    }
    op->fn = op_nop;
    return true;
}

static bool decode_dss(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    if (insn & 0x019ff801u) {
        return false;
    }
    op->fn = op_nop;
    return true;
}

static const VMXInsn vmx_vscr_insns[] = {
    { "mfvscr", 1540, VMX_F_TAB, VMX_RA_FIELD | VMX_RB_FIELD, op_mfvscr },
    { "mtvscr", 1604, VMX_F_TAB, VMX_RT_FIELD | VMX_RA_FIELD, op_mtvscr },
};

#define OPCD(po) ((uint32_t)(po) << 26)
#define X31(xo) (OPCD(31) | ((xo) << 1))
#define XO_MASK 0xfc0007feu
#define X31_ROW(name, xo)                                                                          \
    {                                                                                              \
#name, X31(xo), XO_MASK, decode_vmx_x, op_##name, 0                                        \
    }

static const PPCInsnDef vmx_insns[] = {
    /* Opcode 4 (the fixed-point maddhd/maddhdu/maddld forms are more specific) */
    { "vmx-4", OPCD(4), 0xfc000000u, decode_vmx4, NULL, 0 },
    X31_ROW(lvsl, 6),
    X31_ROW(lvsr, 38),
    X31_ROW(lvebx, 7),
    X31_ROW(lvehx, 39),
    X31_ROW(lvewx, 71),
    { "lvx", X31(103), XO_MASK, decode_vmx_x, op_lvx, 0 },
    { "lvxl", X31(359), XO_MASK, decode_vmx_x, op_lvx, 0 },
    X31_ROW(stvebx, 135),
    X31_ROW(stvehx, 167),
    X31_ROW(stvewx, 199),
    { "stvx", X31(231), XO_MASK, decode_vmx_x, op_stvx, 0 },
    { "stvxl", X31(487), XO_MASK, decode_vmx_x, op_stvx, 0 },
    { "dst", X31(342), XO_MASK, decode_dst, NULL, 0 },
    { "dstst", X31(374), XO_MASK, decode_dst, NULL, 0 },
    { "dss", X31(822), XO_MASK, decode_dss, NULL, 0 },
};

static void ppc_vmx_insns_register(void)
{
    ppc_insn_register(vmx_insns, ARRAY_SIZE(vmx_insns));
    ppc_vmx_register(vmx_vscr_insns, ARRAY_SIZE(vmx_vscr_insns));
}

module_init(ppc_vmx_insns_register)
