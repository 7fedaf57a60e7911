/* Load string word (lswi, lswx) in the cases bare-metal suites check, against QEMU
 * 7.2: the last register part-filled with zeros, a byte count of 0 (lswi: 32 bytes),
 * the register range wrapping from r31 to r0, and RA (lswi) or RB (lswx) inside the
 * range (an invalid form: illegal instruction, nothing loaded); in a little-endian
 * image both take an alignment interrupt. */
#include "insn.h"

#define VEC_ALIGNMENT 0x600
#define VEC_PROGRAM 0x700
#define SRR1_ILLEGAL PPC_BIT(44)

static uint8_t bytes[128] __attribute__((aligned(16)));

#ifdef __LITTLE_ENDIAN__
static void test_little_endian(void)
{
    struct guest_trap t;
    uint64_t r = 0x1111;

    guest_trap_expect();
    asm volatile("mr 12, %1\n\t.long 0x7d6c24aa\n\tmr %0, 11" /* lswi r11, r12, 4 */
                 : "+r"(r)
                 : "r"(bytes)
                 : "r11", "r12", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_ALIGNMENT);
    CHECK_EQ(t.dar, guest_oracle() ? t.dar : (uint64_t)bytes);

    guest_trap_expect();
    asm volatile("li 0, 4\n\tmtxer 0\n\tmr 11, %0\n\t.long 0x7d805c2a" /* lswx r12, 0, r11 */
                 :
                 : "r"(bytes)
                 : "r0", "r11", "r12", "xer", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_ALIGNMENT);
}
#else
static void test_big_endian(void)
{
    struct guest_trap t;
    uint64_t o[9];

    /* 3 bytes: the fourth byte of r11 is 0, r12 untouched */
    asm volatile("li 12, -1\n\tmr 11, 12\n\tlswi 11, %[a], 3\n\tstd 11, 0(%[o])\n\t"
                 "std 12, 8(%[o])"
                 :
                 : [a] "b"(bytes), [o] "b"(o)
                 : "r11", "r12", "memory");
    CHECK_EQ(o[0], 0x01020300);
    CHECK_EQ(o[1], ~0ULL);

    /* NB = 0 is 32 bytes: r11-r18, r19 untouched (r13, the runtime's, kept in r20) */
    asm volatile("mr 20, 13\n\t"
                 "li 19, -1\n\tmr 11, 19\n\tmr 12, 19\n\tmr 13, 19\n\tmr 14, 19\n\t"
                 "mr 15, 19\n\tmr 16, 19\n\tmr 17, 19\n\tmr 18, 19\n\t"
                 "lswi 11, %[a], 0\n\t"
                 "std 11, 0(%[o])\n\tstd 12, 8(%[o])\n\tstd 13, 16(%[o])\n\t"
                 "std 14, 24(%[o])\n\tstd 15, 32(%[o])\n\tstd 16, 40(%[o])\n\t"
                 "std 17, 48(%[o])\n\tstd 18, 56(%[o])\n\tstd 19, 64(%[o])\n\t"
                 "mr 13, 20"
                 :
                 : [a] "b"(bytes), [o] "b"(o)
                 : "r11", "r12", "r14", "r15", "r16", "r17", "r18", "r19", "r20", "memory");
    for (unsigned i = 0; i < 8; i++) {
        uint32_t b = 4 * i + 1;

        CHECK_EQ(o[i], b << 24 | (b + 1) << 16 | (b + 2) << 8 | (b + 3));
    }
    CHECK_EQ(o[8], ~0ULL);

    /* wrapping from r31 to r0 */
    asm volatile("li 31, -1\n\tmr 0, 31\n\tlswi 31, %[a], 8\n\tstd 31, 0(%[o])\n\t"
                 "std 0, 8(%[o])"
                 :
                 : [a] "b"(bytes), [o] "b"(o)
                 : "r0", "r31", "memory");
    CHECK_EQ(o[0], 0x01020304);
    CHECK_EQ(o[1], 0x05060708);

    /*
     * lswi r31, r1, 10: r31, r0, then r1 = RA: an invalid form, which QEMU 7.2
     * (and we) refuse with an illegal-instruction program interrupt, loading
     * nothing.
     */
    guest_trap_expect();
    asm volatile("mr 29, 1\n\tmr 28, 2\n\tli 31, -1\n\tmr 0, 31\n\tmr 2, 31\n\tmr 1, %[a]\n\t"
                 ".long 0x7fe154aa\n\tstd 31, 0(%[o])\n\tstd 0, 8(%[o])\n\tstd 1, 16(%[o])\n\t"
                 "std 2, 24(%[o])\n\tmr 1, 29\n\tmr 2, 28"
                 :
                 : [a] "b"(bytes), [o] "b"(o)
                 : "r0", "r28", "r29", "r31", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK(t.srr1 & SRR1_ILLEGAL);
    CHECK_EQ(o[0], ~0ULL);
    CHECK_EQ(o[1], ~0ULL);
    CHECK_EQ(o[2], (uint64_t)bytes);
    CHECK_EQ(o[3], ~0ULL);

    /* lswx with XER = 3, 32, 8 */
    asm volatile("li 0, 3\n\tmtxer 0\n\tli 12, -1\n\tmr 11, 12\n\tlswx 11, 0, %[a]\n\t"
                 "std 11, 0(%[o])\n\tstd 12, 8(%[o])"
                 :
                 : [a] "b"(bytes), [o] "b"(o)
                 : "r0", "r11", "r12", "xer", "memory");
    CHECK_EQ(o[0], 0x01020300);
    CHECK_EQ(o[1], ~0ULL);
    asm volatile("mr 20, 13\n\t"
                 "li 0, 32\n\tmtxer 0\n\tli 19, -1\n\tmr 18, 19\n\tlswx 11, 0, %[a]\n\t"
                 "std 11, 0(%[o])\n\tstd 18, 8(%[o])\n\tstd 19, 16(%[o])\n\tmr 13, 20"
                 :
                 : [a] "b"(bytes), [o] "b"(o)
                 : "r0", "r11", "r12", "r14", "r15", "r16", "r17", "r18", "r19", "r20", "xer",
                   "memory");
    CHECK_EQ(o[0], 0x01020304);
    CHECK_EQ(o[1], 0x1d1e1f20);
    CHECK_EQ(o[2], ~0ULL);

    /* lswx r31, 0, r0 with 12 bytes: r31, r0 = RB, r1: invalid as well */
    guest_trap_expect();
    asm volatile("li 9, 12\n\tmtxer 9\n\tmr 29, 1\n\tmr 28, 2\n\tli 31, -1\n\tmr 1, 31\n\t"
                 "mr 2, 31\n\tmr 0, %[a]\n\tlswx 31, 0, 0\n\tstd 31, 0(%[o])\n\t"
                 "std 0, 8(%[o])\n\tstd 1, 16(%[o])\n\tstd 2, 24(%[o])\n\tmr 1, 29\n\tmr 2, 28"
                 :
                 : [a] "b"(bytes), [o] "b"(o)
                 : "r0", "r9", "r28", "r29", "r31", "xer", "memory");
    guest_trap_taken(&t);
    CHECK_EQ(t.vector, VEC_PROGRAM);
    CHECK(t.srr1 & SRR1_ILLEGAL);
    CHECK_EQ(o[0], ~0ULL);
    CHECK_EQ(o[1], (uint64_t)bytes);
    CHECK_EQ(o[2], ~0ULL);
    CHECK_EQ(o[3], ~0ULL);
}
#endif

int main(void *fdt)
{
    guest_trap_init();
    for (unsigned i = 0; i < sizeof(bytes); i++) {
        bytes[i] = i + 1;
    }
#ifdef __LITTLE_ENDIAN__
    test_little_endian();
#else
    test_big_endian();
#endif
    return 0;
}
