/* Userspace work for the functional suite: integer kernels and libm on doubles and floats.
 * Built twice from this file: statically for ppc64le (run in the guest) and for the host;
 * the suite compares the two outputs line by line (functest.py). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

int main(void)
{
    double dsum = 0;

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
