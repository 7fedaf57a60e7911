/*
 * CPU benchmark kernels: sieve, CRC-32, multiply/divide mix, quicksort and a
 * bytecode interpreter. Pure integer code, identical results on any 64-bit host.
 */
#include "kernels.h"
#include "bench-line.h"

const CpuBenchParams cpubench_full = {
    .name = "full",
    .sieve_limit = 4000000,
    .sieve_rounds = 6,
    .crc_bytes = 4 << 20,
    .crc_rounds = 10,
    .crc_bit_bytes = 1 << 20,
    .muldiv_iters = 40000000,
    .sort_elems = 100000,
    .sort_rounds = 24,
    .interp_limit = 40000,
};

const CpuBenchParams cpubench_small = {
    .name = "small",
    .sieve_limit = 200000,
    .sieve_rounds = 1,
    .crc_bytes = 128 << 10,
    .crc_rounds = 1,
    .crc_bit_bytes = 16 << 10,
    .muldiv_iters = 100000,
    .sort_elems = 5000,
    .sort_rounds = 1,
    .interp_limit = 2000,
};

/* ---- Sieve of Eratosthenes over a byte array ---- */

typedef struct SieveResult {
    uint64_t count;
    uint64_t sum;
} SieveResult;

static SieveResult sieve(uint8_t *composite, uint32_t limit)
{
    SieveResult r = { 0, 0 };

    for (uint32_t i = 0; i < limit; i++) {
        composite[i] = 0;
    }
    for (uint64_t i = 2; i * i < limit; i++) {
        if (composite[i]) {
            continue;
        }
        for (uint64_t j = i * i; j < limit; j += i) {
            composite[j] = 1;
        }
    }
    for (uint32_t i = 2; i < limit; i++) {
        if (!composite[i]) {
            r.count++;
            r.sum += i;
        }
    }
    return r;
}

static void run_sieve(const void *params, const CpuBenchEnv *env, Line *l)
{
    const CpuBenchParams *p = params;
    SieveResult r = { 0, 0 };
    uint64_t mix = 0;

    for (uint32_t round = 0; round < p->sieve_rounds; round++) {
        /* Each round sieves a slightly different range so no round repeats another. */
        r = sieve(env->arena, p->sieve_limit - round * 1000);
        mix = mix * 31 + r.count + r.sum;
    }
    line_start(l, "sieve");
    line_kdec(l, "limit", p->sieve_limit - (p->sieve_rounds - 1) * 1000);
    line_kdec(l, "primes", r.count);
    line_kdec(l, "sum", r.sum);
    line_khex(l, "mix", mix, 16);
}

/* ---- CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) ---- */

#define CRC32_POLY 0xedb88320u

static uint32_t crc32_bitwise(uint32_t crc, const uint8_t *buf, size_t len)
{
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= buf[i];
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (CRC32_POLY & -(crc & 1));
        }
    }
    return ~crc;
}

static void crc32_make_table(uint32_t *table)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int bit = 0; bit < 8; bit++) {
            c = (c >> 1) ^ (CRC32_POLY & -(c & 1));
        }
        table[n] = c;
    }
}

static uint32_t crc32_table(const uint32_t *table, uint32_t crc, const uint8_t *buf, size_t len)
{
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

static void run_crc(const void *params, const CpuBenchEnv *env, Line *l)
{
    const CpuBenchParams *p = params;
    static const uint8_t check[] = "123456789";
    uint32_t table[256];
    uint8_t *buf = env->arena;
    uint64_t state = 0x2545f4914f6cdd1dull;
    uint32_t crc = 0;

    crc32_make_table(table);
    for (uint32_t round = 0; round < p->crc_rounds; round++) {
        for (uint32_t i = 0; i < p->crc_bytes; i += 8) {
            uint64_t v = xorshift64(&state);
            for (int b = 0; b < 8 && i + b < p->crc_bytes; b++) {
                buf[i + b] = (uint8_t)(v >> (8 * b));
            }
        }
        crc = crc32_table(table, crc, buf, p->crc_bytes);
    }
    line_start(l, "crc32");
    /* The standard check value of CRC-32 over "123456789" is 0xcbf43926. */
    line_khex(l, "check", crc32_bitwise(0, check, sizeof(check) - 1), 8);
    line_khex(l, "bitwise", crc32_bitwise(0, buf, p->crc_bit_bytes), 8);
    line_khex(l, "table", crc32_table(table, 0, buf, p->crc_bit_bytes), 8);
    line_khex(l, "stream", crc, 8);
}

/* ---- Multiply/divide mix: mulld, mulhdu, divd, divdu, modsd, modud ---- */

/* The high 64 bits of x * y (by 32-bit halves where there is no 128-bit type: -m32). */
static uint64_t mul_high(uint64_t x, uint64_t y)
{
#ifdef __SIZEOF_INT128__
    return (uint64_t)(((unsigned __int128)x * y) >> 64);
#else
    uint64_t xl = (uint32_t)x, xh = x >> 32, yl = (uint32_t)y, yh = y >> 32;
    uint64_t lh = xl * yh, hl = xh * yl;
    uint64_t mid = ((xl * yl) >> 32) + (uint32_t)lh + (uint32_t)hl;

    return xh * yh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

static void run_muldiv(const void *params, const CpuBenchEnv *env, Line *l)
{
    const CpuBenchParams *p = params;
    uint64_t state = 0x9e3779b97f4a7c15ull;
    uint64_t acc = 1, sacc = 0, hacc = 0;

    (void)env;
    for (uint32_t i = 0; i < p->muldiv_iters; i++) {
        uint64_t x = xorshift64(&state);
        uint64_t y = xorshift64(&state);
        /* Divisors of every magnitude, odd, hence never zero (even d + 2). */
        uint64_t d = (y >> (y & 63)) | 1;
        /* Signed operands stay inside (INT64_MIN, INT64_MAX]: no overflowing divide. */
        int64_t sx = (int64_t)(x >> 1) - ((int64_t)1 << 62);
        int64_t sd = (int64_t)(y >> 33) - ((int64_t)1 << 30);

        if (sd == 0) {
            sd = 7;
        }
        /* Remainders by other divisors than the quotients: modud/modsd, not divide-multiply. */
        acc = acc * (x | 1) + x / d;
        acc ^= x % (d + 2);
        sacc += (uint64_t)(sx / sd);
        sacc ^= (uint64_t)(sx % ((int64_t)(y & 0xffff) + 1));
        hacc += mul_high(x, y);
    }
    line_start(l, "muldiv");
    line_kdec(l, "iters", p->muldiv_iters);
    line_khex(l, "unsigned", acc, 16);
    line_khex(l, "signed", sacc, 16);
    line_khex(l, "high", hacc, 16);
}

/* ---- Quicksort (median of three, recursion on the smaller side) ---- */

static void swap32(uint32_t *a, uint32_t *b)
{
    uint32_t t = *a;

    *a = *b;
    *b = t;
}

static void insertion_sort(uint32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint32_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

/* Hoare partition around the median of first, middle and last; returns the split. */
static long partition(uint32_t *a, long n)
{
    long mid = n / 2;

    if (a[mid] < a[0]) {
        swap32(&a[mid], &a[0]);
    }
    if (a[n - 1] < a[0]) {
        swap32(&a[n - 1], &a[0]);
    }
    if (a[n - 1] < a[mid]) {
        swap32(&a[n - 1], &a[mid]);
    }
    uint32_t pivot = a[mid];
    long i = -1, j = n;
    for (;;) {
        do {
            i++;
        } while (a[i] < pivot);
        do {
            j--;
        } while (a[j] > pivot);
        if (i >= j) {
            return j + 1;
        }
        swap32(&a[i], &a[j]);
    }
}

static void quicksort(uint32_t *a, long n)
{
    while (n > 16) {
        long split = partition(a, n);
        if (split < n - split) {
            quicksort(a, split);
            a += split;
            n -= split;
        } else {
            quicksort(a + split, n - split);
            n = split;
        }
    }
    insertion_sort(a, n);
}

static void run_sort(const void *params, const CpuBenchEnv *env, Line *l)
{
    const CpuBenchParams *p = params;
    uint32_t *a = (uint32_t *)env->arena;
    uint64_t state = 0x853c49e6748fea9bull;
    uint64_t hash = 0, unsorted = 0;

    for (uint32_t round = 0; round < p->sort_rounds; round++) {
        for (uint32_t i = 0; i < p->sort_elems; i++) {
            /* Narrow values in odd rounds: many duplicates exercise the partition. */
            uint32_t v = (uint32_t)(xorshift64(&state) >> 32);
            a[i] = (round & 1) ? (v & 0x3ff) : v;
        }
        quicksort(a, p->sort_elems);
        for (uint32_t i = 0; i < p->sort_elems; i++) {
            unsorted += i && a[i - 1] > a[i];
            hash = hash * 0x100000001b3ull + a[i];
        }
    }
    line_start(l, "qsort");
    line_kdec(l, "elems", p->sort_elems);
    line_kdec(l, "unsorted", unsorted);
    line_khex(l, "hash", hash, 16);
}

/* ---- A register bytecode interpreter running Collatz chains ---- */

enum {
    OP_HALT,
    OP_LI,
    OP_MOV,
    OP_ADD,
    OP_ADDI,
    OP_ANDI,
    OP_SHRI,
    OP_BEQ,
    OP_BNZ,
    OP_BLE,
    OP_JMP,
};

/* One instruction: opcode, two or three register numbers or a small immediate. */
typedef struct Insn {
    uint8_t op, a, b, c;
} Insn;

/*
 * r0 = limit, r1 = n, r2 = current chain value, r5 = total steps, r6 = 1.
 * For every n in 1..limit: while r2 != 1, halve it or triple it plus one.
 */
static const Insn collatz_program[] = {
    /*  0 */ { OP_LI, 1, 1, 0 },
    /*  1 */ { OP_LI, 5, 0, 0 },
    /*  2 */ { OP_LI, 6, 1, 0 },
    /*  3 */ { OP_MOV, 2, 1, 0 },
    /*  4 */ { OP_BEQ, 2, 6, 14 },
    /*  5 */ { OP_ANDI, 3, 2, 1 },
    /*  6 */ { OP_BNZ, 3, 0, 10 },
    /*  7 */ { OP_SHRI, 2, 2, 1 },
    /*  8 */ { OP_ADDI, 5, 5, 1 },
    /*  9 */ { OP_JMP, 0, 0, 4 },
    /* 10 */ { OP_ADD, 4, 2, 2 },
    /* 11 */ { OP_ADD, 2, 4, 2 },
    /* 12 */ { OP_ADDI, 2, 2, 1 },
    /* 13 */ { OP_JMP, 0, 0, 8 },
    /* 14 */ { OP_ADDI, 1, 1, 1 },
    /* 15 */ { OP_BLE, 1, 0, 3 },
    /* 16 */ { OP_HALT, 0, 0, 0 },
};

#define COLLATZ_LEN (sizeof(collatz_program) / sizeof(collatz_program[0]))

/* Runs prog with r0 preset; returns the number of instructions interpreted. */
static uint64_t interpret(const Insn *prog, size_t len, uint64_t *r)
{
    uint64_t steps = 0;
    size_t pc = 0;

    while (pc < len) {
        const Insn *in = &prog[pc++];
        steps++;
        switch (in->op) {
        case OP_LI:
            r[in->a & 7] = in->b;
            break;
        case OP_MOV:
            r[in->a & 7] = r[in->b & 7];
            break;
        case OP_ADD:
            r[in->a & 7] = r[in->b & 7] + r[in->c & 7];
            break;
        case OP_ADDI:
            r[in->a & 7] = r[in->b & 7] + in->c;
            break;
        case OP_ANDI:
            r[in->a & 7] = r[in->b & 7] & in->c;
            break;
        case OP_SHRI:
            r[in->a & 7] = r[in->b & 7] >> (in->c & 63);
            break;
        case OP_BEQ:
            pc = r[in->a & 7] == r[in->b & 7] ? in->c : pc;
            break;
        case OP_BNZ:
            pc = r[in->a & 7] ? in->c : pc;
            break;
        case OP_BLE:
            pc = r[in->a & 7] <= r[in->b & 7] ? in->c : pc;
            break;
        case OP_JMP:
            pc = in->c;
            break;
        default:
            return steps;
        }
    }
    return steps;
}

static void run_interp(const void *params, const CpuBenchEnv *env, Line *l)
{
    const CpuBenchParams *p = params;
    uint64_t r[8] = { p->interp_limit };
    uint64_t steps = interpret(collatz_program, COLLATZ_LEN, r);

    (void)env;
    line_start(l, "interp");
    line_kdec(l, "limit", p->interp_limit);
    line_kdec(l, "chain-steps", r[5]);
    line_kdec(l, "bytecodes", steps);
}

/* ---- Driver ---- */

size_t cpubench_arena_size(const CpuBenchParams *p)
{
    size_t need = p->sieve_limit;

    if (p->crc_bytes > need) {
        need = p->crc_bytes;
    }
    if ((size_t)p->sort_elems * sizeof(uint32_t) > need) {
        need = (size_t)p->sort_elems * sizeof(uint32_t);
    }
    return need;
}

static const BenchKernel kernels[] = {
    { "sieve", run_sieve }, { "crc32", run_crc },     { "muldiv", run_muldiv },
    { "qsort", run_sort },  { "interp", run_interp },
};

uint64_t cpubench_run(const CpuBenchParams *p, const CpuBenchEnv *env)
{
    return bench_run_kernels("cpubench", p->name, kernels, sizeof(kernels) / sizeof(kernels[0]), p,
                             env);
}
