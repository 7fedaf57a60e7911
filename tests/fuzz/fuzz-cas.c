/*
 * libFuzzer target: ibm,client-architecture-support through H_CAS, the way
 * SLOF and the kernel's prom_init reach it: r4 = the PVR list and option
 * vectors in guest RAM, r5/r6 = the buffer that receives the header and the
 * new device tree, on the real pseries machine.
 *
 * Input: a 16-bit length and that many bytes copied to guest RAM at
 * FUZZ_WINDOW (the PVR mask/value pairs, then the vector table), then up to
 * 4 calls.  Each call: the CPU, where the vectors start (an offset into the
 * window, with the top four address bits, which H_CAS ignores, sometimes
 * set), and a byte choosing the buffer (usually 1 MiB at BUF, sometimes any
 * address and size: too small for the tree, outside RAM, or under the
 * 4-byte header, where QEMU 7.2 ends the machine).
 *
 * What H_CAS promises is checked: a refused call changes neither the
 * negotiated state nor the machine's tree; an accepted one leaves a tree that
 * passes libfdt's full check, in the buffer and as the machine's.
 * error_exit() (the modes QEMU 7.2 refuses by ending the machine) is caught.
 * The machine is reset after an input only if a call was accepted or ended it.
 */
#include "fuzz.h"
#include "exec/guest-memory.h"
#include "hw/ppc/spapr_cas.h"
#include <libfdt.h>

#define MAX_CALLS 4
#define BUF (16 * 1024 * 1024)
#define BUF_SIZE (1024 * 1024)
#define CAS_HEADER 4 /* what H_CAS writes before the tree */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine();
    return 0;
}

typedef struct Call {
    SpaprMachineState *spapr;
    PowerPCCPU *cpu;
    target_ulong args[SPAPR_HCALL_NARGS];
    target_ulong ret;
} Call;

static void do_call(void *opaque)
{
    Call *c = opaque;

    c->ret = spapr_hypercall(c->cpu, KVMPPC_H_CAS, c->args);
}

/* The tree H_CAS wrote after its header: whole, and the machine's. */
static void check_buffer(SpaprMachineState *spapr, target_ulong buf)
{
    g_autofree uint8_t *copy = g_malloc(spapr->fdt_size);

    g_assert_cmpint(fdt_check_full(spapr->fdt_blob, spapr->fdt_size), ==, 0);
    g_assert_true(guest_read(buf + CAS_HEADER, copy, spapr->fdt_size));
    g_assert_cmpmem(copy, spapr->fdt_size, spapr->fdt_blob, spapr->fdt_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SpaprMachineState *spapr = fuzz_machine();
    FuzzInput in = { data, size, 0 };
    bool changed = false;
    size_t len;
    const uint8_t *ram = fuzz_bytes(&in, fuzz_u16(&in), &len);

    g_assert_true(guest_write(FUZZ_WINDOW, ram, len));
    for (unsigned n = 0; n < MAX_CALLS && fuzz_left(&in); n++) {
        Call c = { .spapr = spapr, .cpu = spapr->cpus[fuzz_u8(&in) % spapr->smp_cpus] };
        SpaprCasState before = spapr->cas;
        void *fdt_before = spapr->fdt_blob;
        uint16_t offset = fuzz_u16(&in);
        uint8_t top = fuzz_u8(&in);
        uint8_t buf_sel = fuzz_u8(&in);

        c.args[0] = FUZZ_WINDOW + offset % FUZZ_WINDOW_SIZE;
        if (top >= 0xf0) {
            c.args[0] |= (target_ulong)(top & 0xf) << 60;
        }
        c.args[1] = BUF;
        c.args[2] = BUF_SIZE;
        if (buf_sel >= 0xf0) {
            c.args[1] = buf_sel & 1 ? fuzz_u64(&in) : BUF;
            c.args[2] = buf_sel & 2 ? fuzz_u64(&in) : fuzz_u16(&in);
        }
        if (fuzz_catch_exit(do_call, &c)) {
            changed = true;
            break;
        }
        if (c.ret == H_SUCCESS) {
            g_assert_true(spapr->cas.done);
            check_buffer(spapr, c.args[1]);
            changed = true;
        } else {
            g_assert_cmphex(spapr->cas.compat_pvr, ==, before.compat_pvr);
            g_assert_cmpmem(spapr->cas.ov5, sizeof(before.ov5), before.ov5, sizeof(before.ov5));
            g_assert_true(spapr->cas.pre_isa3_guest == before.pre_isa3_guest);
            g_assert_true(spapr->cas.done == before.done);
            g_assert_true(spapr->fdt_blob == fdt_before);
        }
    }
    if (changed) {
        fuzz_machine_reset();
    } else {
        g_assert_true(guest_memset(FUZZ_WINDOW, 0, FUZZ_WINDOW_SIZE));
    }
    return 0;
}
