/*
 * VOF memory services: claim and release, the claimed-memory map, and
 * /memory@0 "available" kept in step with it.
 */
#include "hw/ppc/vof.h"

/* The claim overlapping [start, start + size), or NULL. */
static VofClaim *vof_overlap(Vof *vof, uint64_t start, uint64_t size)
{
    for (unsigned i = 0; i < vof->claimed->len; i++) {
        VofClaim *c = &g_array_index(vof->claimed, VofClaim, i);

        if (c->start < start + size && start < c->start + c->size) {
            return c;
        }
    }
    return NULL;
}

static void vof_add_claim(Vof *vof, uint64_t start, uint64_t size)
{
    VofClaim c = { start, size };
    unsigned i = 0;

    while (i < vof->claimed->len && g_array_index(vof->claimed, VofClaim, i).start < start) {
        i++;
    }
    g_array_insert_val(vof->claimed, i, c);
    vof->claimed_base = MAX(vof->claimed_base, start + size);
}

/*
 * IEEE 1275 claim: with align 0, exactly [virt, virt + size); otherwise the
 * first free range aligned so, searched upward from the end of the highest
 * claim so far and kept below top_addr.  Returns the address or
 * VOF_CLAIM_FAILED.
 */
uint64_t vof_claim(Vof *vof, uint64_t virt, uint64_t size, uint64_t align)
{
    uint64_t base;
    VofClaim *c;

    if (!size || size > vof->ram_top) {
        return VOF_CLAIM_FAILED;
    }
    if (!align) {
        if (virt > vof->ram_top - size || vof_overlap(vof, virt, size)) {
            return VOF_CLAIM_FAILED;
        }
        vof_add_claim(vof, virt, size);
        return virt;
    }
    base = QEMU_ALIGN_UP(vof->claimed_base, align);
    while (base <= vof->top_addr && size <= vof->top_addr - base) {
        c = vof_overlap(vof, base, size);
        if (!c) {
            vof_add_claim(vof, base, size);
            return base;
        }
        base = QEMU_ALIGN_UP(c->start + c->size, align);
    }
    return VOF_CLAIM_FAILED;
}

/* IEEE 1275 release: only a range exactly as it was claimed. */
uint32_t vof_release(Vof *vof, uint64_t virt, uint64_t size)
{
    for (unsigned i = 0; i < vof->claimed->len; i++) {
        VofClaim *c = &g_array_index(vof->claimed, VofClaim, i);

        if (c->start == virt && c->size == size) {
            g_array_remove_index(vof->claimed, i);
            return 0;
        }
    }
    return VOF_ERROR;
}

/* claim ( virt size align -- base ) */
uint32_t vof_claim_service(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                           uint32_t nret)
{
    uint64_t base = vof_claim(vof, args[0], args[1], args[2]);

    if (base == VOF_CLAIM_FAILED) {
        return VOF_ERROR;
    }
    vof_update_available(vof);
    return base;
}

/* release ( virt size -- ) */
uint32_t vof_release_service(Vof *vof, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                             uint32_t nret)
{
    uint32_t ret = vof_release(vof, args[0], args[1]);

    if (ret != VOF_ERROR) {
        vof_update_available(vof);
    }
    return ret;
}
