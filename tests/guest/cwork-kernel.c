/* A small C workload as userspace runs it, without libc: a printf-style formatter of
 * doubles (%f %e %d %s), a generic qsort with a comparison function, sin/cos/exp/log from
 * polynomials, and the same arithmetic in every rounding mode. Built -O3 for the guest
 * (hard float, VSX) and natively for the host; IEEE arithmetic in a fixed order makes the
 * hashes equal. */
#include <stdarg.h>
#include <stdint.h>

#include "cwork-kernel.h"

static uint64_t lcg_state;

static uint64_t lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lcg_state >> 11;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

static uint64_t dbits(double d)
{
    union {
        double d;
        uint64_t u;
    } u = { .d = d };

    return u.u;
}

static double bitsd(uint64_t b)
{
    union {
        uint64_t u;
        double d;
    } u = { .u = b };

    return u.d;
}

static uint32_t fbits(float f)
{
    union {
        float f;
        uint32_t u;
    } u = { .f = f };

    return u.u;
}

/* Hash a double; every NaN counts the same (the hosts' default NaNs differ in sign). */
static uint64_t mixd(uint64_t h, double d)
{
    return mix(h, d != d ? 0x7ff8000000000000ULL : dbits(d));
}

/* A double with a random sign, 53 random significand bits and a binary exponent in
 * [-emax, emax]; no NaN, no infinity. */
static double rnd_double(int emax)
{
    uint64_t r = lcg();
    int e = (int)(lcg() % (uint64_t)(2 * emax + 1)) - emax;

    return bitsd((lcg() & 1) << 63 | (uint64_t)(1023 + e) << 52 | (r & 0xfffffffffffffULL));
}

/* ---- formatting ---- */

struct out {
    char *buf;
    size_t len, cap;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->cap) {
        o->buf[o->len] = c;
    }
    o->len++;
}

static void put_str(struct out *o, const char *s)
{
    while (*s) {
        put(o, *s++);
    }
}

static void put_uint(struct out *o, uint64_t v, int min_digits)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < min_digits) {
        tmp[n++] = '0';
    }
    while (n) {
        put(o, tmp[--n]);
    }
}

static double pow10i(int n)
{
    double p = 1.0;

    for (int i = 0; i < n; i++) {
        p *= 10.0;
    }
    return p;
}

/* %.<prec>f of a finite |x|: below 2^63 / 10^prec through one rounded integer, above by
 * peeling decimal digits off the integer part with divisions. */
static void put_fixed(struct out *o, double x, int prec)
{
    double scale = pow10i(prec);

    if (x * scale < 9.2e18) {
        uint64_t r = (uint64_t)(x * scale + 0.5);
        uint64_t p = (uint64_t)scale;

        put_uint(o, r / p, 1);
        if (prec) {
            put(o, '.');
            put_uint(o, r % p, prec);
        }
        return;
    }
    char tmp[320];
    int n = 0;
    double ip = x;

    while (ip >= 1.0 && n < (int)sizeof(tmp)) {
        double q = ip / 10.0;
        /* the integer part: quotients from 2^52 on are integers already */
        double fl = q < 4503599627370496.0 ? (double)(uint64_t)q : q;
        /* far above 2^53 the remainder is rounding noise: clamp it before converting */
        double d = ip - fl * 10.0;

        tmp[n++] = (char)('0' + (d < 0.0 ? 0 : d > 9.0 ? 9 : (int)d));
        ip = fl;
    }
    while (n) {
        put(o, tmp[--n]);
    }
    if (prec) {
        put(o, '.');
        for (int i = 0; i < prec; i++) {
            put(o, '0');
        }
    }
}

/* %.<prec>e: the decimal exponent by scaling with powers of ten, then %f of the mantissa. */
static void put_exp(struct out *o, double x, int prec)
{
    int e = 0;

    if (x != 0.0) {
        while (x >= 1e10) {
            x /= 1e10;
            e += 10;
        }
        while (x >= 10.0) {
            x /= 10.0;
            e++;
        }
        while (x < 1e-10) {
            x *= 1e10;
            e -= 10;
        }
        while (x < 1.0) {
            x *= 10.0;
            e--;
        }
        /* rounding may carry into a new digit: 9.9999995 -> 10.000000 */
        if (x * pow10i(prec) + 0.5 >= 10.0 * pow10i(prec)) {
            x /= 10.0;
            e++;
        }
    }
    put_fixed(o, x, prec);
    put(o, 'e');
    put(o, e < 0 ? '-' : '+');
    put_uint(o, (uint64_t)(e < 0 ? -e : e), 2);
}

static void put_double(struct out *o, double v, char conv, int prec)
{
    if (v != v) {
        put_str(o, "nan");
        return;
    }
    if (dbits(v) >> 63) {
        put(o, '-');
        v = -v;
    }
    if (v == __builtin_inf()) {
        put_str(o, "inf");
    } else if (conv == 'e') {
        put_exp(o, v, prec);
    } else {
        put_fixed(o, v, prec);
    }
}

/* snprintf for %d %ld %s %f %e %% with an optional precision (.N). */
static size_t cw_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
    struct out o = { buf, 0, cap };
    va_list ap;

    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        int prec = 6, lng = 0;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        if (*fmt == '.') {
            prec = 0;
            while (fmt[1] >= '0' && fmt[1] <= '9') {
                prec = prec * 10 + (*++fmt - '0');
            }
            fmt++;
        }
        while (*fmt == 'l') {
            lng = 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

            if (v < 0) {
                put(&o, '-');
            }
            put_uint(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 1);
            break;
        }
        case 's':
            put_str(&o, va_arg(ap, const char *));
            break;
        case 'f':
        case 'e':
            put_double(&o, va_arg(ap, double), *fmt, prec > 17 ? 17 : prec);
            break;
        default:
            put(&o, *fmt);
            break;
        }
    }
    va_end(ap);
    if (cap) {
        buf[o.len < cap ? o.len : cap - 1] = 0;
    }
    return o.len;
}

static uint64_t hash_str(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h = mix(h, (uint8_t)s[i]);
    }
    return h;
}

static size_t cw_strlen(const char *s)
{
    size_t n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

static uint64_t part_format(char *sample)
{
    static const double fixed[] = { 0.0,
                                    -0.0,
                                    1.0,
                                    0.1,
                                    0.5,
                                    2.5,
                                    -1.25,
                                    3.14159265358979,
                                    2.718281828459045,
                                    1e-7,
                                    123456.789,
                                    9.9999999,
                                    1e15,
                                    -6.02214076e23,
                                    1.7976931348623157e308,
                                    5e-324 };
    char line[96];
    uint64_t h = 0;

    cw_snprintf(sample, CWORK_SAMPLE_LEN, "pi=%.5f e=%f %e %.2f %d %s %.3e|%f|%e", fixed[7],
                fixed[8], fixed[13], fixed[6], -42, "ok", fixed[10], __builtin_inf(), fixed[15]);
    h = hash_str(h, sample, cw_strlen(sample));
    for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        for (int prec = 0; prec <= 17; prec += 3) {
            size_t n = cw_snprintf(line, sizeof(line),
                                   prec == 0    ? "[%.0f|%.0e]"
                                   : prec == 3  ? "[%.3f|%.3e]"
                                   : prec == 6  ? "[%f|%e]"
                                   : prec == 9  ? "[%.9f|%.9e]"
                                   : prec == 12 ? "[%.12f|%.12e]"
                                                : "[%.15f|%.15e]",
                                   fixed[i], fixed[i]);
            h = hash_str(h, line, n < sizeof(line) ? n : sizeof(line));
        }
    }
    lcg_state = 11;
    for (int i = 0; i < 400; i++) {
        double v = rnd_double(i < 200 ? 30 : 300);
        size_t n = cw_snprintf(line, sizeof(line), "%f %.10e %ld", v, v, (int64_t)i - 200);

        h = hash_str(h, line, n < sizeof(line) ? n : sizeof(line));
    }
    return h;
}

/* ---- qsort ---- */

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        unsigned char t = a[i];

        a[i] = b[i];
        b[i] = t;
    }
}

/* Quicksort with a median of three, insertion sort for short ranges; like libc's, through
 * a comparison function on opaque elements. */
static void cw_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    unsigned char *b = base;

    while (n > 8) {
        unsigned char *lo = b, *mid = b + (n / 2) * size, *hi = b + (n - 1) * size;

        if (cmp(mid, lo) < 0) {
            swap_bytes(mid, lo, size);
        }
        if (cmp(hi, mid) < 0) {
            swap_bytes(hi, mid, size);
            if (cmp(mid, lo) < 0) {
                swap_bytes(mid, lo, size);
            }
        }
        /* the pivot goes to the front; partition the rest around it */
        swap_bytes(b, mid, size);
        size_t i = 1, j = n - 1;

        for (;;) {
            while (i <= j && cmp(b + i * size, b) < 0) {
                i++;
            }
            while (j >= i && cmp(b + j * size, b) > 0) {
                j--;
            }
            if (i >= j) {
                break;
            }
            swap_bytes(b + i * size, b + j * size, size);
            i++;
            j--;
        }
        swap_bytes(b, b + j * size, size);
        /* recurse into the smaller side, loop on the larger */
        if (j < n - j - 1) {
            cw_qsort(b, j, size, cmp);
            b += (j + 1) * size;
            n -= j + 1;
        } else {
            cw_qsort(b + (j + 1) * size, n - j - 1, size, cmp);
            n = j;
        }
    }
    for (size_t i = 1; i < n; i++) {
        for (size_t k = i; k > 0 && cmp(b + (k - 1) * size, b + k * size) > 0; k--) {
            swap_bytes(b + (k - 1) * size, b + k * size, size);
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

struct rec {
    double key;
    int32_t id;
    float weight;
};

/* by key descending, then id */
static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;

    if (x->key != y->key) {
        return x->key > y->key ? -1 : 1;
    }
    return (x->id > y->id) - (x->id < y->id);
}

#define SORT_N 1500
static double sort_d[SORT_N];
static struct rec sort_r[SORT_N / 3];

static uint64_t part_qsort(void)
{
    uint64_t h = 0, bad = 0;

    lcg_state = 23;
    for (int i = 0; i < SORT_N; i++) {
        switch (i % 11) {
        case 0:
            sort_d[i] = 0.0;
            break;
        case 1:
            sort_d[i] = -0.0;
            break;
        case 2:
            sort_d[i] = (double)(int64_t)(lcg() % 100) - 50.0; /* duplicates */
            break;
        case 3:
            sort_d[i] = rnd_double(1022) * 1e-300; /* denormals among them */
            break;
        default:
            sort_d[i] = rnd_double(60);
            break;
        }
    }
    cw_qsort(sort_d, SORT_N, sizeof(double), cmp_double);
    for (int i = 0; i < SORT_N; i++) {
        bad += i && sort_d[i - 1] > sort_d[i];
        /* zeros of either sign compare equal: hash them alike */
        h = mixd(h, sort_d[i] == 0.0 ? 0.0 : sort_d[i]);
    }
    for (int i = 0; i < SORT_N / 3; i++) {
        sort_r[i].key = (double)(int64_t)(lcg() % 64) * 0.125;
        sort_r[i].id = i;
        sort_r[i].weight = (float)sort_r[i].key * 3.0f + 0.1f;
    }
    cw_qsort(sort_r, SORT_N / 3, sizeof(struct rec), cmp_rec);
    for (int i = 0; i < SORT_N / 3; i++) {
        bad += i && cmp_rec(&sort_r[i - 1], &sort_r[i]) >= 0;
        h = mix(mixd(h, sort_r[i].key), (uint64_t)sort_r[i].id << 32 | fbits(sort_r[i].weight));
    }
    return mix(h, bad);
}

/* ---- libm from polynomials ---- */

#define PIO2_HI 1.57079632679489655800e+00
#define PIO2_LO 6.12323399573676603587e-17
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10

static double round_int(double x)
{
    return (double)(int64_t)(x + (x < 0 ? -0.5 : 0.5));
}

/* sin(r) and cos(r) for |r| <= pi/4: Taylor series, Horner's rule. */
static double sin_poly(double r)
{
    double z = r * r;
    double p = 1.0 / 6227020800.0;

    p = p * z - 1.0 / 39916800.0;
    p = p * z + 1.0 / 362880.0;
    p = p * z - 1.0 / 5040.0;
    p = p * z + 1.0 / 120.0;
    p = p * z - 1.0 / 6.0;
    return r + r * z * p;
}

static double cos_poly(double r)
{
    double z = r * r;
    double p = 1.0 / 87178291200.0;

    p = p * z - 1.0 / 479001600.0;
    p = p * z + 1.0 / 3628800.0;
    p = p * z - 1.0 / 40320.0;
    p = p * z + 1.0 / 720.0;
    p = p * z - 1.0 / 24.0;
    p = p * z + 0.5;
    return 1.0 - z * p;
}

/* sin/cos (quadrant = 0) or cos (quadrant = 1) of x, |x| < 2^30. */
static double cw_sincos(double x, int quadrant)
{
    double k = round_int(x * (1.0 / PIO2_HI));
    double r = (x - k * PIO2_HI) - k * PIO2_LO;
    int q = ((int)(int64_t)k + quadrant) & 3;
    double v = (q & 1) ? cos_poly(r) : sin_poly(r);

    return (q & 2) ? -v : v;
}

static double cw_exp(double x)
{
    if (x > 709.0) {
        return __builtin_inf();
    }
    if (x < -745.0) {
        return 0.0;
    }
    double k = round_int(x * (1.0 / LN2_HI));
    double r = (x - k * LN2_HI) - k * LN2_LO;
    double p = 1.0 / 39916800.0;

    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    /* times 2^k in two steps, so that results near the ends stay in range */
    int ki = (int)(int64_t)k, k1 = ki / 2, k2 = ki - k1;

    return p * bitsd((uint64_t)(1023 + k1) << 52) * bitsd((uint64_t)(1023 + k2) << 52);
}

static double cw_log(double x)
{
    if (!(x > 0.0)) {
        return x == 0.0 ? -__builtin_inf() : __builtin_nan("");
    }
    uint64_t b = dbits(x);
    int e = (int)(b >> 52) - 1023;

    if (e == -1023) { /* denormal: scale up first */
        b = dbits(x * 18014398509481984.0);
        e = (int)(b >> 52) - 1023 - 54;
    }
    double m = bitsd((b & 0xfffffffffffffULL) | 0x3ff0000000000000ULL);

    if (m > 1.4142135623730951) {
        m *= 0.5;
        e++;
    }
    double s = (m - 1.0) / (m + 1.0), z = s * s, p = 1.0 / 19.0;

    for (int i = 17; i >= 3; i -= 2) {
        p = p * z + 1.0 / i;
    }
    return (2.0 * s + 2.0 * s * z * p) + e * LN2_HI + e * LN2_LO;
}

#define GRID 2000
static double grid_x[GRID], grid_y[GRID];

static uint64_t part_libm(void)
{
    uint64_t h = 0;

    for (int i = 0; i < GRID; i++) {
        grid_x[i] = (i - GRID / 2) * 0.0137 + 0.001 * (i & 7);
    }
    /* element-wise loops over arrays, as vectorisable as a compiler makes them */
    for (int i = 0; i < GRID; i++) {
        grid_y[i] = cw_sincos(grid_x[i], 0) * cw_sincos(grid_x[i], 0) +
                    cw_sincos(grid_x[i], 1) * cw_sincos(grid_x[i], 1);
    }
    for (int i = 0; i < GRID; i++) {
        h = mixd(h, grid_y[i]);
    }
    for (int i = 0; i < GRID; i++) {
        grid_y[i] = cw_exp(grid_x[i] * 0.05) * cw_exp(-grid_x[i] * 0.05);
        h = mixd(h, grid_y[i]);
        h = mixd(h, cw_sincos(grid_x[i] * 100.0, 0));
        h = mixd(h, cw_exp(grid_x[i] * 0.0373));
    }
    lcg_state = 5;
    for (int i = 0; i < GRID; i++) {
        double x = rnd_double(1000);

        x = x < 0 ? -x : x;
        h = mixd(h, cw_log(x));
        h = mixd(h, cw_exp(cw_log(x) * 0.5) - __builtin_sqrt(x));
    }
    h = mixd(h, cw_log(5e-324));
    h = mixd(h, cw_exp(709.7));
    h = mixd(h, cw_exp(-744.0));
    return h;
}

/* ---- rounding modes and single precision ---- */

#define RN_N 512
static double rn_a[RN_N], rn_b[RN_N], rn_c[RN_N];
static int64_t rn_i[RN_N];
static float sf_a[RN_N], sf_b[RN_N], sf_c[RN_N];

static uint64_t part_rounding(cwork_round_fn *set_round)
{
    uint64_t h = 0;

    lcg_state = 77;
    for (int i = 0; i < RN_N; i++) {
        rn_a[i] = rnd_double(40);
        rn_b[i] = rnd_double(40);
        rn_i[i] = (int64_t)(lcg() << 11) >> (i & 15);
    }
    rn_a[0] = 1.7976931348623157e308; /* overflow: inf or the largest finite */
    rn_b[0] = 1.7976931348623157e308;
    rn_a[1] = 2.2250738585072014e-308; /* underflow into denormals */
    rn_b[1] = -4.9406564584124654e-324;
    for (int mode = 0; mode < 4; mode++) {
        set_round(mode);
        for (int i = 0; i < RN_N; i++) {
            rn_c[i] = rn_a[i] + rn_b[i];
        }
        for (int i = 0; i < RN_N; i++) {
            h = mixd(h, rn_c[i]);
            h = mixd(h, rn_a[i] * rn_b[i]);
            h = mixd(h, rn_a[i] / rn_b[i]);
            h = mixd(h, rn_a[i] - rn_b[i] * 0.1);
            h = mixd(h, __builtin_sqrt(rn_a[i] < 0 ? -rn_a[i] : rn_a[i]));
            h = mixd(h, (double)rn_i[i]);
            h = mix(h, fbits((float)rn_a[i]));
            h = mix(h, fbits((float)rn_i[i]));
            /* truncation, whatever the mode (out of range is undefined in C: not here) */
            h = mix(h, (uint64_t)(int64_t)(i < 2 ? 0.0 : rn_a[i]));
        }
        /* a sum in a fixed order: rounding errors accumulate differently per mode */
        double s = 0.0;

        for (int i = 0; i < RN_N; i++) {
            s += rn_a[i] * 1e-3;
        }
        h = mixd(h, s);
    }
    set_round(0);
    return h;
}

static uint64_t part_single(void)
{
    uint64_t h = 0;

    lcg_state = 99;
    for (int i = 0; i < RN_N; i++) {
        sf_a[i] = (float)rnd_double(20);
        sf_b[i] = (float)rnd_double(20);
    }
    sf_a[2] = 1.17549435e-38f; /* FLT_MIN: products and quotients go denormal */
    sf_b[2] = 0.375f;
    for (int i = 0; i < RN_N; i++) {
        sf_c[i] = sf_a[i] * sf_b[i] + sf_a[i] / sf_b[i];
    }
    for (int i = 0; i < RN_N; i++) {
        h = mix(h, fbits(sf_c[i]));
        h = mix(h, fbits(__builtin_sqrtf(sf_a[i] < 0 ? -sf_a[i] : sf_a[i])));
        h = mix(h, (uint64_t)(int32_t)sf_a[i]);
        h = mixd(h, (double)sf_a[i] * (double)sf_b[i]);
    }
    return h;
}

uint64_t cwork_checksum(uint64_t part[CWORK_PARTS], cwork_round_fn *set_round, char *sample)
{
    uint64_t all = 0;

    set_round(0);
    part[0] = part_format(sample);
    part[1] = part_qsort();
    part[2] = part_libm();
    part[3] = part_rounding(set_round);
    part[4] = part_single();
    for (int i = 0; i < CWORK_PARTS; i++) {
        all = mix(all, part[i]);
    }
    return all;
}
