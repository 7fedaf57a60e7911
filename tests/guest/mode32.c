/* 32-bit mode (MSR[SF] = 0, set with mtmsrd): effective addresses and branch targets
 * lose their high word, CR0 and the carry come from the low word, the CTR test of bdnz
 * looks at the low word, while registers keep all 64 bits. */
#include "insn.h"

enum {
    R_ADD,       /* add. 0xffffffff + 1: RT keeps 64 bits */
    R_ADD_CR,    /* ... CR0 from the low word (zero) */
    R_ADDC_XER,  /* addc 0xffffffff + 1: carry out of bit 32 */
    R_LOAD,      /* ld through an address with a non-zero high word */
    R_UPDATE_RA, /* lwzu: RA receives the truncated address */
    R_BDNZ,      /* 1 if bdnz with CTR = 0x1_0000_0001 fell through */
    R_CTR,       /* CTR after it */
    R_BCTR,      /* 1 if bctr to high-word | label reached the label */
    R_NEG_CR,    /* or. of 0x80000000: negative as a word */
    R_MSR,       /* MSR while in 32-bit mode */
    R_COUNT
};

static uint64_t target __attribute__((aligned(8))) = 0x0123456789abcdefULL;

static void run_32bit(uint64_t *res)
{
    asm volatile(
        /* Clear MSR[SF] (bit 0); r11 keeps the MSR to go back to 64-bit mode. */
        "mfmsr 11\n\t"
        "rldicl 12,11,0,1\n\t"
        "mtmsrd 12\n\t"
        "mfmsr 12\n\tstd 12,%[msr](%[r])\n\t"
        "li 12,0\n\tmtxer 12\n\t"
        "li 9,-1\n\tclrldi 9,9,32\n\tli 10,1\n\t"
        "add. 12,9,10\n\tmfcr 10\n\t"
        "std 12,%[add](%[r])\n\tstd 10,%[addcr](%[r])\n\t"
        "li 10,1\n\taddc 12,9,10\n\tmfxer 10\n\tstd 10,%[addc](%[r])\n\t"
        /* 0xdeadbeef in the high word of the address is ignored. */
        "lis 12,0xdead\n\tori 12,12,0xbeef\n\tsldi 12,12,32\n\tor 12,12,%[tgt]\n\t"
        "ld 10,0(12)\n\tstd 10,%[load](%[r])\n\t"
        "mr 9,12\n\tlwzu 10,0(9)\n\tstd 9,%[upd](%[r])\n\t"
        /* bdnz: CTR becomes 0x1_0000_0000, whose low word is zero. */
        "li 10,1\n\tsldi 10,10,32\n\taddi 10,10,1\n\tmtctr 10\n\t"
        "li 9,0\n\tbdnz 1f\n\tli 9,1\n"
        "1:\tstd 9,%[bdnz](%[r])\n\tmfctr 10\n\tstd 10,%[ctr](%[r])\n\t"
        "lis 10,2f@ha\n\taddi 10,10,2f@l\n\tli 9,-1\n\tsldi 9,9,32\n\tor 10,10,9\n\t"
        "mtctr 10\n\tli 9,0\n\tbctr\n\tb 3f\n"
        "2:\tli 9,1\n"
        "3:\tstd 9,%[bctr](%[r])\n\t"
        "li 12,-1\n\tclrldi 12,12,33\n\taddi 12,12,1\n\tor. 12,12,12\n\t"
        "mfcr 10\n\tstd 10,%[neg](%[r])\n\t"
        "mtmsrd 11"
        :
        : [r] "b"(res), [tgt] "r"(&target), [add] "i"(8 * R_ADD), [addcr] "i"(8 * R_ADD_CR),
          [addc] "i"(8 * R_ADDC_XER), [load] "i"(8 * R_LOAD), [upd] "i"(8 * R_UPDATE_RA),
          [bdnz] "i"(8 * R_BDNZ), [ctr] "i"(8 * R_CTR), [bctr] "i"(8 * R_BCTR),
          [neg] "i"(8 * R_NEG_CR), [msr] "i"(8 * R_MSR)
        : "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
}

int main(void *fdt)
{
    uint64_t res[R_COUNT] = { 0 };
    uint64_t msr;

    run_32bit(res);
    asm volatile("mfmsr %0" : "=r"(msr));
    CHECK_EQ(res[R_MSR] & PPC_BIT(0), 0);
    CHECK_EQ(msr & PPC_BIT(0), PPC_BIT(0));
    CHECK_EQ(res[R_ADD], 0x100000000ULL);
    CHECK_EQ(CR_FIELD(res[R_ADD_CR], 0), CR_EQ);
    CHECK_EQ(res[R_ADDC_XER] & XER_FLAGS, XER_CA | XER_CA32);
    CHECK_EQ(res[R_LOAD], 0x0123456789abcdefULL);
    CHECK_EQ(res[R_UPDATE_RA], (uint64_t)(uintptr_t)&target);
    CHECK_EQ(res[R_BDNZ], 1);
    CHECK_EQ(res[R_CTR], 0x100000000ULL);
    CHECK_EQ(res[R_BCTR], 1);
    CHECK_EQ(CR_FIELD(res[R_NEG_CR], 0), CR_LT);
    return 0;
}
