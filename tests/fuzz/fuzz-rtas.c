/*
 * libFuzzer target: RTAS through H_RTAS, the way the guest's RTAS stub calls
 * it: an argument block in guest RAM (token, nargs, nret, arguments) whose
 * address is r4, on the real pseries machine.
 *
 * Input: up to 8 calls, each a token selector (a registered service, or a
 * raw 32-bit token), nargs and nret (usually small), a mask of the
 * arguments made into addresses inside the window, and the argument cells.
 */
#include "fuzz.h"
#include "exec/guest-memory.h"
#include "hw/ppc/spapr_rtas.h"

#define MAX_CALLS 8
#define BLOCK FUZZ_WINDOW /* the argument block; buffers follow it */

static GArray *tokens; /* uint32_t: every registered service */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_machine();
    tokens = g_array_new(false, false, sizeof(uint32_t));
    for (uint32_t t = RTAS_TOKEN_BASE; t < RTAS_TOKEN_MAX; t++) {
        if (spapr_rtas_name(t)) {
            g_array_append_val(tokens, t);
        }
    }
    g_assert_cmpuint(tokens->len, >, 0);
    return 0;
}

static uint32_t pick_token(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);
    uint32_t raw = fuzz_u32(in);

    if (sel < 0xe0) {
        return g_array_index(tokens, uint32_t, raw % tokens->len);
    }
    return raw;
}

/* Mostly the counts a caller would use, sometimes huge ones. */
static uint32_t pick_count(FuzzInput *in)
{
    uint8_t c = fuzz_u8(in);

    return c < 0xf0 ? c % 16 : fuzz_u32(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SpaprMachineState *spapr = fuzz_machine();
    FuzzInput in = { data, size, 0 };

    fuzz_machine_reset();
    for (unsigned n = 0; n < MAX_CALLS && fuzz_left(&in); n++) {
        target_ulong hargs[SPAPR_HCALL_NARGS] = { BLOCK };
        uint32_t token = pick_token(&in);
        uint32_t nargs = pick_count(&in);
        uint32_t nret = pick_count(&in);
        uint16_t addr_mask = fuzz_u16(&in);

        g_assert_true(guest_stl_be(BLOCK, token));
        g_assert_true(guest_stl_be(BLOCK + 4, nargs));
        g_assert_true(guest_stl_be(BLOCK + 8, nret));
        for (uint32_t i = 0; i < MIN(nargs, 16); i++) {
            uint32_t v = fuzz_u32(&in);

            if (addr_mask & (1u << i)) {
                v = BLOCK + 0x100 + v % (FUZZ_WINDOW_SIZE - 0x100);
            }
            g_assert_true(guest_stl_be(BLOCK + 12 + 4 * i, v));
        }
        /* Sometimes the block itself is elsewhere: its end past RAM, or not in RAM at all. */
        if (fuzz_u8(&in) == 0xff) {
            hargs[0] = fuzz_u64(&in);
        }
        spapr_hypercall(spapr->cpus[0], KVMPPC_H_RTAS, hargs);
    }
    return 0;
}
