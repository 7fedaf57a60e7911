/*
 * The x86-64 JIT's vector instructions: VMX/VSX loads and stores through the
 * soft TLB, and the frequent logical, integer, compare, splat, merge and
 * permute forms, each a few SSE instructions on the registers in env.
 *
 * A VSR sits in env in host order (cpu.h): on this little-endian host ISA
 * byte 0 is host byte 15, so a whole register is one xmm value whose
 * elements are numbered from the other end.  Element-wise operations do not
 * care; merges, splats and permutes map the ISA's element numbers.  Nothing
 * is kept in xmm registers across instructions (a step's C call may clobber
 * them), so the state in env is exact at every instruction boundary.
 */
#include "target/ppc/jit-x86_64.h"
#include "target/ppc/vec-helpers.h"

/* SSE opcodes: 0x0fXX, or three bytes 0x0f38XX / 0x0f3aXX (0x66 prefix unless noted). */
enum {
    P_PUNPCKLBW = 0x0f60,
    P_PUNPCKLWD = 0x0f61,
    P_PUNPCKLDQ = 0x0f62,
    P_PCMPGTB = 0x0f64,
    P_PCMPGTW = 0x0f65,
    P_PCMPGTD = 0x0f66,
    P_PUNPCKHBW = 0x0f68,
    P_PUNPCKHWD = 0x0f69,
    P_PUNPCKHDQ = 0x0f6a,
    P_PUNPCKLQDQ = 0x0f6c,
    P_MOVQ_TO_X = 0x0f6e, /* with REX.W: movq xmm, r64 */
    P_MOVDQA = 0x0f6f,
    P_PSHUFD = 0x0f70,
    P_SHIFTW_IMM = 0x0f71, /* /2 psrlw, /4 psraw, /6 psllw */
    P_PCMPEQB = 0x0f74,
    P_PCMPEQW = 0x0f75,
    P_PCMPEQD = 0x0f76,
    P_SHUFPD = 0x0fc6,
    P_PADDQ = 0x0fd4,
    P_PMULLW = 0x0fd5,
    P_PMOVMSKB = 0x0fd7,
    P_PMINUB = 0x0fda,
    P_PAND = 0x0fdb,
    P_PMAXUB = 0x0fde,
    P_PANDN = 0x0fdf, /* dst = ~dst & src */
    P_PMINSW = 0x0fea,
    P_POR = 0x0feb,
    P_PMAXSW = 0x0fee,
    P_PXOR = 0x0fef,
    P_PSUBB = 0x0ff8,
    P_PSUBW = 0x0ff9,
    P_PSUBD = 0x0ffa,
    P_PSUBQ = 0x0ffb,
    P_PADDB = 0x0ffc,
    P_PADDW = 0x0ffd,
    P_PADDD = 0x0ffe,
    P_PSHUFB = 0x0f3800,
    P_PBLENDVB = 0x0f3810, /* mask in xmm0 */
    P_PCMPEQQ = 0x0f3829,
    P_PCMPGTQ = 0x0f3837,
    P_PMINSB = 0x0f3838,
    P_PMINSD = 0x0f3839,
    P_PMINUW = 0x0f383a,
    P_PMINUD = 0x0f383b,
    P_PMAXSB = 0x0f383c,
    P_PMAXSD = 0x0f383d,
    P_PMAXUW = 0x0f383e,
    P_PMAXUD = 0x0f383f,
    P_PMULLD = 0x0f3840,
    P_PALIGNR = 0x0f3a0f,
    P_PINSRQ = 0x0f3a22, /* with REX.W */
};
/* movdqu (0xf3 prefix): load xmm, m128 and store m128, xmm. */
#define MOVDQU_LD 0x0f6f
#define MOVDQU_ST 0x0f7f

enum { X0, X1, X2, X3, X4 };

static void sse_opcode(Asm *a, uint32_t opc)
{
    if (opc > 0xffff) {
        b1(a, opc >> 16);
    }
    b1(a, (opc >> 8) & 0xff);
    b1(a, opc & 0xff);
}

/* [prefix] [REX] opcode with ModRM reg = r and rm = register m. */
static void sse_rr(Asm *a, unsigned pfx, bool w, uint32_t opc, int r, int m)
{
    if (pfx) {
        b1(a, pfx);
    }
    rex(a, w, r, m);
    sse_opcode(a, opc);
    b1(a, 0xc0 | ((r & 7) << 3) | (m & 7));
}

/* [prefix] [REX] opcode with ModRM reg = r and rm = [base + disp]. */
static void sse_rm(Asm *a, unsigned pfx, uint32_t opc, int r, int base, int32_t disp)
{
    if (pfx) {
        b1(a, pfx);
    }
    rex(a, false, r, base);
    sse_opcode(a, opc);
    if (disp == (int8_t)disp) {
        b1(a, 0x40 | ((r & 7) << 3) | (base & 7));
        b1(a, (uint8_t)disp);
    } else {
        b1(a, 0x80 | ((r & 7) << 3) | (base & 7));
        b4(a, (uint32_t)disp);
    }
}

/* A 0x66-prefixed operation: d = d op s. */
static void pop(Asm *a, uint32_t opc, int d, int s)
{
    sse_rr(a, 0x66, false, opc, d, s);
}

static void pop_imm(Asm *a, uint32_t opc, int d, int s, unsigned imm)
{
    pop(a, opc, d, s);
    b1(a, imm);
}

/* Word shifts by an immediate: n = 2 (logical right), 4 (arithmetic right), 6 (left). */
static void shiftw(Asm *a, unsigned n, int x, unsigned count)
{
    pop_imm(a, P_SHIFTW_IMM, n, x, count);
}

/* A VEX.128.66.0F38 instruction (FMA3, AVX2 shifts): d = op(s1, s2), xmm0-7 only. */
static void vex_0f38(Asm *a, bool w, unsigned opc, int d, int s1, int s2)
{
    b1(a, 0xc4);
    b1(a, 0xe2);                                      /* R, X, B (inverted) clear; map 0F38 */
    b1(a, (w ? 0x80 : 0) | ((~s1 & 15) << 3) | 0x01); /* W, ~vvvv, L = 128, pp = 66 */
    b1(a, opc);
    b1(a, 0xc0 | (d << 3) | s2);
}

static void vld(Asm *a, int x, unsigned vsr)
{
    sse_rm(a, 0xf3, MOVDQU_LD, x, RBX, VSR_OFF(vsr));
}

static void vst(Asm *a, int x, unsigned vsr)
{
    sse_rm(a, 0xf3, MOVDQU_ST, x, RBX, VSR_OFF(vsr));
}

/* x = the 128-bit constant hi:lo (host order; rax is clobbered). */
static void vconst(Asm *a, int x, uint64_t lo, uint64_t hi)
{
    if (lo == 0 && hi == 0) {
        pop(a, P_PXOR, x, x);
        return;
    }
    if (lo == ~0ULL && hi == ~0ULL) {
        pop(a, P_PCMPEQB, x, x);
        return;
    }
    mov_imm(a, RAX, lo);
    sse_rr(a, 0x66, true, P_MOVQ_TO_X, x, RAX);
    if (hi == lo) {
        pop(a, P_PUNPCKLQDQ, x, x);
    } else {
        mov_imm(a, RAX, hi);
        sse_rr(a, 0x66, true, P_PINSRQ, x, RAX);
        b1(a, 1);
    }
}

/* x = every byte v. */
static void vconst_bytes(Asm *a, int x, uint8_t v)
{
    uint64_t q = 0x0101010101010101ULL * v;

    vconst(a, x, q, q);
}

static void vnot(Asm *a, int x, int tmp)
{
    pop(a, P_PCMPEQB, tmp, tmp);
    pop(a, P_PXOR, x, tmp);
}

/* pshufb index vectors (host byte h takes source byte mask[h]). */
#define SHUF_REVERSE_LO 0x08090a0b0c0d0e0fULL /* all 16 bytes reversed */
#define SHUF_REVERSE_HI 0x0001020304050607ULL
#define SHUF_HALF_LO 0x09080b0a0d0c0f0eULL /* halfword order reversed */
#define SHUF_HALF_HI 0x0100030205040706ULL

/* ---- Which instructions ------------------------------------------------------- */

typedef enum VecKind {
    K_BIN,     /* t = a op b */
    K_BIN_NOT, /* t = ~(a op b) */
    K_ANDC,    /* t = a & ~b */
    K_ORC,     /* t = a | ~b */
    K_CMPGTU,  /* unsigned a > b: arg the signed compare, arg2 the element size */
    K_CMPNEZ,  /* a != b or either element 0: arg the equality compare */
    K_MRG,     /* merge high/low: arg the unpack */
    K_SEL,     /* t = (a & ~c) | (b & c) */
    K_PERM,    /* vperm/vpermr (arg2 = 1: from the right) */
    K_XXPERM,  /* xxperm/xxpermr: (XA || XT) indexed by XB */
    K_SLDOI,   /* vsldoi */
    K_SPLTIS,  /* vspltis[bhw]: arg the element size */
    K_SPLTIB,  /* xxspltib */
    K_SPLT,    /* vsplt[bhw], xxspltw: arg the element size */
    K_PERMDI,  /* xxpermdi */
    K_MULEO,   /* vmul[eo][su]b: arg2 bit 0 odd, bit 1 signed */
    K_LD,      /* loads: arg the element size, arg2 the form */
    K_ST,      /* stores */
    K_SHB,     /* vslb/vsrb: arg2 1 for right */
    K_SHV,     /* AVX2 variable shifts of words/doublewords: arg the opcode, arg2 1 for 64-bit */
    K_FP,      /* VSX vector float a op b (sqrt: op b): arg the SSE op, arg2 FP_* */
    K_FMA,     /* VSX vector multiply-add: arg the FMA3 opcode, arg2 FP_* */
} VecKind;

/* arg2 of K_FP and K_FMA. */
#define FP_SP 1    /* binary32 elements */
#define FP_UNARY 2 /* one operand (XB) */
#define FP_M 2     /* FMA "m" form: XT = XA * XT + XB */
#define FP_NEG 4   /* FMA: the result negated */

/* Load/store forms (arg2 of K_LD/K_ST). */
enum { F_X, F_LVX, F_DQ };

typedef struct VecInsn {
    const char *name;
    uint8_t kind;
    uint32_t arg;
    uint8_t arg2;
    bool sse42; /* needs SSE4.2 (pcmpgtq) */
} VecInsn;

/* SSE float opcodes (0x66 prefix: packed double; none: packed single). */
enum {
    F_SQRT = 0x0f51,
    F_AND = 0x0f54,
    F_XOR = 0x0f57,
    F_ADD = 0x0f58,
    F_MUL = 0x0f59,
    F_SUB = 0x0f5c,
    F_DIV = 0x0f5e,
    F_MOVMSK = 0x0f50,
    F_CMP = 0x0fc2,
};
/* FMA3 (VEX.66.0F38): 231 forms t = a * b + t, 213 forms t = a * t + b. */
enum { FMA_ADD231 = 0xb8, FMA_SUB231 = 0xba, FMA_ADD213 = 0xa8, FMA_SUB213 = 0xaa };

static const VecInsn vec_insns[] = {
    /* VMX integer */
    { "vaddubm", K_BIN, P_PADDB },
    { "vadduhm", K_BIN, P_PADDW },
    { "vadduwm", K_BIN, P_PADDD },
    { "vaddudm", K_BIN, P_PADDQ },
    { "vsububm", K_BIN, P_PSUBB },
    { "vsubuhm", K_BIN, P_PSUBW },
    { "vsubuwm", K_BIN, P_PSUBD },
    { "vsubudm", K_BIN, P_PSUBQ },
    { "vmuluwm", K_BIN, P_PMULLD },
    { "vmaxub", K_BIN, P_PMAXUB },
    { "vmaxuh", K_BIN, P_PMAXUW },
    { "vmaxuw", K_BIN, P_PMAXUD },
    { "vmaxsb", K_BIN, P_PMAXSB },
    { "vmaxsh", K_BIN, P_PMAXSW },
    { "vmaxsw", K_BIN, P_PMAXSD },
    { "vminub", K_BIN, P_PMINUB },
    { "vminuh", K_BIN, P_PMINUW },
    { "vminuw", K_BIN, P_PMINUD },
    { "vminsb", K_BIN, P_PMINSB },
    { "vminsh", K_BIN, P_PMINSW },
    { "vminsw", K_BIN, P_PMINSD },
    { "vmuleub", K_MULEO, 0, 0 },
    { "vmuloub", K_MULEO, 0, 1 },
    { "vmulesb", K_MULEO, 0, 2 },
    { "vmulosb", K_MULEO, 0, 3 },
    { "vslb", K_SHB, 0, 0 },
    { "vsrb", K_SHB, 0, 1 },
    { "vslw", K_SHV, 0x47, 0 },
    { "vsld", K_SHV, 0x47, 1 },
    { "vsrw", K_SHV, 0x45, 0 },
    { "vsrd", K_SHV, 0x45, 1 },
    { "vsraw", K_SHV, 0x46, 0 },
    /* logical */
    { "vand", K_BIN, P_PAND },
    { "vor", K_BIN, P_POR },
    { "vxor", K_BIN, P_PXOR },
    { "vandc", K_ANDC },
    { "vorc", K_ORC },
    { "vnor", K_BIN_NOT, P_POR },
    { "vnand", K_BIN_NOT, P_PAND },
    { "veqv", K_BIN_NOT, P_PXOR },
    { "vsel", K_SEL },
    { "xxland", K_BIN, P_PAND },
    { "xxlor", K_BIN, P_POR },
    { "xxlxor", K_BIN, P_PXOR },
    { "xxlandc", K_ANDC },
    { "xxlorc", K_ORC },
    { "xxlnor", K_BIN_NOT, P_POR },
    { "xxlnand", K_BIN_NOT, P_PAND },
    { "xxleqv", K_BIN_NOT, P_PXOR },
    { "xxsel", K_SEL },
    /* compares (Rc sets CR6) */
    { "vcmpequb", K_BIN, P_PCMPEQB },
    { "vcmpequh", K_BIN, P_PCMPEQW },
    { "vcmpequw", K_BIN, P_PCMPEQD },
    { "vcmpequd", K_BIN, P_PCMPEQQ },
    { "vcmpneb", K_BIN_NOT, P_PCMPEQB },
    { "vcmpneh", K_BIN_NOT, P_PCMPEQW },
    { "vcmpnew", K_BIN_NOT, P_PCMPEQD },
    { "vcmpnezb", K_CMPNEZ, P_PCMPEQB },
    { "vcmpnezh", K_CMPNEZ, P_PCMPEQW },
    { "vcmpnezw", K_CMPNEZ, P_PCMPEQD },
    { "vcmpgtsb", K_BIN, P_PCMPGTB },
    { "vcmpgtsh", K_BIN, P_PCMPGTW },
    { "vcmpgtsw", K_BIN, P_PCMPGTD },
    { "vcmpgtsd", K_BIN, P_PCMPGTQ, 0, true },
    { "vcmpgtub", K_CMPGTU, P_PCMPGTB, 1 },
    { "vcmpgtuh", K_CMPGTU, P_PCMPGTW, 2 },
    { "vcmpgtuw", K_CMPGTU, P_PCMPGTD, 4 },
    { "vcmpgtud", K_CMPGTU, P_PCMPGTQ, 8, true },
    /* permutes, merges, splats */
    { "vperm", K_PERM, 0, 0 },
    { "vpermr", K_PERM, 0, 1 },
    { "xxperm", K_XXPERM, 0, 0 },
    { "xxpermr", K_XXPERM, 0, 1 },
    { "vsldoi", K_SLDOI },
    { "xxpermdi", K_PERMDI },
    { "vmrghb", K_MRG, P_PUNPCKHBW },
    { "vmrghh", K_MRG, P_PUNPCKHWD },
    { "vmrghw", K_MRG, P_PUNPCKHDQ },
    { "vmrglb", K_MRG, P_PUNPCKLBW },
    { "vmrglh", K_MRG, P_PUNPCKLWD },
    { "vmrglw", K_MRG, P_PUNPCKLDQ },
    { "xxmrghw", K_MRG, P_PUNPCKHDQ },
    { "xxmrglw", K_MRG, P_PUNPCKLDQ },
    { "vspltisb", K_SPLTIS, 1 },
    { "vspltish", K_SPLTIS, 2 },
    { "vspltisw", K_SPLTIS, 4 },
    { "xxspltib", K_SPLTIB },
    { "vspltb", K_SPLT, 1 },
    { "vsplth", K_SPLT, 2 },
    { "vspltw", K_SPLT, 4 },
    { "xxspltw", K_SPLT, 4 },
    /* loads and stores */
    { "lvx", K_LD, 16, F_LVX },
    { "lvxl", K_LD, 16, F_LVX },
    { "stvx", K_ST, 16, F_LVX },
    { "stvxl", K_ST, 16, F_LVX },
    { "lxv", K_LD, 16, F_DQ },
    { "stxv", K_ST, 16, F_DQ },
    { "lxvx", K_LD, 16, F_X },
    { "stxvx", K_ST, 16, F_X },
    { "lxvd2x", K_LD, 8, F_X },
    { "stxvd2x", K_ST, 8, F_X },
    { "lxvw4x", K_LD, 4, F_X },
    { "stxvw4x", K_ST, 4, F_X },
    { "lxvh8x", K_LD, 2, F_X },
    { "stxvh8x", K_ST, 2, F_X },
    { "lxvb16x", K_LD, 1, F_X },
    { "stxvb16x", K_ST, 1, F_X },
    /* VSX vector float */
    { "xvadddp", K_FP, F_ADD, 0 },
    { "xvsubdp", K_FP, F_SUB, 0 },
    { "xvmuldp", K_FP, F_MUL, 0 },
    { "xvdivdp", K_FP, F_DIV, 0 },
    { "xvsqrtdp", K_FP, F_SQRT, FP_UNARY },
    { "xvaddsp", K_FP, F_ADD, FP_SP },
    { "xvsubsp", K_FP, F_SUB, FP_SP },
    { "xvmulsp", K_FP, F_MUL, FP_SP },
    { "xvdivsp", K_FP, F_DIV, FP_SP },
    { "xvsqrtsp", K_FP, F_SQRT, FP_SP | FP_UNARY },
    { "xvmaddadp", K_FMA, FMA_ADD231, 0 },
    { "xvmaddmdp", K_FMA, FMA_ADD213, FP_M },
    { "xvmsubadp", K_FMA, FMA_SUB231, 0 },
    { "xvmsubmdp", K_FMA, FMA_SUB213, FP_M },
    { "xvnmaddadp", K_FMA, FMA_ADD231, FP_NEG },
    { "xvnmaddmdp", K_FMA, FMA_ADD213, FP_M | FP_NEG },
    { "xvnmsubadp", K_FMA, FMA_SUB231, FP_NEG },
    { "xvnmsubmdp", K_FMA, FMA_SUB213, FP_M | FP_NEG },
    { "xvmaddasp", K_FMA, FMA_ADD231, FP_SP },
    { "xvmaddmsp", K_FMA, FMA_ADD213, FP_SP | FP_M },
    { "xvmsubasp", K_FMA, FMA_SUB231, FP_SP },
    { "xvmsubmsp", K_FMA, FMA_SUB213, FP_SP | FP_M },
    { "xvnmaddasp", K_FMA, FMA_ADD231, FP_SP | FP_NEG },
    { "xvnmaddmsp", K_FMA, FMA_ADD213, FP_SP | FP_M | FP_NEG },
    { "xvnmsubasp", K_FMA, FMA_SUB231, FP_SP | FP_NEG },
    { "xvnmsubmsp", K_FMA, FMA_SUB213, FP_SP | FP_M | FP_NEG },
};

/* Opcode-31 extended opcodes of the loads and stores above (others are not looked up). */
static bool is_vec_x31(uint32_t insn)
{
    switch (insn_field(insn, 21, 30)) {
    case 103:  /* lvx */
    case 359:  /* lvxl */
    case 231:  /* stvx */
    case 487:  /* stvxl */
    case 268:  /* lxvx */
    case 300:  /* lxvx (bit 25 set) */
    case 396:  /* stxvx */
    case 844:  /* lxvd2x */
    case 972:  /* stxvd2x */
    case 780:  /* lxvw4x */
    case 908:  /* stxvw4x */
    case 812:  /* lxvh8x */
    case 940:  /* stxvh8x */
    case 876:  /* lxvb16x */
    case 1004: /* stxvb16x */
        return true;
    default:
        return false;
    }
}

static bool host_sse41, host_sse42, host_fma, host_avx2;

static void host_features(void)
{
    static bool done;

    if (!done) {
        __builtin_cpu_init();
        host_sse41 = __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3");
        host_sse42 = host_sse41 && __builtin_cpu_supports("sse4.2");
        /* "avx" is only reported when the OS saves the AVX state (XGETBV). */
        host_fma = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
        host_avx2 = __builtin_cpu_supports("avx") && __builtin_cpu_supports("avx2");
        done = true;
    }
}

/*
 * The instruction of op i when the JIT has it: decoding the word again with
 * every facility on must give the handler the op holds, so an op that
 * became a facility-unavailable or illegal interrupt is left to its step.
 */
static const VecInsn *vec_lookup(Block *b, unsigned i)
{
    const PPCOp *op = jit_op(b, i);
    const PPCInsnDef *def = ppc_insn_lookup(op->insn);
    const char *name;
    PPCOp t;

    if (!def) {
        return NULL;
    }
    memset(&t, 0, sizeof(t));
    t.pc = op->pc;
    t.insn = op->insn;
    t.flags = op->flags | PPC_OPF_FP | PPC_OPF_VEC | PPC_OPF_VSX;
    if (!def->decode(def, op->insn, &t) || !t.fn || t.fn != b->fns[i]) {
        return NULL;
    }
    name = INSN_OPCD(op->insn) == 4 ? ppc_vmx_insn_name(op->insn) : def->name;
    for (size_t k = 0; name && k < ARRAY_SIZE(vec_insns); k++) {
        if (!strcmp(vec_insns[k].name, name)) {
            return &vec_insns[k];
        }
    }
    return NULL;
}

/* ---- Emitters ------------------------------------------------------------------ */

/* CR6 of a VMX compare with Rc = 1 from the result in x: all true LT, all false EQ. */
static void emit_cr6(Asm *a, int x)
{
    sse_rr(a, 0x66, false, P_PMOVMSKB, RAX, x);
    mov_imm(a, RCX, 0);
    mov_imm(a, RDX, CRF_LT);
    alu_imm(a, false, ALU_CMP, RAX, 0xffff);
    cmov(a, false, CC_E, RCX, RDX);
    mov_imm(a, RDX, CRF_EQ);
    rr(a, false, OPC_TEST, RAX, RAX);
    cmov(a, false, CC_E, RCX, RDX);
    rm(a, false, OPC_MOV_ST, RCX, RBX, CRF_OFF(6));
}

/*
 * Byte i of (first || second) at index idx & 31, or 31 - that (right):
 * host byte h of an operand is its ISA byte 15 - h, so the in-register index
 * is 15 - (idx & 15) (idx & 15 from the right), and bit 4 picks the operand.
 */
static void emit_perm(Asm *a, unsigned first, unsigned second, unsigned idx, bool right, unsigned t)
{
    vld(a, X3, idx);
    pop(a, P_MOVDQA, X0, X3);
    shiftw(a, 6, X0, 3); /* bit 4 of each index byte to its bit 7 */
    vconst_bytes(a, X4, 0x0f);
    pop(a, right ? P_PAND : P_PANDN, X3, X4);
    vld(a, X1, first);
    vld(a, X2, second);
    pop(a, P_PSHUFB, X1, X3);
    pop(a, P_PSHUFB, X2, X3);
    /* Bit 4 set: the second operand, or from the right the first one. */
    if (right) {
        pop(a, P_PBLENDVB, X2, X1);
        vst(a, X2, t);
    } else {
        pop(a, P_PBLENDVB, X1, X2);
        vst(a, X1, t);
    }
}

/*
 * Memory to register and back (the same exchange both ways): big-endian
 * and byte elements reverse the 16 bytes (ISA byte 0 is host byte 15);
 * little-endian reverses the order of the elements of esz bytes.
 */
static void emit_swap(Asm *a, int x, bool le, unsigned esz)
{
    if (!le || esz == 1) {
        vconst(a, X2, SHUF_REVERSE_LO, SHUF_REVERSE_HI);
        pop(a, P_PSHUFB, x, X2);
        return;
    }
    switch (esz) {
    case 8:
        pop_imm(a, P_PSHUFD, x, x, 0x4e);
        break;
    case 4:
        pop_imm(a, P_PSHUFD, x, x, 0x1b);
        break;
    case 2:
        vconst(a, X2, SHUF_HALF_LO, SHUF_HALF_HI);
        pop(a, P_PSHUFB, x, X2);
        break;
    default:
        break;
    }
}

static void emit_ldst(Block *b, unsigned i, const VecInsn *v)
{
    Asm *a = &b->a;
    const PPCOp *op = jit_op(b, i);
    uint32_t insn = op->insn;
    unsigned ra = INSN_RA(insn), first = b->n_stubs;
    unsigned vsr = v->arg2 == F_LVX ? 32 + INSN_RT(insn) : op->rt;
    bool le = (op->flags & PPC_OPF_LE) != 0, store = v->kind == K_ST;

    if (v->arg2 == F_DQ) {
        if (ra) {
            rr(a, true, OPC_MOV_ST, gpr_in(b, ra), RSI);
            if (op->imm) {
                alu_imm(a, true, ALU_ADD, RSI, (int32_t)op->imm);
            }
        } else {
            mov_imm(a, RSI, (uint64_t)op->imm);
        }
    } else {
        rr(a, true, OPC_MOV_ST, gpr_in(b, INSN_RB(insn)), RSI);
        if (ra) {
            rr(a, true, OPC_ADD + 2, RSI, gpr_in(b, ra));
        }
        if (v->arg2 == F_LVX) {
            alu_imm(a, true, ALU_AND, RSI, -16);
        }
    }
    emit_tlb_lookup(b, i, 16, store, false);
    if (store) {
        vld(a, X1, vsr);
        emit_swap(a, X1, le, v->arg);
        sse_rm(a, 0xf3, MOVDQU_ST, X1, RSI, 0);
    } else {
        sse_rm(a, 0xf3, MOVDQU_LD, X1, RSI, 0);
        emit_swap(a, X1, le, v->arg);
        vst(a, X1, vsr);
    }
    stubs_resume(b, first);
}

/* vsplt[bhw] / xxspltw: element uim (ISA numbering) of vB everywhere. */
static void emit_splat(Asm *a, unsigned bv, unsigned t, unsigned esz, unsigned uim)
{
    unsigned n = 16 / esz, h = n - 1 - (uim & (n - 1)); /* the host element */

    vld(a, X1, bv);
    if (esz == 4) {
        pop_imm(a, P_PSHUFD, X1, X1, h * 0x55);
    } else {
        uint64_t m = esz == 1 ? 0x0101010101010101ULL * h
                              : 0x0101010101010101ULL * (2 * h) + 0x0100010001000100ULL;

        vconst(a, X2, m, m);
        pop(a, P_PSHUFB, X1, X2);
    }
    vst(a, X1, t);
}

/* A splatted immediate: v in every element of esz bytes. */
static void emit_splat_imm(Asm *a, unsigned t, unsigned esz, uint64_t v)
{
    uint64_t q = esz == 1   ? 0x0101010101010101ULL * (v & 0xff)
                 : esz == 2 ? 0x0001000100010001ULL * (v & 0xffff)
                            : 0x0000000100000001ULL * (v & 0xffffffff);

    vconst(a, X1, q, q);
    vst(a, X1, t);
}

/* ---- Vector floating point ------------------------------------------------------ */

/*
 * FPSCR bits (the ISA numbers bit 0 as the MSB of the 64-bit register).
 * The host computes the common case: round to nearest, no exception but
 * inexact, no NaN, no result near the underflow threshold.  Everything else
 * takes the interpreter's step, which starts again from the unchanged
 * registers: exceptions, NaNs (PowerPC's propagation is not x86's),
 * denormal operands, other rounding modes and the enabled exceptions that
 * make results trap (XE), or that count exact tiny results (UE).  x86
 * detects tininess after rounding, PowerPC before: a result that rounded
 * up to the smallest normal must report underflow, so results at or below
 * twice the smallest normal go the slow way too (zeros with them).
 */
#define FPSCR_BIT(n) (1ULL << (63 - (n)))
#define FPSCR_FX_BIT FPSCR_BIT(32)
#define FPSCR_XX_BIT FPSCR_BIT(38)
#define FPSCR_SLOW_MODES (FPSCR_BIT(58) | FPSCR_BIT(60) | FPSCR_BIT(61) | 3) /* UE XE NI RN */
/* MXCSR: all exceptions masked, round to nearest, no FTZ/DAZ; the flags (bits 0-5). */
#define MXCSR_DEFAULT 0x1f80
#define MXCSR_SLOW_FLAGS 0x1f /* invalid, denormal, zero-divide, overflow, underflow */
#define MXCSR_INEXACT 0x20

static void fp_op(Asm *a, bool sp, uint32_t opc, int d, int s)
{
    sse_rr(a, sp ? 0 : 0x66, false, opc, d, s);
}

/* ldmxcsr/stmxcsr [rsp] (0F AE /2, /3). */
static void mxcsr_rsp(Asm *a, unsigned n)
{
    b1(a, 0x0f);
    b1(a, 0xae);
    b1(a, (n << 3) | 4);
    b1(a, 0x24);
}

static void emit_fp(Block *b, unsigned i, const VecInsn *v, unsigned t, unsigned va, unsigned vb)
{
    Asm *a = &b->a;
    unsigned first = b->n_stubs;
    bool sp = v->arg2 & FP_SP;
    uint64_t thr = sp ? 0x0100000001000000ULL : 0x0020000000000000ULL;
    uint64_t abs = sp ? 0x7fffffff7fffffffULL : 0x7fffffffffffffffULL;
    uint8_t *skip;

    rm(a, false, 0xf7, F7_TEST, RBX, ENV_OFF(fpscr));
    b4(a, (uint32_t)FPSCR_SLOW_MODES);
    stub_jcc(b, CC_NE, i);
    b1(a, 0x68); /* push imm32 */
    b4(a, MXCSR_DEFAULT);
    mxcsr_rsp(a, 2);
    if (v->kind == K_FMA) {
        vld(a, X1, t);
        vld(a, X2, va);
        vld(a, X3, vb);
        vex_0f38(a, !sp, v->arg, X1, X2, X3);
        if (v->arg2 & FP_NEG) {
            uint64_t sign = ~abs;

            vconst(a, X2, sign, sign);
            fp_op(a, sp, F_XOR, X1, X2);
        }
    } else if (v->arg2 & FP_UNARY) {
        vld(a, X2, vb);
        fp_op(a, sp, v->arg, X1, X2);
    } else {
        vld(a, X1, va);
        vld(a, X2, vb);
        fp_op(a, sp, v->arg, X1, X2);
    }
    mxcsr_rsp(a, 3);
    b1(a, 0x5a); /* pop rdx: the flags (vconst below clobbers rax) */
    rr(a, false, 0xf7, F7_TEST, RDX);
    b4(a, MXCSR_SLOW_FLAGS);
    stub_jcc(b, CC_NE, i);
    /* NaN, or |r| <= the threshold: !(thr < |r|) */
    vconst(a, X3, thr, thr);
    vconst(a, X4, abs, abs);
    fp_op(a, sp, F_AND, X4, X1);
    fp_op(a, sp, F_CMP, X3, X4);
    b1(a, 5); /* NLT */
    fp_op(a, sp, F_MOVMSK, RCX, X3);
    rr(a, false, OPC_TEST, RCX, RCX);
    stub_jcc(b, CC_NE, i);
    /* Inexact: XX, and FX when XX was clear. */
    rr(a, false, 0xf7, F7_TEST, RDX);
    b4(a, MXCSR_INEXACT);
    skip = jcc(a, CC_E);
    rm(a, false, 0xf7, F7_TEST, RBX, ENV_OFF(fpscr));
    b4(a, (uint32_t)FPSCR_XX_BIT);
    {
        uint8_t *set = jcc(a, CC_NE);

        rm(a, false, 0x81, ALU_OR, RBX, ENV_OFF(fpscr));
        b4(a, (uint32_t)(FPSCR_XX_BIT | FPSCR_FX_BIT));
        patch(a, set, a->p);
    }
    patch(a, skip, a->p);
    vst(a, X1, t);
    stubs_resume(b, first);
}

bool jit_emit_vec(Block *b, unsigned i)
{
    Asm *a = &b->a;
    const PPCOp *op = jit_op(b, i);
    unsigned opcd = INSN_OPCD(op->insn);
    /* VMX ops hold VR numbers, VSX ops VSR numbers. */
    unsigned base = opcd == 4 ? 32 : 0;
    unsigned t = base + op->rt, va = base + op->ra, vb = base + op->rb, vc = base + op->rc;
    const VecInsn *v;
    bool cr6 = opcd == 4 && (op->flags & PPC_OPF_RC);

    host_features();
    if (!host_sse41 || (opcd == 31 && !is_vec_x31(op->insn))) {
        return false;
    }
    v = vec_lookup(b, i);
    if (!v || (v->sse42 && !host_sse42) || (v->kind == K_FMA && !host_fma) ||
        (v->kind == K_SHV && !host_avx2)) {
        return false;
    }
    switch (v->kind) {
    case K_BIN:
    case K_BIN_NOT:
        vld(a, X1, va);
        vld(a, X2, vb);
        pop(a, v->arg, X1, X2);
        if (v->kind == K_BIN_NOT) {
            vnot(a, X1, X2);
        }
        break;
    case K_ANDC:
        vld(a, X1, vb);
        vld(a, X2, va);
        pop(a, P_PANDN, X1, X2);
        break;
    case K_ORC:
        vld(a, X2, vb);
        vnot(a, X2, X1);
        vld(a, X1, va);
        pop(a, P_POR, X1, X2);
        break;
    case K_CMPGTU: {
        uint64_t q = 0; /* the sign bit of every element: flipped, signed order is unsigned */

        for (unsigned k = 0; k < 8; k += v->arg2) {
            q |= 0x80ULL << (8 * (k + v->arg2 - 1));
        }
        vconst(a, X3, q, q);
        vld(a, X1, va);
        vld(a, X2, vb);
        pop(a, P_PXOR, X1, X3);
        pop(a, P_PXOR, X2, X3);
        pop(a, v->arg, X1, X2);
        break;
    }
    case K_CMPNEZ:
        vld(a, X1, va);
        vld(a, X2, vb);
        pop(a, P_PXOR, X3, X3);
        pop(a, P_MOVDQA, X4, X1);
        pop(a, v->arg, X4, X3); /* a == 0 */
        pop(a, v->arg, X3, X2); /* b == 0 */
        pop(a, v->arg, X1, X2);
        vnot(a, X1, X2);
        pop(a, P_POR, X1, X3);
        pop(a, P_POR, X1, X4);
        break;
    case K_MRG:
        /* High: ISA elements 0.. are the host's upper half; a's come first. */
        vld(a, X1, vb);
        vld(a, X2, va);
        pop(a, v->arg, X1, X2);
        break;
    case K_SEL:
        vld(a, X1, va);
        vld(a, X2, vb);
        pop(a, P_PXOR, X2, X1);
        vld(a, X3, vc);
        pop(a, P_PAND, X2, X3);
        pop(a, P_PXOR, X1, X2);
        break;
    case K_PERM:
        emit_perm(a, va, vb, vc, v->arg2, t);
        return true;
    case K_XXPERM:
        emit_perm(a, va, t, vb, v->arg2, t);
        return true;
    case K_SLDOI:
        /* (a || b) shifted left by SHB bytes: the upper half of a:b >> (16 - SHB) bytes */
        vld(a, X1, va);
        vld(a, X2, vb);
        pop_imm(a, P_PALIGNR, X1, X2, 16 - op->aux);
        break;
    case K_PERMDI:
        /* XT = XA.dw[DM >> 1] : XB.dw[DM & 1]; doubleword 0 is the host's upper one */
        vld(a, X1, vb);
        vld(a, X2, va);
        pop_imm(a, P_SHUFPD, X1, X2, ~op->aux & 3);
        break;
    case K_SPLTIS:
        emit_splat_imm(a, t, v->arg, (uint64_t)(int64_t)((int32_t)((uint32_t)op->aux << 27) >> 27));
        return true;
    case K_SPLTIB:
        emit_splat_imm(a, t, 1, op->aux);
        return true;
    case K_SPLT:
        emit_splat(a, vb, t, v->arg, op->aux);
        return true;
    case K_SHB:
        /*
         * By each bit k of the count: shift by 2^k where it is set (bit k
         * moved to bit 7 is pblendvb's selector), bits crossing into the
         * neighbouring byte masked off.
         */
        vld(a, X1, va);
        vld(a, X3, vb);
        for (unsigned k = 0; k < 3; k++) {
            unsigned sh = 1u << k;

            pop(a, P_MOVDQA, X2, X1);
            shiftw(a, v->arg2 ? 2 : 6, X2, sh);
            vconst_bytes(a, X4, v->arg2 ? 0xff >> sh : (0xff << sh) & 0xff);
            pop(a, P_PAND, X2, X4);
            pop(a, P_MOVDQA, X0, X3);
            shiftw(a, 6, X0, 7 - k);
            pop(a, P_PBLENDVB, X1, X2);
        }
        break;
    case K_SHV: {
        /* Counts modulo the element width; AVX2 shifts by larger counts give 0. */
        uint64_t m = v->arg2 ? 63 : 0x0000001f0000001fULL;

        vld(a, X1, va);
        vld(a, X2, vb);
        vconst(a, X3, m, m);
        pop(a, P_PAND, X2, X3);
        vex_0f38(a, v->arg2, v->arg, X1, X1, X2);
        break;
    }
    case K_MULEO:
        /* Even ISA bytes are the high bytes of the host's halfwords. */
        vld(a, X1, va);
        vld(a, X2, vb);
        if (v->arg2 & 1) {
            shiftw(a, 6, X1, 8);
            shiftw(a, 6, X2, 8);
        }
        shiftw(a, (v->arg2 & 2) ? 4 : 2, X1, 8);
        shiftw(a, (v->arg2 & 2) ? 4 : 2, X2, 8);
        pop(a, P_PMULLW, X1, X2);
        break;
    case K_LD:
    case K_ST:
        emit_ldst(b, i, v);
        return true;
    case K_FP:
    case K_FMA:
        emit_fp(b, i, v, t, va, vb);
        return true;
    }
    if (cr6) {
        emit_cr6(a, X1);
    }
    vst(a, X1, t);
    return true;
}
