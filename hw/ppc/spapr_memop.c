/*
 * H_LOGICAL_MEMOP (QEMU private hcall 0xf001): copy or invert-copy a guest
 * memory range, for SLOF-style firmware that runs with translation off.
 */
#include "hw/ppc/spapr.h"
#include "exec/guest-memory.h"
#include "qemu/module.h"

/* Operations (r8) */
#define MEMOP_COPY 0
#define MEMOP_INVERT 1

/* Element sizes are 1 << esize bytes, esize 0..3 (r6). */
#define MEMOP_ESIZE_MAX 3
/* QEMU's limit on the element count (r7). */
#define MEMOP_COUNT_MAX 0x80000000ULL

/*
 * dst = ~src, walking up: right when the ranges are disjoint or dst is
 * below src, since each word is loaded before anything is stored over it.
 */
static void memop_invert_up(uint8_t *d, const uint8_t *s, uint64_t len)
{
    uint64_t i = 0, w;

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        w = ~w;
        memcpy(d + i, &w, 8);
    }
    for (; i < len; i++) {
        d[i] = ~s[i];
    }
}

/* dst = ~src, walking down: for dst above an overlapping src. */
static void memop_invert_down(uint8_t *d, const uint8_t *s, uint64_t len)
{
    uint64_t i = len, w;

    for (; i % 8; i--) {
        d[i - 1] = ~s[i - 1];
    }
    for (; i; i -= 8) {
        memcpy(&w, s + i - 8, 8);
        w = ~w;
        memcpy(d + i - 8, &w, 8);
    }
}

/*
 * r4 destination, r5 source, r6 log2 element size, r7 element count, r8
 * operation (0 copy, 1 copy inverted).  The result is as if the source was
 * read whole before the destination is written.  Copying bytes in bulk is
 * exact for every element size since neither operation looks at values.
 */
static target_ulong h_logical_memop(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                    target_ulong *args)
{
    hwaddr dst = args[0], src = args[1];
    target_ulong esize = args[2], count = args[3], op = args[4];
    uint64_t len;
    uint8_t *d;
    const uint8_t *s;

    if (count > MEMOP_COUNT_MAX || esize > MEMOP_ESIZE_MAX || op > MEMOP_INVERT) {
        return H_PARAMETER;
    }
    if (!QEMU_IS_ALIGNED(dst, 1ULL << esize) || !QEMU_IS_ALIGNED(src, 1ULL << esize)) {
        return H_PARAMETER;
    }
    if (count == 0) {
        return H_SUCCESS;
    }
    len = count << esize;
    d = guest_ram_ptr(dst, len);
    s = guest_ram_ptr(src, len);
    if (!d || !s) {
        return H_PARAMETER;
    }
    if (op == MEMOP_COPY) {
        memmove(d, s, len);
    } else if (d <= s || d >= s + len) {
        memop_invert_up(d, s, len);
    } else {
        memop_invert_down(d, s, len);
    }
    /* After the write: a migration pass that took the dirty bits reads the pages after this. */
    guest_ram_note_write(dst, len);
    return H_SUCCESS;
}

static void spapr_memop_init(void)
{
    spapr_register_hypercall(KVMPPC_H_LOGICAL_MEMOP, h_logical_memop);
}

module_init(spapr_memop_init)
