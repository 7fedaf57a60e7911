/*
 * Decoding: instruction-class files register definitions (match/mask),
 * bucketed by primary opcode; a lookup scans one bucket, most specific mask
 * first.  Decoding happens once per instruction per translated block.
 */
#include "target/ppc/internal.h"

static GPtrArray *buckets[64];

static int by_specificity(gconstpointer a, gconstpointer b)
{
    const PPCInsnDef *da = *(const PPCInsnDef *const *)a;
    const PPCInsnDef *db = *(const PPCInsnDef *const *)b;

    return __builtin_popcount(db->mask) - __builtin_popcount(da->mask);
}

void ppc_insn_register(const PPCInsnDef *defs, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const PPCInsnDef *d = &defs[i];
        unsigned opcd = INSN_OPCD(d->match);

        /* Every definition must pin the primary opcode it is filed under. */
        if ((d->mask & 0xfc000000u) != 0xfc000000u || (d->match & ~d->mask)) {
            fprintf(stderr, "ppc_insn_register: bad match/mask for %s\n", d->name);
            abort();
        }
        if (!buckets[opcd]) {
            buckets[opcd] = g_ptr_array_new();
        }
        g_ptr_array_add(buckets[opcd], (gpointer)d);
    }
    /*
     * Once per call, not per definition (start-up time): the sort is stable,
     * so equally specific definitions keep their order of registration.
     */
    for (size_t i = 0; i < count; i++) {
        unsigned opcd = INSN_OPCD(defs[i].match);

        if (i == 0 || opcd != INSN_OPCD(defs[i - 1].match)) {
            g_ptr_array_sort(buckets[opcd], by_specificity);
        }
    }
}

const PPCInsnDef *ppc_insn_lookup(uint32_t insn)
{
    GPtrArray *b = buckets[INSN_OPCD(insn)];

    for (guint i = 0; b && i < b->len; i++) {
        const PPCInsnDef *d = g_ptr_array_index(b, i);

        if ((insn & d->mask) == d->match) {
            return d;
        }
    }
    return NULL;
}

bool ppc_decode_d(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = def->fn;
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->imm = INSN_SIMM(insn);
    return true;
}

bool ppc_decode_du(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_d(def, insn, op);
    op->imm = INSN_UIMM(insn);
    return true;
}

bool ppc_decode_x(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    op->fn = def->fn;
    op->rt = INSN_RT(insn);
    op->ra = INSN_RA(insn);
    op->rb = INSN_RB(insn);
    if (INSN_RCBIT(insn)) {
        op->flags |= PPC_OPF_RC;
    }
    return true;
}

bool ppc_decode_xo(const PPCInsnDef *def, uint32_t insn, PPCOp *op)
{
    ppc_decode_x(def, insn, op);
    if (insn_field(insn, 21, 21)) {
        op->flags |= PPC_OPF_OE;
    }
    return true;
}

static const PPCOp *op_fp_unavailable(CPUPPCState *env, const PPCOp *op)
{
    return ppc_raise(env, PPC_VEC_FP_UNAVAIL, op->pc, 0);
}

static const PPCOp *op_vec_unavailable(CPUPPCState *env, const PPCOp *op)
{
    return ppc_raise(env, PPC_VEC_VMX_UNAVAIL, op->pc, 0);
}

static const PPCOp *op_vsx_unavailable(CPUPPCState *env, const PPCOp *op)
{
    return ppc_raise(env, PPC_VEC_VSX_UNAVAIL, op->pc, 0);
}

bool ppc_decode_facility(PPCOp *op, unsigned opf_facility)
{
    op->flags |= PPC_OPF_FACILITY;
    if (op->flags & opf_facility) {
        return true;
    }
    op->fn = opf_facility == PPC_OPF_FP    ? op_fp_unavailable
             : opf_facility == PPC_OPF_VEC ? op_vec_unavailable
                                           : op_vsx_unavailable;
    return false;
}
