/*
 * Vector crypto instructions (Power ISA 3.0B Book I 6.11): AES rounds
 * (vcipher, vncipher and their last-round forms, vsbox), SHA-2 sigma
 * functions and carry-less multiply-sum (vpmsum*).
 */
#include "qemu/module.h"
#include "target/ppc/vec-helpers.h"

/* ---- AES (FIPS-197); the state's byte i is register byte i (column-major) -- */

static uint8_t aes_sbox[256], aes_inv_sbox[256];
/* x * k in GF(2^8) for the MixColumns constants k = 1, 2, 3, 9, 11, 13, 14. */
static uint8_t gf_tab[15][256];

/* Multiply by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
static inline uint8_t xtime(uint8_t b)
{
    return (b << 1) ^ (b & 0x80 ? 0x1b : 0);
}

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;

    while (b) {
        if (b & 1) {
            r ^= a;
        }
        a = xtime(a);
        b >>= 1;
    }
    return r;
}

/*
 * The S-box from its definition: the inverse in GF(2^8), then the affine
 * map.  Inverses through the powers of the generator 3 (x = 3^i has the
 * inverse 3^(255 - i)): 256 multiplications at start-up, not 65536.
 */
static void aes_tables_init(void)
{
    uint8_t exp3[255], log3[256] = { 0 };
    uint8_t p = 1;

    for (unsigned i = 0; i < 255; i++) {
        exp3[i] = p;
        log3[p] = i;
        p = gf_mul(p, 3);
    }
    for (unsigned x = 0; x < 256; x++) {
        uint8_t inv = x ? exp3[(255 - log3[x]) % 255] : 0, s;

        s = inv;
        for (unsigned k = 1; k < 5; k++) {
            s ^= (uint8_t)((inv << k) | (inv >> (8 - k)));
        }
        s ^= 0x63;
        aes_sbox[x] = s;
        aes_inv_sbox[s] = x;
        for (unsigned k = 1; k < 15; k++) {
            gf_tab[k][x] = gf_mul(x, k);
        }
    }
}

typedef uint8_t AESState[16];

static void aes_get(AESState s, const ppc_vsr_t *v)
{
    for (unsigned i = 0; i < 16; i++) {
        s[i] = VsrB(v, i);
    }
}

static void aes_put(ppc_vsr_t *v, const AESState s)
{
    for (unsigned i = 0; i < 16; i++) {
        VsrB(v, i) = s[i];
    }
}

/* SubBytes and ShiftRows together: row r rotates left by r (right by r for inverse). */
static void aes_sub_shift(AESState s, bool inverse)
{
    AESState t;

    for (unsigned c = 0; c < 4; c++) {
        for (unsigned r = 0; r < 4; r++) {
            unsigned from = 4 * ((inverse ? c + 4 - r : c + r) & 3) + r;
            t[4 * c + r] = inverse ? aes_inv_sbox[s[from]] : aes_sbox[s[from]];
        }
    }
    memcpy(s, t, 16);
}

static void aes_mix_columns(AESState s, bool inverse)
{
    static const uint8_t fwd[4] = { 2, 3, 1, 1 }, inv[4] = { 14, 11, 13, 9 };
    const uint8_t *m = inverse ? inv : fwd;

    for (unsigned c = 0; c < 4; c++) {
        uint8_t col[4], *p = s + 4 * c;

        memcpy(col, p, 4);
        for (unsigned r = 0; r < 4; r++) {
            p[r] = gf_tab[m[(4 - r) & 3]][col[0]] ^ gf_tab[m[(5 - r) & 3]][col[1]] ^
                   gf_tab[m[(6 - r) & 3]][col[2]] ^ gf_tab[m[(7 - r) & 3]][col[3]];
        }
    }
}

static void aes_xor(AESState s, const ppc_vsr_t *key)
{
    for (unsigned i = 0; i < 16; i++) {
        s[i] ^= VsrB(key, i);
    }
}

/* vcipher: SubBytes, ShiftRows, MixColumns (not in the last round), AddRoundKey. */
static inline const PPCOp *vmx_cipher(CPUPPCState *env, const PPCOp *op, bool last)
{
    AESState s;

    aes_get(s, VMX_VR(env, op->ra));
    aes_sub_shift(s, false);
    if (!last) {
        aes_mix_columns(s, false);
    }
    aes_xor(s, VMX_VR(env, op->rb));
    aes_put(VMX_VR(env, op->rt), s);
    return PPC_NEXT(env, op);
}

/* vncipher: InvShiftRows, InvSubBytes, AddRoundKey, InvMixColumns (not last). */
static inline const PPCOp *vmx_ncipher(CPUPPCState *env, const PPCOp *op, bool last)
{
    AESState s;

    aes_get(s, VMX_VR(env, op->ra));
    aes_sub_shift(s, true);
    aes_xor(s, VMX_VR(env, op->rb));
    if (!last) {
        aes_mix_columns(s, true);
    }
    aes_put(VMX_VR(env, op->rt), s);
    return PPC_NEXT(env, op);
}

static const PPCOp *op_vcipher(CPUPPCState *env, const PPCOp *op)
{
    return vmx_cipher(env, op, false);
}

static const PPCOp *op_vcipherlast(CPUPPCState *env, const PPCOp *op)
{
    return vmx_cipher(env, op, true);
}

static const PPCOp *op_vncipher(CPUPPCState *env, const PPCOp *op)
{
    return vmx_ncipher(env, op, false);
}

static const PPCOp *op_vncipherlast(CPUPPCState *env, const PPCOp *op)
{
    return vmx_ncipher(env, op, true);
}

VMX_OP_BEGIN(vsbox)
for (unsigned i = 0; i < 16; i++) {
    t.u8[i] = aes_sbox[a->u8[i]];
}
VMX_OP_END

/* ---- SHA-2 sigma functions: ST (bit 16) and SIX (bits 17-20) in op->rb ---- */

static inline uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static inline uint64_t ror64(uint64_t x, unsigned n)
{
    return (x >> n) | (x << (64 - n));
}

VMX_OP_BEGIN(vshasigmaw)
unsigned st = op->rb >> 4, six = op->rb & 15;
for (unsigned i = 0; i < 4; i++) {
    uint32_t x = VsrW(a, i);
    bool one = (six >> (3 - i)) & 1;

    if (!st) {
        VsrW(&t, i) =
            one ? ror32(x, 17) ^ ror32(x, 19) ^ (x >> 10) : ror32(x, 7) ^ ror32(x, 18) ^ (x >> 3);
    } else {
        VsrW(&t, i) = one ? ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25)
                          : ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22);
    }
}
VMX_OP_END

VMX_OP_BEGIN(vshasigmad)
unsigned st = op->rb >> 4, six = op->rb & 15;
for (unsigned i = 0; i < 2; i++) {
    uint64_t x = VsrD(a, i);
    bool one = (six >> (3 - 2 * i)) & 1;

    if (!st) {
        VsrD(&t, i) =
            one ? ror64(x, 19) ^ ror64(x, 61) ^ (x >> 6) : ror64(x, 1) ^ ror64(x, 8) ^ (x >> 7);
    } else {
        VsrD(&t, i) = one ? ror64(x, 14) ^ ror64(x, 18) ^ ror64(x, 41)
                          : ror64(x, 28) ^ ror64(x, 34) ^ ror64(x, 39);
    }
}
VMX_OP_END

/* ---- Polynomial (carry-less) multiply-sum --------------------------------- */

/* Carry-less product of two values of at most 64 bits. */
static inline unsigned __int128 clmul_soft(uint64_t x, uint64_t y)
{
    unsigned __int128 r = 0, xx = x;

    while (y) {
        if (y & 1) {
            r ^= xx;
        }
        xx <<= 1;
        y >>= 1;
    }
    return r;
}

/* Each double-width element: the XOR of the products of its two halves' pairs. */
#define VMX_PMSUM(name, nf, wf)                                                                    \
    VMX_OP_BEGIN(name)                                                                             \
    for (unsigned i = 0; i < ARRAY_SIZE(t.wf); i++) {                                              \
        t.wf[i] = clmul(a->nf[2 * i], b->nf[2 * i]) ^ clmul(a->nf[2 * i + 1], b->nf[2 * i + 1]);   \
    }                                                                                              \
    VMX_OP_END

#if defined(__x86_64__)
#include <wmmintrin.h>

static bool have_pclmul;

__attribute__((target("pclmul,sse2"))) static unsigned __int128 clmul_hw(uint64_t x, uint64_t y)
{
    __m128i p = _mm_clmulepi64_si128(_mm_cvtsi64_si128(x), _mm_cvtsi64_si128(y), 0);
    unsigned __int128 r;

    memcpy(&r, &p, 16);
    return r;
}

static inline unsigned __int128 clmul(uint64_t x, uint64_t y)
{
    return have_pclmul ? clmul_hw(x, y) : clmul_soft(x, y);
}
#else
#define clmul clmul_soft
#endif

VMX_PMSUM(vpmsumb, u8, u16)
VMX_PMSUM(vpmsumh, u16, u32)
VMX_PMSUM(vpmsumw, u32, u64)

VMX_OP_BEGIN(vpmsumd)
t.u128 = clmul(a->u64[0], b->u64[0]) ^ clmul(a->u64[1], b->u64[1]);
VMX_OP_END

/* ---- Definitions ---------------------------------------------------------- */

#define TAB(name, xo)                                                                              \
    {                                                                                              \
#name, xo, VMX_F_TAB, 0, op_##name                                                         \
    }

static const VMXInsn vmx_crypto_insns[] = {
    TAB(vcipher, 1288), TAB(vcipherlast, 1289), TAB(vncipher, 1352),   TAB(vncipherlast, 1353),
    TAB(vsbox, 1480),   TAB(vshasigmaw, 1666),  TAB(vshasigmad, 1730), TAB(vpmsumb, 1032),
    TAB(vpmsumh, 1096), TAB(vpmsumw, 1160),     TAB(vpmsumd, 1224),
};

static void ppc_vmx_crypto_register(void)
{
    aes_tables_init();
#if defined(__x86_64__)
    __builtin_cpu_init();
    have_pclmul = __builtin_cpu_supports("pclmul");
#endif
    ppc_vmx_register(vmx_crypto_insns, ARRAY_SIZE(vmx_crypto_insns));
}

module_init(ppc_vmx_crypto_register)
