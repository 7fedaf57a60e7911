/*
 * IEEE 754 binary32/binary64/binary128 arithmetic in software, with the
 * exception detail the POWER FPSCR records (one flag per invalid-operation
 * class, "fraction rounded", tininess before rounding) and PowerPC's NaNs.
 *
 * The host FPU must be in its default state (round to nearest, no flush
 * to zero): the fast paths compute with it.
 *
 * Conventions (stable API; the FP, VSX and VMX instruction files use it):
 * - Every operation takes a float_status: the rounding mode to use and the
 *   options below; it ORs the float_flag_* bits the operation raised into
 *   status->flags (the caller clears them before an instruction).
 * - NaNs follow Power ISA 3.0B 4.3.2: an operation with NaN operands returns
 *   the first NaN operand in the instruction's precedence order, quieted (an
 *   sNaN gets the top fraction bit set; its payload is kept, truncated when
 *   the result format is narrower); an invalid operation without NaN operands
 *   returns the default QNaN (0x7fc00000, 0x7ff8000000000000,
 *   0x7fff8000_00000000_00000000_00000000).  Binary operations give a
 *   precedence to a over b.
 * - fused multiply-add X_muladd(a, b, c, flags) computes a * b + c with ONE
 *   rounding.  NaN precedence is a, then c, then b: the FP form
 *   fmadd FRT,FRA,FRC,FRB (FRA * FRC + FRB, precedence FRA, FRB, FRC) is
 *   X_muladd(FRA, FRC, FRB).  float_muladd_negate_c subtracts c,
 *   _negate_product negates a * b, _negate_result negates the rounded result
 *   unless it is a NaN (fnmadd/fnmsub).  inf * 0 + NaN raises
 *   invalid_imz (and invalid_snan for an sNaN) and returns the NaN addend.
 * - float64r32_*: operands and result are binary64, the result is rounded
 *   to binary32 precision and range (the FP single-precision instructions
 *   fadds, fmuls, ..., and frsp); NaN results are binary32 NaNs widened.
 * - Conversions to integers round in status->rounding_mode and saturate as
 *   the ISA's fcti* and xscv*: out of range gives the most positive or
 *   negative value (0 for a negative value converted to unsigned), a NaN
 *   gives the most negative value (0 for unsigned); both raise invalid_cvi
 *   (plus invalid_snan for an sNaN) and never inexact.
 */
#ifndef FPU_SOFTFLOAT_H
#define FPU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

typedef uint16_t float16; /* IEEE binary16 (the VSX half-precision conversions) */
typedef uint32_t float32;
typedef uint64_t float64;
/* binary128: hi holds the sign, the 15-bit exponent and the top 48 fraction bits. */
typedef struct float128 {
    uint64_t hi, lo;
} float128;

/* Rounding modes; the first four have the FPSCR[RN] encoding. */
typedef enum FloatRoundMode {
    float_round_nearest_even = 0,
    float_round_to_zero = 1,
    float_round_up = 2,        /* toward +infinity */
    float_round_down = 3,      /* toward -infinity */
    float_round_ties_away = 4, /* frin, xsrdpi: nearest, ties away from zero */
    float_round_to_odd = 5,    /* the quad-precision "ro" forms */
} FloatRoundMode;

/* Exception flags, ORed into float_status.flags. */
enum {
    float_flag_invalid_snan = 1 << 0, /* VXSNAN: an operand is a signalling NaN */
    float_flag_invalid_isi = 1 << 1,  /* VXISI: inf - inf */
    float_flag_invalid_idi = 1 << 2,  /* VXIDI: inf / inf */
    float_flag_invalid_zdz = 1 << 3,  /* VXZDZ: 0 / 0 */
    float_flag_invalid_imz = 1 << 4,  /* VXIMZ: inf * 0 */
    float_flag_invalid_vc = 1 << 5,   /* VXVC: ordered comparison with a NaN */
    float_flag_invalid_sqrt = 1 << 6, /* VXSQRT: square root of a negative number */
    float_flag_invalid_cvi = 1 << 7,  /* VXCVI: conversion of NaN or out of range */
    float_flag_divbyzero = 1 << 8,    /* ZX: finite nonzero / 0 */
    float_flag_overflow = 1 << 9,     /* OX */
    /*
     * UX: the result is tiny (nonzero and below the smallest normal before
     * rounding, as POWER detects it) and inexact; with rebias_underflow,
     * tiny even when exact.
     */
    float_flag_underflow = 1 << 10,
    float_flag_inexact = 1 << 11,    /* XX, and FI of this operation */
    float_flag_rounded_up = 1 << 12, /* FR: rounding incremented the fraction's magnitude */
};
#define float_flag_invalid                                                                         \
    (float_flag_invalid_snan | float_flag_invalid_isi | float_flag_invalid_idi |                   \
     float_flag_invalid_zdz | float_flag_invalid_imz | float_flag_invalid_vc |                     \
     float_flag_invalid_sqrt | float_flag_invalid_cvi)

typedef struct float_status {
    uint8_t rounding_mode; /* FloatRoundMode */
    /*
     * FPSCR[OE] / [UE] set: an overflowing (tiny) result is delivered with
     * its exponent reduced (increased) by 1536 for binary64, 192 for
     * binary32, 24576 for binary128, as the ISA's enabled exceptions do.
     */
    bool rebias_overflow;
    bool rebias_underflow;
    /* VSCR[NJ] (VMX): denormal operands and results count as zero of their sign. */
    bool flush_inputs_to_zero;
    bool flush_to_zero;
    /* The software path only, never the host-FPU fast paths (for tests comparing them). */
    bool no_fast_path;
    uint32_t flags; /* float_flag_*, accumulated */
} float_status;

/* Multiply-add variants (flags of X_muladd). */
enum {
    float_muladd_negate_c = 1,
    float_muladd_negate_product = 2,
    float_muladd_negate_result = 4,
};

typedef enum FloatRelation {
    float_relation_less = -1,
    float_relation_equal = 0,
    float_relation_greater = 1,
    float_relation_unordered = 2,
} FloatRelation;

typedef enum FloatClass {
    float_class_zero,
    float_class_denormal,
    float_class_normal,
    float_class_inf,
    float_class_qnan,
    float_class_snan,
} FloatClass;

/* ---- Constants and classification (exact, raise nothing) ---------------- */

#define float32_default_nan 0x7fc00000u
#define float64_default_nan 0x7ff8000000000000ULL
#define float32_one 0x3f800000u
#define float64_one 0x3ff0000000000000ULL

static inline bool float16_is_any_nan(float16 a)
{
    return (a & 0x7fffu) > 0x7c00u;
}
static inline bool float16_is_signaling_nan(float16 a)
{
    return float16_is_any_nan(a) && !(a & 0x0200u);
}
static inline FloatClass float16_classify(float16 a)
{
    unsigned e = (a >> 10) & 0x1f, frac = a & 0x3ff;

    if (e == 0x1f) {
        return !frac ? float_class_inf : (frac & 0x200) ? float_class_qnan : float_class_snan;
    }
    return e ? float_class_normal : frac ? float_class_denormal : float_class_zero;
}
static inline bool float32_is_neg(float32 a)
{
    return a >> 31;
}
static inline bool float64_is_neg(float64 a)
{
    return a >> 63;
}
static inline bool float128_is_neg(float128 a)
{
    return a.hi >> 63;
}
static inline bool float32_is_any_nan(float32 a)
{
    return (a & 0x7fffffffu) > 0x7f800000u;
}
static inline bool float64_is_any_nan(float64 a)
{
    return (a & ~(1ULL << 63)) > 0x7ff0000000000000ULL;
}
static inline bool float128_is_any_nan(float128 a)
{
    uint64_t h = a.hi & ~(1ULL << 63);

    return h > 0x7fff000000000000ULL || (h == 0x7fff000000000000ULL && a.lo);
}
static inline bool float32_is_signaling_nan(float32 a)
{
    return float32_is_any_nan(a) && !(a & 0x00400000u);
}
static inline bool float64_is_signaling_nan(float64 a)
{
    return float64_is_any_nan(a) && !(a & 0x0008000000000000ULL);
}
static inline bool float128_is_signaling_nan(float128 a)
{
    return float128_is_any_nan(a) && !(a.hi & 0x0000800000000000ULL);
}
static inline bool float32_is_infinity(float32 a)
{
    return (a & 0x7fffffffu) == 0x7f800000u;
}
static inline bool float64_is_infinity(float64 a)
{
    return (a & ~(1ULL << 63)) == 0x7ff0000000000000ULL;
}
static inline bool float128_is_infinity(float128 a)
{
    return (a.hi & ~(1ULL << 63)) == 0x7fff000000000000ULL && !a.lo;
}
static inline bool float32_is_zero(float32 a)
{
    return !(a & 0x7fffffffu);
}
static inline bool float64_is_zero(float64 a)
{
    return !(a & ~(1ULL << 63));
}
static inline bool float128_is_zero(float128 a)
{
    return !(a.hi & ~(1ULL << 63)) && !a.lo;
}
static inline bool float32_is_denormal(float32 a)
{
    return !(a & 0x7f800000u) && (a & 0x007fffffu);
}
static inline bool float64_is_denormal(float64 a)
{
    return !(a & 0x7ff0000000000000ULL) && (a & 0x000fffffffffffffULL);
}
static inline bool float128_is_denormal(float128 a)
{
    return !(a.hi & 0x7fff000000000000ULL) && ((a.hi & 0x0000ffffffffffffULL) || a.lo);
}
static inline float32 float32_silence_nan(float32 a)
{
    return a | 0x00400000u;
}
static inline float64 float64_silence_nan(float64 a)
{
    return a | 0x0008000000000000ULL;
}
static inline float128 float128_silence_nan(float128 a)
{
    a.hi |= 0x0000800000000000ULL;
    return a;
}
FloatClass float32_classify(float32 a);
FloatClass float64_classify(float64 a);
FloatClass float128_classify(float128 a);
float128 float128_default_nan(void);

/* ---- Arithmetic ----------------------------------------------------------- */

float32 float32_add(float32 a, float32 b, float_status *s);
float32 float32_sub(float32 a, float32 b, float_status *s);
float32 float32_mul(float32 a, float32 b, float_status *s);
float32 float32_div(float32 a, float32 b, float_status *s);
float32 float32_sqrt(float32 a, float_status *s);
float32 float32_muladd(float32 a, float32 b, float32 c, int flags, float_status *s);

float64 float64_add(float64 a, float64 b, float_status *s);
float64 float64_sub(float64 a, float64 b, float_status *s);
float64 float64_mul(float64 a, float64 b, float_status *s);
float64 float64_div(float64 a, float64 b, float_status *s);
float64 float64_sqrt(float64 a, float_status *s);
float64 float64_muladd(float64 a, float64 b, float64 c, int flags, float_status *s);

/* binary64 operands, result rounded to binary32 precision and range, as binary64. */
float64 float64r32_add(float64 a, float64 b, float_status *s);
float64 float64r32_sub(float64 a, float64 b, float_status *s);
float64 float64r32_mul(float64 a, float64 b, float_status *s);
float64 float64r32_div(float64 a, float64 b, float_status *s);
float64 float64r32_sqrt(float64 a, float_status *s);
float64 float64r32_muladd(float64 a, float64 b, float64 c, int flags, float_status *s);
/* frsp: round to binary32 and widen back (a NaN is truncated to binary32's fraction). */
float64 float64r32_round(float64 a, float_status *s);

float128 float128_add(float128 a, float128 b, float_status *s);
float128 float128_sub(float128 a, float128 b, float_status *s);
float128 float128_mul(float128 a, float128 b, float_status *s);
float128 float128_div(float128 a, float128 b, float_status *s);
float128 float128_sqrt(float128 a, float_status *s);
float128 float128_muladd(float128 a, float128 b, float128 c, int flags, float_status *s);

/*
 * Round to an integral value in status->rounding_mode (any FloatRoundMode),
 * raising inexact when the value changed and invalid_snan for an sNaN.
 */
float32 float32_round_to_int(float32 a, float_status *s);
float64 float64_round_to_int(float64 a, float_status *s);
float128 float128_round_to_int(float128 a, float_status *s);

/* IEEE 754-2008 minNum/maxNum: a quiet NaN loses to a number; -0 < +0. */
float32 float32_minnum(float32 a, float32 b, float_status *s);
float32 float32_maxnum(float32 a, float32 b, float_status *s);
float64 float64_minnum(float64 a, float64 b, float_status *s);
float64 float64_maxnum(float64 a, float64 b, float_status *s);

/* ---- Comparison ------------------------------------------------------------ */

/*
 * compare: signalling (any NaN raises invalid_vc, an sNaN also
 * invalid_snan); compare_quiet: only an sNaN raises (invalid_snan).
 */
FloatRelation float32_compare(float32 a, float32 b, float_status *s);
FloatRelation float32_compare_quiet(float32 a, float32 b, float_status *s);
FloatRelation float64_compare(float64 a, float64 b, float_status *s);
FloatRelation float64_compare_quiet(float64 a, float64 b, float_status *s);
FloatRelation float128_compare(float128 a, float128 b, float_status *s);
FloatRelation float128_compare_quiet(float128 a, float128 b, float_status *s);

/* ---- Conversions between formats -------------------------------------------- */

float64 float32_to_float64(float32 a, float_status *s);
float32 float64_to_float32(float64 a, float_status *s);
float128 float32_to_float128(float32 a, float_status *s);
float128 float64_to_float128(float64 a, float_status *s);
float64 float128_to_float64(float128 a, float_status *s);
float32 float128_to_float32(float128 a, float_status *s);
/*
 * binary16: rounded in status->rounding_mode with the flags of any narrowing
 * conversion (an sNaN is quieted, raising invalid_snan; a NaN's payload is
 * truncated to, or widened from, binary16's 9 bits below the quiet bit).
 * With rebias_overflow/underflow the exponent adjustment is 24.
 */
float32 float16_to_float32(float16 a, float_status *s);
float64 float16_to_float64(float16 a, float_status *s);
float16 float32_to_float16(float32 a, float_status *s);
float16 float64_to_float16(float64 a, float_status *s);
/*
 * xsrqpxp: round a to 64 significant bits (the double-extended precision)
 * keeping binary128's exponent range, so the smallest such value is
 * 2^-16445; the result stays a binary128 (a NaN keeps the top 63 bits of
 * its fraction, quieted).
 */
float128 float128_round_to_x80(float128 a, float_status *s);

/* ---- Conversions to and from integers ----------------------------------------- */

int32_t float32_to_int32(float32 a, float_status *s);
uint32_t float32_to_uint32(float32 a, float_status *s);
int64_t float32_to_int64(float32 a, float_status *s);
uint64_t float32_to_uint64(float32 a, float_status *s);
int32_t float64_to_int32(float64 a, float_status *s);
uint32_t float64_to_uint32(float64 a, float_status *s);
int64_t float64_to_int64(float64 a, float_status *s);
uint64_t float64_to_uint64(float64 a, float_status *s);
int32_t float128_to_int32(float128 a, float_status *s);
uint32_t float128_to_uint32(float128 a, float_status *s);
int64_t float128_to_int64(float128 a, float_status *s);
uint64_t float128_to_uint64(float128 a, float_status *s);

float32 int32_to_float32(int32_t a, float_status *s);
float32 uint32_to_float32(uint32_t a, float_status *s);
float32 int64_to_float32(int64_t a, float_status *s);
float32 uint64_to_float32(uint64_t a, float_status *s);
float64 int32_to_float64(int32_t a, float_status *s);
float64 uint32_to_float64(uint32_t a, float_status *s);
float64 int64_to_float64(int64_t a, float_status *s);
float64 uint64_to_float64(uint64_t a, float_status *s);
float128 int64_to_float128(int64_t a, float_status *s);
float128 uint64_to_float128(uint64_t a, float_status *s);
/* int64 -> binary32 precision and range, as binary64 (fcfids, fcfidus). */
float64 int64_to_float64r32(int64_t a, float_status *s);
float64 uint64_to_float64r32(uint64_t a, float_status *s);

/* ---- Non-arithmetic format changes (the ISA's DOUBLE and SINGLE) ----------------- */

/* lfs: binary32 to binary64 exactly, NaNs kept signalling (raises nothing). */
float64 float32_to_float64_raw(float32 a);
/* stfs: binary64 to binary32 by truncation, denormalising per the ISA (raises nothing). */
float32 float64_to_float32_raw(float64 a);

#endif
