/* Guest runtime core: start-up after crt0, hypercalls, RTAS calls through H_RTAS,
 * exit through power-off / ibm,os-term, check bookkeeping, and the C string basics. */
#include "guest.h"

/* RTAS argument block limits: token, nargs, nret, then args and rets. */
#define RTAS_MAX_ARGS 8
#define RTAS_MAX_RETS 8

unsigned guest_checks;
unsigned guest_failures;
uint64_t guest_boot_msr;
static const void *boot_fdt;

void guest_start(void *fdt, uint64_t msr) __attribute__((noreturn));

int64_t guest_hcall(uint64_t opcode, uint64_t regs[9])
{
    register uint64_t r3 asm("r3") = opcode;
    register uint64_t r4 asm("r4") = regs[0];
    register uint64_t r5 asm("r5") = regs[1];
    register uint64_t r6 asm("r6") = regs[2];
    register uint64_t r7 asm("r7") = regs[3];
    register uint64_t r8 asm("r8") = regs[4];
    register uint64_t r9 asm("r9") = regs[5];
    register uint64_t r10 asm("r10") = regs[6];
    register uint64_t r11 asm("r11") = regs[7];
    register uint64_t r12 asm("r12") = regs[8];

    /* PAPR: r3-r12, CR, CTR and XER are volatile across an hcall. */
    asm volatile("sc 1"
                 : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9), "+r"(r10),
                   "+r"(r11), "+r"(r12)
                 :
                 : "r0", "cr0", "cr1", "cr5", "cr6", "cr7", "ctr", "xer", "memory");
    regs[0] = r4;
    regs[1] = r5;
    regs[2] = r6;
    regs[3] = r7;
    regs[4] = r8;
    regs[5] = r9;
    regs[6] = r10;
    regs[7] = r11;
    regs[8] = r12;
    return (int64_t)r3;
}

int64_t __attribute__((noinline)) guest_cede(void)
{
    register uint64_t r3 asm("r3") = H_CEDE;

    asm volatile("sc 1\n"
                 ".globl guest_cede_return\n"
                 "guest_cede_return:\n"
                 : "+r"(r3)
                 :
                 : "r0", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "cr1",
                   "cr5", "cr6", "cr7", "ctr", "xer", "memory");
    return (int64_t)r3;
}

/* One RTAS call with the argument block at @block (room for the largest). */
static int32_t rtas_call(uint32_t *block, const char *service, int nargs, int nret,
                         const uint32_t *args, uint32_t *rets)
{
    uint64_t regs[9] = { 0 };
    uint32_t token;

    if (nargs < 0 || nargs > RTAS_MAX_ARGS || nret < 1 || nret > RTAS_MAX_RETS ||
        !guest_fdt_u32(boot_fdt, "/rtas", service, &token)) {
        return RTAS_HW_ERROR;
    }
    guest_set_be32(&block[0], token);
    guest_set_be32(&block[1], nargs);
    guest_set_be32(&block[2], nret);
    for (int i = 0; i < nargs; i++) {
        guest_set_be32(&block[3 + i], args[i]);
    }
    for (int i = 0; i < nret; i++) {
        guest_set_be32(&block[3 + nargs + i], (uint32_t)RTAS_HW_ERROR);
    }
    regs[0] = (uintptr_t)block;
    if (guest_hcall(H_RTAS, regs) != H_SUCCESS) {
        return RTAS_HW_ERROR;
    }
    for (int i = 0; rets && i < nret; i++) {
        rets[i] = guest_be32(&block[3 + nargs + i]);
    }
    return (int32_t)guest_be32(&block[3 + nargs]);
}

int32_t guest_rtas(const char *service, int nargs, int nret, const uint32_t *args, uint32_t *rets)
{
    /* The block is read by the hypervisor as big-endian u32s in guest RAM. */
    static uint32_t block[3 + RTAS_MAX_ARGS + RTAS_MAX_RETS] __attribute__((aligned(8)));

    return rtas_call(block, service, nargs, nret, args, rets);
}

int32_t guest_rtas_local(const char *service, int nargs, int nret, const uint32_t *args,
                         uint32_t *rets)
{
    uint32_t block[3 + RTAS_MAX_ARGS + RTAS_MAX_RETS] __attribute__((aligned(8)));

    return rtas_call(block, service, nargs, nret, args, rets);
}

bool guest_oracle(void)
{
    uint32_t len;
    const char *name =
        guest_fdt_prop(boot_fdt, guest_fdt_node(boot_fdt, "/"), "ibm,partition-name", &len);

    return name && len == sizeof("guest-oracle") && !strcmp(name, "guest-oracle");
}

/*
 * After a successful power-off or os-term the machine stops asynchronously: the CPU
 * may run on for a moment, so wait quietly. If RTAS refused, say so and wait for
 * the test's timeout.
 */
static void __attribute__((noreturn)) wait_for_end(const char *service, int32_t status)
{
    if (status != 0) {
        guest_printf("guest: RTAS %s failed with status %d\n", service, status);
        guest_flush();
    }
    for (;;) {
    }
}

void guest_fail(const char *msg)
{
    uint32_t arg = (uint32_t)(uintptr_t)msg;

    guest_flush();
    guest_printf("FAIL: %s\n", msg);
    wait_for_end("ibm,os-term", guest_rtas("ibm,os-term", 1, 1, &arg, NULL));
}

void guest_exit(int status)
{
    static const uint32_t zero[2];

    guest_flush();
    if (status != 0) {
        guest_fail("guest_exit with a non-zero status");
    }
    wait_for_end("power-off", guest_rtas("power-off", 2, 1, zero, NULL));
}

/* __FILE__ without its directories: the build passes paths relative to its tree. */
static const char *base_name(const char *path)
{
    const char *b = path;

    for (; *path; path++) {
        if (*path == '/') {
            b = path + 1;
        }
    }
    return b;
}

bool guest_check(bool ok, const char *expr, const char *file, int line)
{
    guest_checks++;
    if (!ok) {
        guest_failures++;
        guest_printf("FAIL %s:%d: CHECK(%s)\n", base_name(file), line, expr);
    }
    return ok;
}

bool guest_check_eq(uint64_t a, uint64_t b, const char *sa, const char *sb, const char *file,
                    int line)
{
    guest_checks++;
    if (a != b) {
        guest_failures++;
        guest_printf("FAIL %s:%d: CHECK_EQ(%s, %s): 0x%lx != 0x%lx\n", base_name(file), line, sa,
                     sb, a, b);
    }
    return a == b;
}

void guest_start(void *fdt, uint64_t msr)
{
    int ret;

    guest_boot_msr = msr;
    guest_trap_init();
    if (!guest_fdt_valid(fdt)) {
        /* Without /rtas there is no way to stop the machine: wait for the timeout. */
        guest_puts("guest: r3 does not point to a device tree\n");
        guest_flush();
        for (;;) {
        }
    }
    boot_fdt = fdt;
    ret = main(fdt);
    guest_printf("%s-%s: %u checks, %u failed\n", GUEST_PROG, GUEST_VARIANT, guest_checks,
                 guest_failures);
    if (guest_failures) {
        guest_fail(GUEST_PROG "-" GUEST_VARIANT ": checks failed");
    }
    if (ret != 0) {
        guest_fail(GUEST_PROG "-" GUEST_VARIANT ": main returned non-zero");
    }
    guest_exit(0);
}

void *memset(void *s, int c, size_t n)
{
    uint8_t *p = s;

    while (n--) {
        *p++ = (uint8_t)c;
    }
    return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    while (n--) {
        *dp++ = *sp++;
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *pa = a, *pb = b;

    for (; n; n--, pa++, pb++) {
        if (*pa != *pb) {
            return *pa - *pb;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (uint8_t)*a - (uint8_t)*b;
}
