/* Loops GCC auto-vectorises at -O3 -mcpu=power9 (float, double with FMA, integer, conversions,
 * sqrt/divide) and a sort of doubles, hashed into one checksum; built for the guest and, as the
 * reference, natively for the host: exact IEEE arithmetic in a fixed order on both. */
#include <stdint.h>

#include "autovec-kernel.h"

#define N 1024
#define SORT_N 600

static float xf[N], yf[N];
static double xd[N], yd[N], zd[N];
static int32_t xi[N], yi[N];
static int16_t xh[N], yh[N];
static uint8_t xb[N], yb[N];
static int64_t xl[N];
static double sorted[SORT_N];

static uint64_t lcg_state;

static uint64_t lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lcg_state >> 11;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0x100000001b3ULL;
    return h ^ (h >> 31);
}

static uint64_t dbits(double d)
{
    union {
        double d;
        uint64_t u;
    } u = { .d = d };

    return u.u;
}

static uint32_t fbits(float f)
{
    union {
        float f;
        uint32_t u;
    } u = { .f = f };

    return u.u;
}

/* A double in [-2^e, 2^e) from random bits, exactly (53 random bits scaled by a power of 2). */
static double rnd_double(int e)
{
    int64_t m = (int64_t)(lcg() & ((1ULL << 53) - 1)) - (1LL << 52);
    double scale = 1.0;

    for (int i = 0; i < 52 - e; i++) {
        scale *= 0.5;
    }
    return (double)m * scale;
}

static void fill(void)
{
    lcg_state = 0x0123456789abcdefULL;
    for (int i = 0; i < N; i++) {
        xd[i] = rnd_double(3);
        yd[i] = rnd_double(1);
        zd[i] = rnd_double(10);
        xf[i] = (float)rnd_double(4);
        yf[i] = (float)rnd_double(2);
        xi[i] = (int32_t)lcg();
        yi[i] = (int32_t)(lcg() % 2001) - 1000;
        xh[i] = (int16_t)lcg();
        yh[i] = (int16_t)lcg();
        xb[i] = (uint8_t)lcg();
        yb[i] = (uint8_t)lcg();
        xl[i] = (int64_t)lcg() - (int64_t)(1ULL << 52);
    }
    /* a few denormal and tiny operands, which the vector units must not flush */
    xd[7] = 4.9406564584124654e-324;
    yd[7] = 3.0;
    xf[9] = 1.0e-40f;
    yf[9] = 2.0f;
}

/* saxpy and a scaled difference in single precision (no contraction: a product, then a sum) */
static uint64_t float_loops(uint64_t h)
{
    const float a = 1.25f, b = -0.375f;

    for (int i = 0; i < N; i++) {
        yf[i] = a * xf[i] + yf[i];
    }
    for (int i = 0; i < N; i++) {
        xf[i] = (xf[i] - yf[i]) * b;
    }
    for (int i = 0; i < N; i++) {
        h = mix(h, fbits(xf[i]) ^ (uint64_t)fbits(yf[i]) << 32);
    }
    return h;
}

/* A dot product with fused multiply-add in four interleaved partial sums (the order is fixed,
 * so a vectorised guest and the scalar host add the same numbers in the same order), a
 * matrix-vector product (vectorised FMA) and an element-wise FMA. */
static uint64_t double_loops(uint64_t h)
{
    double s[4] = { 0, 0, 0, 0 };

    for (int i = 0; i < N; i += 4) {
        for (int j = 0; j < 4; j++) {
            s[j] = __builtin_fma(xd[i + j], yd[i + j], s[j]);
        }
    }
    /* 32 dot products at once: acc = A x for the 32x32 matrix A in xd, by columns, so the
     * inner loop is an element-wise fused multiply-add */
    static double acc[32];
    for (int i = 0; i < 32; i++) {
        acc[i] = 0;
    }
    for (int k = 0; k < 32; k++) {
        for (int i = 0; i < 32; i++) {
            acc[i] = __builtin_fma(xd[32 * k + i], yd[k], acc[i]);
        }
    }
    for (int i = 0; i < 32; i++) {
        h = mix(h, dbits(acc[i]));
    }
    for (int i = 0; i < N; i++) {
        zd[i] = __builtin_fma(xd[i], zd[i], -yd[i]);
    }
    h = mix(h, dbits(s[0]));
    h = mix(h, dbits(s[1]));
    h = mix(h, dbits(s[2]));
    h = mix(h, dbits(s[3]));
    for (int i = 0; i < N; i++) {
        h = mix(h, dbits(zd[i]));
    }
    return h;
}

/* Square roots and quotients, double and single (correctly rounded everywhere). */
static uint64_t sqrt_div_loops(uint64_t h)
{
    for (int i = 0; i < N; i++) {
        double v = zd[i] < 0 ? -zd[i] : zd[i];
        yd[i] = __builtin_sqrt(v) + xd[i] / (yd[i] + 4.0);
    }
    for (int i = 0; i < N; i++) {
        float v = yf[i] < 0 ? -yf[i] : yf[i];
        xf[i] = __builtin_sqrtf(v) / (xf[i] * xf[i] + 1.0f);
    }
    for (int i = 0; i < N; i++) {
        h = mix(h, dbits(yd[i]) ^ fbits(xf[i]));
    }
    return h;
}

/* Conversions: int32 -> float and double, double -> int64 and int32 (truncating, in range),
 * float -> double, double -> float. */
static uint64_t convert_loops(uint64_t h)
{
    for (int i = 0; i < N; i++) {
        yf[i] = (float)xi[i];
        xd[i] = (double)yi[i] * 0.5;
    }
    for (int i = 0; i < N; i++) {
        xl[i] = (int64_t)(zd[i] * 1024.0);
        yi[i] = (int32_t)(xd[i] * 3.0);
    }
    for (int i = 0; i < N; i++) {
        yd[i] = (double)xf[i] + (double)(float)zd[i];
    }
    for (int i = 0; i < N; i++) {
        h = mix(h, fbits(yf[i]) ^ dbits(xd[i]));
        h = mix(h, (uint64_t)xl[i] ^ (uint32_t)yi[i]);
        h = mix(h, dbits(yd[i]));
    }
    return h;
}

/* Integer loops: bytes with saturation and averages, halfword multiply-add, word absolute
 * differences, shifts and rotates, min/max, doubleword sums. */
static uint64_t integer_loops(uint64_t h)
{
    uint64_t sum = 0;

    for (int i = 0; i < N; i++) {
        unsigned s = (unsigned)xb[i] + yb[i];
        xb[i] = s > 255 ? 255 : (uint8_t)s;
        yb[i] = (uint8_t)((xb[i] + yb[i] + 1) >> 1);
    }
    for (int i = 0; i < N; i++) {
        xh[i] = (int16_t)(xh[i] * yh[i] + (xh[i] >> 3));
    }
    for (int i = 0; i < N; i++) {
        int32_t d = xi[i] - yi[i];
        xi[i] = (d < 0 ? -d : d) ^ (int32_t)((uint32_t)yi[i] << 7 | (uint32_t)yi[i] >> 25);
    }
    for (int i = 0; i < N; i++) {
        yi[i] = xi[i] > yi[i] ? xi[i] : yi[i];
        yh[i] = xh[i] < yh[i] ? xh[i] : yh[i];
    }
    for (int i = 0; i < N; i++) {
        sum += (uint64_t)xl[i] * 3 + (uint64_t)(int64_t)xi[i];
    }
    h = mix(h, sum);
    for (int i = 0; i < N; i++) {
        h = mix(h, (uint64_t)xb[i] << 56 | (uint64_t)yb[i] << 48 | (uint64_t)(uint16_t)xh[i] << 32 |
                       ((uint32_t)yi[i] ^ (uint16_t)yh[i]));
    }
    return h;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y ? 1 : 0;
}

/* A merge sort with a comparison function, as qsort would be used (stable, so equal keys,
 * +0 and -0 among them, keep their order on every machine). */
static void sort(double *v, double *tmp, int n, int (*cmp)(const void *, const void *))
{
    if (n < 2) {
        return;
    }
    int m = n / 2, i = 0, j = m, k = 0;
    sort(v, tmp, m, cmp);
    sort(v + m, tmp, n - m, cmp);
    while (i < m && j < n) {
        tmp[k++] = cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
    }
    while (i < m) {
        tmp[k++] = v[i++];
    }
    while (j < n) {
        tmp[k++] = v[j++];
    }
    for (k = 0; k < n; k++) {
        v[k] = tmp[k];
    }
}

static uint64_t sort_doubles(uint64_t h)
{
    static double tmp[SORT_N];

    for (int i = 0; i < SORT_N; i++) {
        sorted[i] = zd[i] * yd[(i * 7) % N] - (double)(i % 5);
    }
    sorted[3] = -0.0;
    sorted[4] = 0.0;
    sort(sorted, tmp, SORT_N, cmp_double);
    for (int i = 0; i < SORT_N; i++) {
        h = mix(h, dbits(sorted[i]));
    }
    return h;
}

uint64_t autovec_checksum(uint64_t part[AUTOVEC_PARTS])
{
    uint64_t h = 0xcbf29ce484222325ULL;

    fill();
    part[0] = h = float_loops(h);
    part[1] = h = double_loops(h);
    part[2] = h = sqrt_div_loops(h);
    part[3] = h = convert_loops(h);
    part[4] = h = integer_loops(h);
    part[5] = h = sort_doubles(h);
    return h;
}
