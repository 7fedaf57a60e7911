/*
 * libFuzzer target: the VOF client interface (x-vof=on), entered as the
 * guest's client-interface stub enters it: H_VOF_CLIENT with r4 = an
 * argument block in guest RAM (service name address, nargs, nret, argument
 * cells, result cells), on the real pseries machine.
 *
 * Input: a 16-bit length and that many bytes copied to guest RAM at DATA
 * (strings, buffers, option vectors), then up to 16 calls.  Each call: a
 * service (one of the table, or a name of up to 80 bytes from the input,
 * not always NUL-terminated), a byte of counts (nargs: low nibble, nret:
 * high nibble, so up to 15 each, past the limit of 10), 2 bits per argument
 * saying what it is (a raw cell, an address inside DATA, a small number, or
 * one of the previous call's results: phandles and ihandles flow from
 * finddevice and open to getprop and read), the argument values, and a byte
 * that now and then puts the block somewhere else (past RAM, across its end).
 *
 * Between inputs only VOF is reset (its claims, instances and tree: what
 * spapr_vof_reset() rebuilds from the tree of the machine's reset) unless the
 * input reached the machine: call-method (CAS rebuilds the machine's tree,
 * instantiate-rtas writes RAM), boot, exit, or an error_exit() of CAS; then
 * the whole system is reset.
 */
#include "fuzz.h"
#include "exec/guest-memory.h"
#include "hw/ppc/vof.h"
#include "sysemu/runstate.h"
#include <libfdt.h>

#define MAX_CALLS 16
#define BLOCK FUZZ_WINDOW          /* the argument block: 12 + 4 * 15 bytes at most */
#define NAME (FUZZ_WINDOW + 0x100) /* the service name */
#define DATA (FUZZ_WINDOW + 0x200) /* the input's bytes */
#define DATA_SIZE (FUZZ_WINDOW_SIZE - 0x200)
#define MAX_NAME 80

static const char *const services[] = {
    "finddevice",
    "getprop",
    "getproplen",
    "setprop",
    "nextprop",
    "peer",
    "child",
    "parent",
    "instance-to-package",
    "package-to-path",
    "instance-to-path",
    "canon",
    "open",
    "close",
    "read",
    "write",
    "seek",
    "claim",
    "release",
    "call-method",
    "interpret",
    "milliseconds",
    "quiesce",
    "exit",
    "boot",
    "test",
    "no-such-service",
};

/* Services whose effects reach past VOF's own state (see above). */
static const char *const machine_services[] = { "call-method", "boot", "exit", NULL };

/* The tree the machine's reset served: each light reset serves it again. */
static void *reset_fdt;
static hwaddr reset_initrd_base, reset_initrd_size;

int LLVMFuzzerInitialize(int *argc, char **argv[])
{
    SpaprMachineState *spapr = fuzz_machine();

    g_assert_nonnull(spapr->vof);
    reset_fdt = g_memdup2(spapr->fdt_blob, fdt_totalsize(spapr->fdt_blob));
    reset_initrd_base = spapr->initrd_base;
    reset_initrd_size = spapr->initrd_size;
    return 0;
}

/* VOF as the machine's reset leaves it, without resetting the machine. */
static void vof_light_reset(SpaprMachineState *spapr)
{
    /* setprop of /chosen linux,initrd-* reaches the machine: it is the one bit of it VOF sets. */
    spapr->initrd_base = reset_initrd_base;
    spapr->initrd_size = reset_initrd_size;
    /* spapr_vof_reset() serves spapr->fdt_blob (and frees it); the served tree is vof->fdt. */
    g_free(spapr->vof->fdt);
    spapr->vof->fdt = NULL;
    spapr->fdt_blob = g_memdup2(reset_fdt, fdt_totalsize(reset_fdt));
    spapr_vof_reset(spapr);
    g_assert_true(guest_memset(FUZZ_WINDOW, 0, FUZZ_WINDOW_SIZE));
}

typedef struct Call {
    SpaprMachineState *spapr;
    target_ulong block;
    target_ulong ret;
} Call;

static void do_call(void *opaque)
{
    Call *c = opaque;
    target_ulong hargs[SPAPR_HCALL_NARGS] = { c->block };

    c->ret = spapr_hypercall(c->spapr->cpus[0], KVMPPC_H_VOF_CLIENT, hargs);
}

/* The service name for this call, written at NAME; whether it is one of machine_services. */
static bool put_service(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);
    uint8_t name[MAX_NAME + 1] = { 0 };
    size_t len, want;
    const uint8_t *raw;

    if (sel < 0xf0) {
        const char *s = services[sel % ARRAY_SIZE(services)];

        g_assert_true(guest_write(NAME, s, strlen(s) + 1));
        return g_strv_contains(machine_services, s);
    }
    want = fuzz_u8(in);
    raw = fuzz_bytes(in, MIN(want, MAX_NAME), &len);
    memcpy(name, raw, len);
    /* 0xf0: terminated; otherwise whatever follows in RAM ends it (or nothing does). */
    g_assert_true(guest_write(NAME, name, sel == 0xf0 ? len + 1 : len));
    name[MAX_NAME] = 0;
    return g_strv_contains(machine_services, (const char *)name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SpaprMachineState *spapr = fuzz_machine();
    FuzzInput in = { data, size, 0 };
    uint32_t prev[VOF_MAX_CELLS] = { 0 };
    bool machine = false;
    size_t want = fuzz_u16(&in), len;
    const uint8_t *ram = fuzz_bytes(&in, MIN(want, DATA_SIZE), &len);

    g_assert_true(guest_write(DATA, ram, len));
    for (unsigned n = 0; n < MAX_CALLS && fuzz_left(&in); n++) {
        Call c = { spapr, BLOCK, 0 };
        uint8_t counts, where;
        uint32_t nargs, nret, modes;

        machine |= put_service(&in);
        counts = fuzz_u8(&in);
        nargs = counts & 0xf;
        nret = counts >> 4;
        modes = fuzz_u32(&in);
        g_assert_true(guest_stl_be(BLOCK, NAME));
        g_assert_true(guest_stl_be(BLOCK + 4, nargs));
        g_assert_true(guest_stl_be(BLOCK + 8, nret));
        for (uint32_t i = 0; i < nargs; i++) {
            uint32_t v;

            switch (modes >> (2 * i) & 3) {
            case 0:
                v = fuzz_u32(&in);
                break;
            case 1:
                v = DATA + fuzz_u16(&in) % DATA_SIZE;
                break;
            case 2:
                v = fuzz_u8(&in);
                break;
            default:
                v = prev[fuzz_u8(&in) % VOF_MAX_CELLS];
                break;
            }
            g_assert_true(guest_stl_be(BLOCK + 12 + 4 * i, v));
        }
        for (uint32_t i = nargs; i < nargs + nret; i++) {
            g_assert_true(guest_stl_be(BLOCK + 12 + 4 * i, 0));
        }
        where = fuzz_u8(&in);
        if (where == 0xff) {
            c.block = fuzz_u64(&in);
        } else if (where == 0xfe) {
            /* The results, or the whole block, past the end of RAM. */
            c.block = FUZZ_RAM_SIZE - fuzz_u8(&in);
        }
        if (fuzz_catch_exit(do_call, &c)) {
            machine = true;
            break;
        }
        g_assert_true(c.ret == H_SUCCESS || c.ret == (target_ulong)H_PARAMETER);
        for (uint32_t i = 0; i < nret && i < VOF_MAX_CELLS && c.block == BLOCK; i++) {
            g_assert_true(guest_ldl_be(BLOCK + 12 + 4 * (nargs + i), &prev[i]));
        }
    }
    if (machine) {
        /* exit stops the VM from the main loop: let it, then start over. */
        while (g_main_context_iteration(NULL, false)) {
            continue;
        }
        fuzz_machine_reset();
    } else {
        vof_light_reset(spapr);
    }
    return 0;
}
