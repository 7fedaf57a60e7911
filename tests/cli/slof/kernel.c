/*
 * A tiny -kernel for the SLOF tests: entered by the firmware as Linux is, with
 * r5 the client-interface entry, it prints through the firmware's stdout,
 * reads the power-off RTAS token from the tree and powers the machine off.
 */
#include <stdint.h>

typedef int (*ci_entry_fn)(uint32_t *args);

static ci_entry_fn ci_entry;

/* The stack: 64 KiB in .bss, used from the top down. */
uint64_t kernel_stack[8192] __attribute__((aligned(16)));

void kernel_main(uint64_t r3, uint64_t r4, uint64_t r5);

__asm__(".section .text.entry, \"ax\"\n"
        ".globl _start\n"
        "_start:\n"
        "    lis 1, (kernel_stack + 65536 - 64)@highest\n"
        "    ori 1, 1, (kernel_stack + 65536 - 64)@higher\n"
        "    rldicr 1, 1, 32, 31\n"
        "    oris 1, 1, (kernel_stack + 65536 - 64)@h\n"
        "    ori 1, 1, (kernel_stack + 65536 - 64)@l\n"
        "    lis 2, .TOC.@highest\n"
        "    ori 2, 2, .TOC.@higher\n"
        "    rldicr 2, 2, 32, 31\n"
        "    oris 2, 2, .TOC.@h\n"
        "    ori 2, 2, .TOC.@l\n"
        "    lis 12, kernel_main@highest\n"
        "    ori 12, 12, kernel_main@higher\n"
        "    rldicr 12, 12, 32, 31\n"
        "    oris 12, 12, kernel_main@h\n"
        "    ori 12, 12, kernel_main@l\n"
        "    mtctr 12\n"
        "    bctrl\n"
        "0:  b 0b\n"
        ".text\n");

/* One client-interface call: service name, arguments in, results out (cells). */
static uint32_t ci_call(const char *service, int nargs, int nret, const uint32_t *in, uint32_t *out)
{
    uint32_t args[16];
    int i;

    args[0] = (uint32_t)(uintptr_t)service;
    args[1] = nargs;
    args[2] = nret;
    for (i = 0; i < nargs; i++) {
        args[3 + i] = in[i];
    }
    if (ci_entry(args) < 0) {
        return -1;
    }
    for (i = 0; i < nret; i++) {
        out[i] = args[3 + nargs + i];
    }
    return 0;
}

static uint32_t finddevice(const char *path)
{
    uint32_t in[1] = { (uint32_t)(uintptr_t)path }, out[1] = { 0 };

    ci_call("finddevice", 1, 1, in, out);
    return out[0];
}

static int getprop_u32(uint32_t ph, const char *name, uint32_t *val)
{
    uint32_t in[4] = { ph, (uint32_t)(uintptr_t)name, (uint32_t)(uintptr_t)val, 4 };
    uint32_t out[1] = { 0 };

    ci_call("getprop", 4, 1, in, out);
    return out[0] == 4 ? 0 : -1;
}

static uint32_t stdout_ih;

static void puts_ci(const char *s)
{
    uint32_t len = 0, in[3], out[1];

    while (s[len]) {
        len++;
    }
    in[0] = stdout_ih;
    in[1] = (uint32_t)(uintptr_t)s;
    in[2] = len;
    ci_call("write", 3, 1, in, out);
}

/* H_RTAS (0xf000): r4 = the argument block, as SLOF's own RTAS stub passes it. */
static void rtas_power_off(uint32_t token)
{
    static uint32_t block[6] __attribute__((aligned(8)));
    register uint64_t r3 __asm__("r3") = 0xf000;
    register uint64_t r4 __asm__("r4") = (uintptr_t)block;

    block[0] = token;
    block[1] = 2;
    block[2] = 1;
    block[3] = 0;
    block[4] = 0;
    block[5] = 0xdead;
    __asm__ volatile("sc 1"
                     : "+r"(r3), "+r"(r4)
                     :
                     : "memory", "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0",
                       "ctr", "xer");
}

void kernel_main(uint64_t r3, uint64_t r4, uint64_t r5)
{
    uint32_t chosen, rtas, token = 0;

    /* r3/r4: the initrd's address and size (none here). */
    (void)r3;
    (void)r4;
    ci_entry = (ci_entry_fn)(uintptr_t)r5;
    chosen = finddevice("/chosen");
    if (getprop_u32(chosen, "stdout", &stdout_ih) < 0) {
        return;
    }
    puts_ci("slof-kernel: hello through the client interface\r\n");
    rtas = finddevice("/rtas");
    if (getprop_u32(rtas, "power-off", &token) < 0) {
        puts_ci("slof-kernel: no power-off token\r\n");
        return;
    }
    puts_ci("slof-kernel: powering off\r\n");
    rtas_power_off(token);
    puts_ci("slof-kernel: still running after power-off\r\n");
}
