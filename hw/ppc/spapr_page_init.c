/*
 * H_PAGE_INIT: zero or copy one 4 KiB page of the partition's memory, and
 * make the instruction cache see the result.
 */
#include "hw/ppc/spapr.h"
#include "exec/guest-memory.h"
#include "qemu/log.h"
#include "qemu/module.h"

#define PAGE_INIT_SIZE 4096
#define PAGE_INIT_FLAGS (H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE | H_ZERO_PAGE | H_COPY_PAGE)

static bool page_ok(hwaddr addr)
{
    return QEMU_IS_ALIGNED(addr, PAGE_INIT_SIZE) && guest_range_valid(addr, PAGE_INIT_SIZE);
}

/*
 * r4 = flags, r5 = destination page, r6 = source page (H_COPY_PAGE only).
 * With both H_COPY_PAGE and H_ZERO_PAGE the copy wins, as in QEMU; with
 * neither, only the instruction-cache flags act.
 */
static target_ulong h_page_init(PowerPCCPU *cpu, SpaprMachineState *spapr, target_ulong opcode,
                                target_ulong *args)
{
    target_ulong flags = args[0];
    hwaddr dst = args[1], src = args[2];

    if (flags & ~PAGE_INIT_FLAGS) {
        qemu_log_mask(LOG_GUEST_ERROR, "H_PAGE_INIT: bad flags 0x" TARGET_FMT_lx "\n", flags);
        return H_PARAMETER;
    }
    if (!page_ok(dst) || ((flags & H_COPY_PAGE) && !page_ok(src))) {
        return H_PARAMETER;
    }
    /* The guest-memory API drops translations of code it overwrites. */
    if (flags & H_COPY_PAGE) {
        guest_memmove(dst, src, PAGE_INIT_SIZE);
    } else if (flags & H_ZERO_PAGE) {
        guest_memset(dst, 0, PAGE_INIT_SIZE);
    } else if (flags & (H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE)) {
        /* Nothing written, but code on the page must be fetched afresh. */
        guest_ram_note_write(dst, PAGE_INIT_SIZE);
    }
    return H_SUCCESS;
}

static void spapr_page_init_init(void)
{
    spapr_register_hypercall(H_PAGE_INIT, h_page_init);
}

module_init(spapr_page_init_init)
