/*
 * A guest for live migration of the hashed page table: it keeps entering and
 * removing PTEs (H_ENTER with H_EXACT, H_REMOVE) in 16384 slots spread over
 * the table at a steady pace while it prints rounds, keeping its own copy of
 * what each slot holds.  Once 'q' is typed (tests/guest/run-migration.py) it
 * reads every slot back with H_READ: a PTE the migration lost, or an old copy
 * of a chunk, makes a slot differ.  H_REMOVE checks the PTE it removes too.
 */
#include "insn.h"

#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_READ 0x0c
#define H_EXACT PPC_BIT(24)
#define V_VALID 0x1ULL
#define V_DIRTY 0x40ULL /* QEMU's HPTE_DIRTY, in every PTE H_ENTER stored */
#define R_M 0x10ULL

#define SLOTS 16384u
#define SLOT_STRIDE 29u /* PTE index of slot i: i * SLOT_STRIDE, over 464K PTEs */
#define RATE 20000u     /* hcalls per second */
#define STEPS_PER_ROUND 200u
#define TB_HZ 512000000ull

static uint64_t shadow_v[SLOTS], shadow_r[SLOTS];

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

/* One step: enter a PTE in an empty slot, or remove the one a full slot holds. */
static void step_once(uint32_t step)
{
    uint32_t i = mix(step) % SLOTS;
    uint64_t regs[9] = { 0 };
    int64_t rc;

    if (!(shadow_v[i] & V_VALID)) {
        uint64_t pteh = ((mix(step ^ 0x5555) & 0x00ffffffffffull) << 7) | V_VALID;
        uint64_t ptel = ((uint64_t)(step % 16384) << 12) | R_M;

        regs[0] = H_EXACT;
        regs[1] = (uint64_t)i * SLOT_STRIDE;
        regs[2] = pteh;
        regs[3] = ptel;
        rc = guest_hcall(H_ENTER, regs);
        CHECK_EQ(rc, 0);
        shadow_v[i] = pteh | V_DIRTY;
        shadow_r[i] = ptel;
    } else {
        regs[0] = 0;
        regs[1] = (uint64_t)i * SLOT_STRIDE;
        rc = guest_hcall(H_REMOVE, regs);
        CHECK_EQ(rc, 0);
        CHECK_EQ(regs[0], shadow_v[i]);
        CHECK_EQ(regs[1], shadow_r[i]);
        shadow_v[i] = V_DIRTY;
        shadow_r[i] = 0;
    }
}

int main(void *fdt)
{
    uint64_t start, last_tb;
    uint32_t step = 0, round = 0, bad = 0;

    for (uint32_t i = 0; i < SLOTS; i++) {
        shadow_v[i] = V_DIRTY;
    }
    start = last_tb = guest_mftb();
    do {
        for (uint32_t s = 0; s < STEPS_PER_ROUND; s++, step++) {
            uint64_t due = start + (uint64_t)step * (TB_HZ / RATE), tb;

            while ((tb = guest_mftb()) < due) {
                CHECK(tb >= last_tb);
                last_tb = tb;
            }
            last_tb = tb;
            step_once(step);
        }
        guest_printf("mighpt: round %u step %u\n", round++, step);
    } while (!guest_typed('q'));

    for (uint32_t i = 0; i < SLOTS; i++) {
        uint64_t regs[9] = { 0, (uint64_t)i * SLOT_STRIDE };

        CHECK_EQ(guest_hcall(H_READ, regs), 0);
        bad += regs[0] != shadow_v[i] || regs[1] != shadow_r[i];
    }
    guest_printf("mighpt: replayed %u steps, %u words differ (PTEs read back)\n", step, bad);
    CHECK_EQ(bad, 0);
    return 0;
}
