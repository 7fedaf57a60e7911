/* Userspace work for the functional suite: integer kernels and libm on doubles and floats.
 * Built twice from this file: statically for ppc64le (run in the guest) and for the host;
 * the suite compares the two outputs line by line (functest.py).
 * Two more modes feed the userspace workload (cases/userwork.sh, userbench.py):
 *   fpcheck data MIB     - MIB MiB of deterministic text lines on stdout, to sort and gzip;
 *   fpcheck nbody STEPS  - an n-body simulation of STEPS steps, its energies as IEEE bits. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Output: one result a line, "KIND NAME VALUE". KIND tells the comparison:
 *   int   - exact integer;
 *   exact - IEEE bits that every conforming implementation must give (sqrt, fma, + * /);
 *   libm  - IEEE bits of a libm function, which may differ in the last place between two
 *           correct implementations (compared within 1 ulp). */

static void put_int(const char *name, uint64_t v)
{
    printf("int %s 0x%016llx\n", name, (unsigned long long)v);
}

static void put_f64(const char *kind, const char *name, int i, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof(bits));
    printf("%s %s.%d 0x%016llx\n", kind, name, i, (unsigned long long)bits);
}

static void put_f32(const char *kind, const char *name, int i, float v)
{
    uint32_t bits;

    memcpy(&bits, &v, sizeof(bits));
    printf("%s %s.%d 0x%08x\n", kind, name, i, bits);
}

/* CRC-32 (IEEE 802.3, reflected) of a pseudo-random buffer. */
static uint32_t crc32_buffer(void)
{
    static uint8_t buf[1 << 16];
    uint32_t x = 0x12345678;
    uint32_t crc = 0xffffffff;

    for (size_t i = 0; i < sizeof(buf); i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
    for (size_t i = 0; i < sizeof(buf); i++) {
        crc ^= buf[i];
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
        }
    }
    return ~crc;
}

/* Primes below 2,000,000 (sieve of Eratosthenes). */
static uint64_t sieve(void)
{
    static uint8_t composite[2000000];
    uint64_t count = 0;

    for (uint64_t i = 2; i < sizeof(composite); i++) {
        if (composite[i]) {
            continue;
        }
        count++;
        for (uint64_t j = i * i; j < sizeof(composite); j += i) {
            composite[j] = 1;
        }
    }
    return count;
}

/* 64-bit multiply, divide and modulo mix, signed and unsigned. */
static uint64_t muldiv(void)
{
    uint64_t acc = 0x9e3779b97f4a7c15ull;
    int64_t s = -1234567;

    for (uint64_t i = 1; i < 200000; i++) {
        acc = acc * 6364136223846793005ull + i;
        acc ^= acc / (i | 1) + acc % (i + 7);
        /* Wrapping arithmetic (unsigned), then a signed division by +-2..+-7. */
        s = (int64_t)((uint64_t)s * 3 - (acc >> 40));
        s /= (i & 1) ? (int64_t)(i % 6) + 2 : -(int64_t)(i % 6) - 2;
        acc += (uint64_t)s;
    }
    return acc;
}

static const double dargs[] = { 0.5, 1.0, 2.25, 3.141592653589793, 10.0, 100.5, 1e-3, 7.75e2 };
static const float fargs[] = { 0.5f, 1.0f, 2.25f, 3.1415927f, 10.0f, 100.5f, 1e-3f, 7.75e2f };
#define NARGS ((int)(sizeof(dargs) / sizeof(dargs[0])))

/* volatile: the compiler must not fold the calls on the build machine. */
static volatile double vd[NARGS];
static volatile float vf[NARGS];

/* Text lines "KEY WORD NUMBER\n": a pseudo-random key of lowercase letters (so sort
 * has work), one of a few words and a number (so gzip finds some redundancy). */
static int gen_data(long mib)
{
    static const char *const words[] = { "alpha", "bravo",   "charlie", "delta",
                                         "echo",  "foxtrot", "golf",    "hotel" };
    static char buf[1 << 16];
    uint64_t x = 0x2545f4914f6cdd1dull;
    long left = mib << 20;
    size_t n = 0;

    while (left > 0) {
        char line[64];
        int len;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        for (int i = 0; i < 8; i++) {
            line[i] = (char)('a' + (x >> (i * 5)) % 26);
        }
        len = 8 + snprintf(line + 8, sizeof(line) - 8, " %s %llu\n", words[(x >> 40) & 7],
                           (unsigned long long)((x >> 44) % 100000));
        if (len > left) {
            /* The last line is cut to the size asked for, and still ends in a newline. */
            len = (int)left;
            line[len - 1] = '\n';
        }
        if (n + (size_t)len > sizeof(buf)) {
            fwrite(buf, 1, n, stdout);
            n = 0;
        }
        memcpy(buf + n, line, (size_t)len);
        n += (size_t)len;
        left -= len;
    }
    fwrite(buf, 1, n, stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* The five-body planetary system (Sun, Jupiter, Saturn, Uranus, Neptune) in units of
 * AU, years and solar masses, advanced by a leapfrog step of 0.01 years: + - * / and
 * sqrt only, every operation correctly rounded, so any IEEE machine gives the same bits. */
#define NBODY 5
struct body {
    double x[3], v[3], m;
};

static double energy(const struct body *b)
{
    double e = 0;

    for (int i = 0; i < NBODY; i++) {
        e += 0.5 * b[i].m * (b[i].v[0] * b[i].v[0] + b[i].v[1] * b[i].v[1] + b[i].v[2] * b[i].v[2]);
        for (int j = i + 1; j < NBODY; j++) {
            double dx = b[i].x[0] - b[j].x[0], dy = b[i].x[1] - b[j].x[1];
            double dz = b[i].x[2] - b[j].x[2];

            e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static int nbody(long steps)
{
    const double pi = 3.141592653589793, days = 365.24;
    const double sm = 4 * pi * pi;
    struct body b[NBODY] = {
        { { 0, 0, 0 }, { 0, 0, 0 }, sm },
        { { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01 },
          { 1.66007664274403694e-03 * days, 7.69901118419740425e-03 * days,
            -6.90460016972063023e-05 * days },
          9.54791938424326609e-04 * sm },
        { { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01 },
          { -2.76742510726862411e-03 * days, 4.99852801234917238e-03 * days,
            2.30417297573763929e-05 * days },
          2.85885980666130812e-04 * sm },
        { { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01 },
          { 2.96460137564761618e-03 * days, 2.37847173959480950e-03 * days,
            -2.96589568540237556e-05 * days },
          4.36624404335156298e-05 * sm },
        { { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01 },
          { 2.68067772490389322e-03 * days, 1.62824170038242295e-03 * days,
            -9.51592254519715870e-05 * days },
          5.15138902046611451e-05 * sm },
    };

    /* The Sun moves so that the total momentum is zero. */
    for (int i = 1; i < NBODY; i++) {
        for (int k = 0; k < 3; k++) {
            b[0].v[k] -= b[i].v[k] * b[i].m / sm;
        }
    }
    put_f64("exact", "nbody-energy", 0, energy(b));
    for (long s = 0; s < steps; s++) {
        for (int i = 0; i < NBODY; i++) {
            for (int j = i + 1; j < NBODY; j++) {
                double d[3], d2, mag;

                for (int k = 0; k < 3; k++) {
                    d[k] = b[i].x[k] - b[j].x[k];
                }
                d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                mag = 0.01 / (d2 * sqrt(d2));
                for (int k = 0; k < 3; k++) {
                    b[i].v[k] -= d[k] * b[j].m * mag;
                    b[j].v[k] += d[k] * b[i].m * mag;
                }
            }
        }
        for (int i = 0; i < NBODY; i++) {
            for (int k = 0; k < 3; k++) {
                b[i].x[k] += 0.01 * b[i].v[k];
            }
        }
    }
    put_f64("exact", "nbody-energy", 1, energy(b));
    put_f64("exact", "nbody-x", 1, b[1].x[0]);
    return 0;
}

/* The count argument of a mode: a positive decimal number, else -1. */
static long count_arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);

    return *s && !*end && v > 0 ? v : -1;
}

int main(int argc, char **argv)
{
    double dsum = 0;

    if (argc == 3 && count_arg(argv[2]) > 0 && !strcmp(argv[1], "data")) {
        return gen_data(count_arg(argv[2]));
    }
    if (argc == 3 && count_arg(argv[2]) > 0 && !strcmp(argv[1], "nbody")) {
        return nbody(count_arg(argv[2]));
    }
    if (argc != 1) {
        fprintf(stderr, "usage: fpcheck [data MIB | nbody STEPS]\n");
        return 2;
    }

    put_int("crc32", crc32_buffer());
    put_int("primes", sieve());
    put_int("muldiv", muldiv());

    for (int i = 0; i < NARGS; i++) {
        vd[i] = dargs[i];
        vf[i] = fargs[i];
    }
    for (int i = 0; i < NARGS; i++) {
        double x = vd[i], y = vd[(i + 3) % NARGS];
        float fx = vf[i], fy = vf[(i + 3) % NARGS];

        put_f64("libm", "sin", i, sin(x));
        put_f64("libm", "exp", i, exp(x / 8));
        put_f64("libm", "log", i, log(x));
        put_f64("libm", "pow", i, pow(x, 1.0 / 3.0 + i));
        put_f64("exact", "sqrt", i, sqrt(x));
        put_f64("exact", "fma", i, fma(x, y, -x * 0.1));
        put_f32("libm", "sinf", i, sinf(fx));
        put_f32("libm", "expf", i, expf(fx / 8));
        put_f32("libm", "logf", i, logf(fx));
        put_f32("libm", "powf", i, powf(fx, 0.75f));
        put_f32("exact", "sqrtf", i, sqrtf(fx));
        put_f32("exact", "fmaf", i, fmaf(fx, fy, -fx * 0.1f));
    }
    /* A longer computation with + * / only: every step is correctly rounded, so the
     * result is exact on any IEEE machine. */
    for (int i = 1; i <= 100000; i++) {
        double t = (double)i;
        dsum += 1.0 / (t * t) - dsum / (t * 1e6);
    }
    put_f64("exact", "series", 0, dsum);
    printf("fpcheck done\n");
    return 0;
}
