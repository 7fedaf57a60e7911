/*
 * H_LOGICAL_MEMOP (QEMU private hcall 0xf001): copy or invert-copy a guest
 * memory range, for SLOF-style firmware that runs with translation off.
 */
#include "hw/ppc/spapr.h"
#include "exec/guest-memory.h"
#include "qemu/main-loop.h"
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
 * Bytes copied with the big lock held at a time: a guest may ask for all of RAM
 * (gigabytes, seconds when the pages are first touched) and the monitor must
 * keep answering meanwhile (tests/guest/run-abuse.py, memop).
 */
#define MEMOP_STEP (1ULL << 20)

/* One step of the operation, the pointers looked up again (the lock was dropped). */
static bool memop_step(hwaddr dst, hwaddr src, uint64_t len, target_ulong op, bool down)
{
    uint8_t *d = guest_ram_ptr(dst, len);
    const uint8_t *s = guest_ram_ptr(src, len);

    if (!d || !s) {
        return false;
    }
    if (op == MEMOP_COPY) {
        memmove(d, s, len);
    } else if (down) {
        memop_invert_down(d, s, len);
    } else {
        memop_invert_up(d, s, len);
    }
    /* After the write: a migration pass that took the dirty bits reads the pages after this. */
    guest_ram_note_write(dst, len);
    return true;
}

/*
 * r4 destination, r5 source, r6 log2 element size, r7 element count, r8
 * operation (0 copy, 1 copy inverted).  The result is as if the source was
 * read whole before the destination is written: with the destination above an
 * overlapping source the steps walk down, otherwise up.  Copying bytes in bulk
 * is exact for every element size since neither operation looks at values.
 */
static target_ulong h_logical_memop(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                    target_ulong *args)
{
    hwaddr dst = args[0], src = args[1];
    target_ulong esize = args[2], count = args[3], op = args[4];
    uint64_t len;
    bool down;

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
    if (!guest_ram_ptr(dst, len) || !guest_ram_ptr(src, len)) {
        return H_PARAMETER;
    }
    down = dst > src && dst < src + len;
    for (uint64_t done = 0; done < len;) {
        uint64_t n = MIN(len - done, MEMOP_STEP);
        uint64_t off = down ? len - done - n : done;

        if (done) {
            qemu_mutex_iothread_yield();
        }
        if (!memop_step(dst + off, src + off, n, op, down)) {
            /* RAM went away while the lock was dropped (hot-unplug). */
            return H_PARAMETER;
        }
        done += n;
    }
    return H_SUCCESS;
}

static void spapr_memop_init(void)
{
    spapr_register_hypercall(KVMPPC_H_LOGICAL_MEMOP, h_logical_memop);
}

module_init(spapr_memop_init)
