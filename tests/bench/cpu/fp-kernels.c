/*
 * Floating-point and vector benchmark kernels, shared by the bare-metal guest and the
 * host reference build.  Every result is exact IEEE arithmetic in a fixed order (FMA
 * spelled out, no contraction, no reassociation), so any correct machine prints the
 * same lines.
 */
#include "bench-line.h"
#include "kernels.h"

const FpBenchParams fpbench_full = {
    .name = "full",
    .dgemm_n = 128,
    .dgemm_rounds = 4,
    .convert_elems = 4096,
    .convert_rounds = 100,
    .sqrt_elems = 4096,
    .sqrt_rounds = 100,
    .axpy_elems = 8192,
    .axpy_rounds = 400,
    .vec_bytes = 16384,
    .vec_rounds = 1000,
    .sort_elems = 20000,
    .sort_rounds = 10,
};

const FpBenchParams fpbench_small = {
    .name = "small",
    .dgemm_n = 16,
    .dgemm_rounds = 1,
    .convert_elems = 256,
    .convert_rounds = 1,
    .sqrt_elems = 256,
    .sqrt_rounds = 1,
    .axpy_elems = 256,
    .axpy_rounds = 2,
    .vec_bytes = 1024,
    .vec_rounds = 2,
    .sort_elems = 300,
    .sort_rounds = 1,
};

typedef uint8_t v16u8 __attribute__((vector_size(16)));

/* Order-dependent hash of 64-bit values (FNV-1a step on whole words). */
static uint64_t mix64(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull;
}

static uint64_t bits_of(double d)
{
    union {
        double d;
        uint64_t u;
    } u = { .d = d };

    return u.u;
}

static uint32_t bits_of_f(float f)
{
    union {
        float f;
        uint32_t u;
    } u = { .f = f };

    return u.u;
}

/* A double in [-1, 1) with 30 significant bits, from a random word. */
static double small_double(uint64_t r)
{
    return (double)(int32_t)(r >> 32) * 0x1p-31;
}

/* ---- C += A * B with one fused multiply-add per term (vectorised over j) ---- */

static void run_dgemm(const void *params, const CpuBenchEnv *env, Line *l)
{
    const FpBenchParams *p = params;
    uint32_t n = p->dgemm_n;
    double *a = (double *)env->arena;
    double *b = a + n * n;
    double *c = b + n * n;
    uint64_t state = 0x9e3779b97f4a7c15ull, h = 0;

    for (uint32_t i = 0; i < n * n; i++) {
        a[i] = small_double(xorshift64(&state));
        b[i] = small_double(xorshift64(&state));
        c[i] = 0;
    }
    for (uint32_t round = 0; round < p->dgemm_rounds; round++) {
        for (uint32_t i = 0; i < n; i++) {
            for (uint32_t k = 0; k < n; k++) {
                double aik = a[i * n + k];

                for (uint32_t j = 0; j < n; j++) {
                    c[i * n + j] = __builtin_fma(aik, b[k * n + j], c[i * n + j]);
                }
            }
        }
        /* Keep the values bounded: scale the result back into the inputs. */
        for (uint32_t i = 0; i < n * n; i++) {
            a[i] = c[i] * 0x1p-7 - a[i];
        }
    }
    for (uint32_t i = 0; i < n * n; i++) {
        h = mix64(h, bits_of(c[i]));
    }
    line_start(l, "dgemm");
    line_kdec(l, "n", n);
    line_khex(l, "hash", h, 16);
}

/* ---- Conversions and rounding: int <-> double <-> float, floor/ceil/trunc/round ---- */

static void run_convert(const void *params, const CpuBenchEnv *env, Line *l)
{
    const FpBenchParams *p = params;
    double *d = (double *)env->arena;
    int64_t *iv = (int64_t *)(d + p->convert_elems);
    uint64_t state = 0x2545f4914f6cdd1dull, h = 0;

    for (uint32_t i = 0; i < p->convert_elems; i++) {
        iv[i] = (int64_t)xorshift64(&state) >> 20;
    }
    for (uint32_t round = 0; round < p->convert_rounds; round++) {
        for (uint32_t i = 0; i < p->convert_elems; i++) {
            d[i] = (double)iv[i] * 0x1p-21 + (double)round;
        }
        for (uint32_t i = 0; i < p->convert_elems; i++) {
            float f = (float)d[i];
            double fl = __builtin_floor(d[i]), ce = __builtin_ceil(d[i]);
            double tr = __builtin_trunc(d[i]), ro = __builtin_round(d[i]);
            int32_t w = (int32_t)(f * 0.25f);
            uint32_t uw = (uint32_t)__builtin_fabs(d[i] * 0.5);

            h = mix64(h, bits_of_f(f));
            h = mix64(h, bits_of(fl) ^ (bits_of(ce) << 1));
            h = mix64(h, bits_of(tr) ^ (bits_of(ro) >> 1));
            h = mix64(h, (uint64_t)(uint32_t)w << 32 | uw);
            iv[i] = (int64_t)(d[i] * 1024.0) ^ iv[i];
        }
    }
    line_start(l, "convert");
    line_kdec(l, "elems", p->convert_elems);
    line_khex(l, "hash", h, 16);
}

/* ---- Square root and division, double and single (vectorised) ---- */

static void run_sqrt(const void *params, const CpuBenchEnv *env, Line *l)
{
    const FpBenchParams *p = params;
    uint32_t n = p->sqrt_elems;
    double *x = (double *)env->arena;
    double *y = x + n;
    float *xf = (float *)(y + n);
    float *yf = xf + n;
    uint64_t state = 0xd1b54a32d192ed03ull, h = 0;

    for (uint32_t i = 0; i < n; i++) {
        x[i] = __builtin_fabs(small_double(xorshift64(&state))) * 1000.0 + 1.0;
        xf[i] = (float)x[i];
        y[i] = 0;
        yf[i] = 0;
    }
    for (uint32_t round = 0; round < p->sqrt_rounds; round++) {
        for (uint32_t i = 0; i < n; i++) {
            y[i] += __builtin_sqrt(x[i]) / (x[i] + (double)round);
        }
        for (uint32_t i = 0; i < n; i++) {
            yf[i] += __builtin_sqrtf(xf[i]) / (xf[i] + 1.5f);
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        h = mix64(h, bits_of(y[i]) ^ bits_of_f(yf[i]));
    }
    line_start(l, "sqrtdiv");
    line_kdec(l, "elems", n);
    line_khex(l, "hash", h, 16);
}

/* ---- y = a * x + y in single precision, fused ---- */

static void run_axpy(const void *params, const CpuBenchEnv *env, Line *l)
{
    const FpBenchParams *p = params;
    uint32_t n = p->axpy_elems;
    float *x = (float *)env->arena;
    float *y = x + n;
    uint64_t state = 0x94d049bb133111ebull, h = 0;

    for (uint32_t i = 0; i < n; i++) {
        x[i] = (float)small_double(xorshift64(&state));
        y[i] = (float)small_double(xorshift64(&state));
    }
    for (uint32_t round = 0; round < p->axpy_rounds; round++) {
        float a = (round & 1) ? -0.75f : 0.625f;

        for (uint32_t i = 0; i < n; i++) {
            y[i] = __builtin_fmaf(a, x[i], y[i]);
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        h = mix64(h, bits_of_f(y[i]));
    }
    line_start(l, "saxpy");
    line_kdec(l, "elems", n);
    line_khex(l, "hash", h, 16);
}

/* ---- Byte vectors: add, xor, shifts, compare and select, multiply, permutes ---- */

static void run_vec(const void *params, const CpuBenchEnv *env, Line *l)
{
    const FpBenchParams *p = params;
    uint32_t nv = p->vec_bytes / 16;
    v16u8 *a = (v16u8 *)env->arena;
    v16u8 *b = a + nv;
    const v16u8 rev = { 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };
    const v16u8 zip = { 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23 };
    uint64_t state = 0xbf58476d1ce4e5b9ull, h = 0;

    for (uint32_t i = 0; i < nv; i++) {
        for (int k = 0; k < 16; k++) {
            a[i][k] = (uint8_t)xorshift64(&state);
            b[i][k] = (uint8_t)(xorshift64(&state) >> 8);
        }
    }
    for (uint32_t round = 0; round < p->vec_rounds; round++) {
        for (uint32_t i = 0; i < nv; i++) {
            v16u8 x = a[i], y = b[i];
            v16u8 lt = (v16u8)(x < y);
            v16u8 mn = (x & lt) | (y & ~lt);
            v16u8 prod = x * y + mn;

            a[i] = __builtin_shuffle(x + (y >> 1), prod, zip) ^ mn;
            b[i] = __builtin_shuffle(y ^ (x << 3), rev) + (uint8_t)round;
        }
    }
    for (uint32_t i = 0; i < nv; i++) {
        for (int k = 0; k < 16; k += 8) {
            uint64_t w = 0;

            for (int j = 0; j < 8; j++) {
                w = w << 8 | a[i][k + j];
            }
            h = mix64(h, w);
        }
    }
    line_start(l, "vmx");
    line_kdec(l, "bytes", nv * 16);
    line_khex(l, "hash", h, 16);
}

/* ---- Shell sort of doubles (compares and moves), several random arrays ---- */

static void run_dsort(const void *params, const CpuBenchEnv *env, Line *l)
{
    const FpBenchParams *p = params;
    uint32_t n = p->sort_elems;
    double *v = (double *)env->arena;
    uint64_t state = 0x8cb92ba72f3d8dd7ull, h = 0, unsorted = 0;
    static const uint32_t gaps[] = { 4193, 1073, 281, 77, 23, 8, 1 };

    for (uint32_t round = 0; round < p->sort_rounds; round++) {
        for (uint32_t i = 0; i < n; i++) {
            v[i] = small_double(xorshift64(&state)) * 1e6;
        }
        for (unsigned g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
            uint32_t gap = gaps[g];

            for (uint32_t i = gap; i < n; i++) {
                double t = v[i];
                uint32_t j = i;

                for (; j >= gap && v[j - gap] > t; j -= gap) {
                    v[j] = v[j - gap];
                }
                v[j] = t;
            }
        }
        for (uint32_t i = 1; i < n; i++) {
            unsorted += v[i - 1] > v[i];
        }
        for (uint32_t i = 0; i < n; i += 7) {
            h = mix64(h, bits_of(v[i]));
        }
    }
    line_start(l, "dsort");
    line_kdec(l, "elems", n);
    line_kdec(l, "unsorted", unsorted);
    line_khex(l, "hash", h, 16);
}

size_t fpbench_arena_size(const FpBenchParams *p)
{
    size_t need = 3 * (size_t)p->dgemm_n * p->dgemm_n * sizeof(double);
    size_t more[] = {
        2 * (size_t)p->convert_elems * sizeof(double),
        2 * (size_t)p->sqrt_elems * (sizeof(double) + sizeof(float)),
        2 * (size_t)p->axpy_elems * sizeof(float),
        2 * (size_t)p->vec_bytes,
        (size_t)p->sort_elems * sizeof(double),
    };

    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
        need = more[i] > need ? more[i] : need;
    }
    return need;
}

static const BenchKernel fp_kernels[] = {
    { "dgemm", run_dgemm }, { "convert", run_convert }, { "sqrtdiv", run_sqrt },
    { "saxpy", run_axpy },  { "vmx", run_vec },         { "dsort", run_dsort },
};

uint64_t fpbench_run(const FpBenchParams *p, const CpuBenchEnv *env)
{
    return bench_run_kernels("fpbench", p->name, fp_kernels,
                             sizeof(fp_kernels) / sizeof(fp_kernels[0]), p, env);
}
