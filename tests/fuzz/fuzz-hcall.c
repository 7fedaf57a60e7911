/*
 * libFuzzer target: the hypercall dispatch (spapr_hypercall, the function
 * `sc 1`, KVM exits and qtest all enter) on the real pseries machine.
 *
 * Input: a 16-bit length and that many bytes copied to guest RAM at
 * FUZZ_WINDOW, then up to 8 calls of 75 bytes each: an opcode selector (a
 * registered opcode, or a raw 16-bit opcode), the CPU, a mask of the
 * arguments that are turned into addresses inside the window, and r4..r12.
 */
#include "fuzz.h"
#include "exec/guest-memory.h"

#define MAX_CALLS 8

static GArray *opcodes; /* target_ulong: every registered hcall */

static void add_opcode(target_ulong opcode, void *opaque)
{
    g_array_append_val(opcodes, opcode);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine();
    opcodes = g_array_new(false, false, sizeof(target_ulong));
    spapr_hypercall_foreach(add_opcode, NULL);
    g_assert_cmpuint(opcodes->len, >, 0);
    return 0;
}

static target_ulong pick_opcode(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);
    uint16_t raw = fuzz_u16(in);

    /* Mostly the table, sometimes anything (unknown, unaligned, private range). */
    if (sel < 0xe0) {
        return g_array_index(opcodes, target_ulong, raw % opcodes->len);
    }
    return raw;
}

typedef struct Call {
    PowerPCCPU *cpu;
    target_ulong opcode;
    target_ulong *args;
} Call;

static void do_call(void *opaque)
{
    Call *c = opaque;

    spapr_hypercall(c->cpu, c->opcode, c->args);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SpaprMachineState *spapr = fuzz_machine();
    FuzzInput in = { data, size, 0 };
    size_t len;
    const uint8_t *ram = fuzz_bytes(&in, fuzz_u16(&in), &len);

    fuzz_machine_reset();
    g_assert_true(guest_write(FUZZ_WINDOW, ram, len));
    for (unsigned n = 0; n < MAX_CALLS && fuzz_left(&in); n++) {
        target_ulong args[SPAPR_HCALL_NARGS];
        target_ulong opcode = pick_opcode(&in);
        PowerPCCPU *cpu = spapr->cpus[fuzz_u8(&in) % spapr->smp_cpus];
        uint16_t addr_mask = fuzz_u16(&in);

        for (unsigned i = 0; i < SPAPR_HCALL_NARGS; i++) {
            args[i] = fuzz_u64(&in);
            if (addr_mask & (1u << i)) {
                args[i] = FUZZ_WINDOW + args[i] % FUZZ_WINDOW_SIZE;
            }
        }
        /*
         * QEMU 7.2 ends the machine on some guest requests (H_CAS: a buffer
         * under its header, both MMUs, XIVE): by design, not a finding.
         */
        if (fuzz_catch_exit(do_call, &(Call){ cpu, opcode, args })) {
            break;
        }
    }
    return 0;
}
