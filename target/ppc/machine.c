/*
 * Save and load a vCPU's architected state for migration: registers, SPRs,
 * SLB, time base and decrementer, pending interrupts.  The soft TLBs, the
 * translated blocks and the larx reservation are not state: they are dropped.
 */
#include "target/ppc/machine.h"
#include "migration/vmbuf.h"
#include "target/ppc/internal.h"

/* Bumped when the payload's layout changes. */
#define PPC_CPU_STATE_VERSION 1

void ppc_cpu_state_save(PowerPCCPU *cpu, GByteArray *out)
{
    CPUPPCState *env = &cpu->env;
    uint64_t tb = ppc_load_tb(env);

    vmbuf_put_be32(out, PPC_CPU_STATE_VERSION);
    vmbuf_put_be32(out, cpu->model->pvr);
    for (unsigned i = 0; i < 32; i++) {
        vmbuf_put_be64(out, env->gpr[i]);
    }
    vmbuf_put_be64(out, env->nip);
    vmbuf_put_be64(out, env->msr);
    vmbuf_put_be32(out, ppc_get_cr(env));
    vmbuf_put_be64(out, ppc_get_xer(env));
    vmbuf_put_be64(out, env->lr);
    vmbuf_put_be64(out, env->ctr);
    vmbuf_put_be64(out, env->tar);
    vmbuf_put_be64(out, env->fpscr);
    vmbuf_put_be32(out, env->vscr);
    /* VSR 0-31 hold the FPRs in doubleword 0; VSR 32-63 are the VRs. */
    for (unsigned i = 0; i < 64; i++) {
        vmbuf_put_be64(out, VsrD(&env->vsr[i], 0));
        vmbuf_put_be64(out, VsrD(&env->vsr[i], 1));
    }
    for (unsigned i = 0; i < 1024; i++) {
        vmbuf_put_be64(out, env->spr[i]);
    }
    for (unsigned i = 0; i < PPC_SLB_MAX; i++) {
        vmbuf_put_be64(out, env->slb[i].esid);
        vmbuf_put_be64(out, env->slb[i].vsid);
    }
    /* The guest's time base now, and how far the decrementer's zero is from it. */
    vmbuf_put_be64(out, tb);
    vmbuf_put_be64(out, env->decr_zero - tb);
    vmbuf_put_be32(out, __atomic_load_n(&env->pending_interrupts, __ATOMIC_ACQUIRE));
    vmbuf_put_u8(out, cpu->halted);
}

bool ppc_cpu_state_load(PowerPCCPU *cpu, const uint8_t *buf, size_t len, Error **errp)
{
    CPUPPCState *env = &cpu->env;
    VMBufReader r;
    uint32_t version, pvr, cr, pending;
    uint64_t xer, tb, decr_delta;
    uint64_t *spr;

    /* Check first: a fixed layout, so the length says it all. */
    vmbuf_reader_init(&r, buf, len);
    version = vmbuf_get_be32(&r);
    pvr = vmbuf_get_be32(&r);
    if (r.overrun || version != PPC_CPU_STATE_VERSION) {
        error_setg(errp, "cpu %d: state version %u, expected %u", cpu->cpu_index, version,
                   PPC_CPU_STATE_VERSION);
        return false;
    }
    if (pvr != cpu->model->pvr) {
        error_setg(errp, "cpu %d: processor version 0x%08x in the state, 0x%08x here",
                   cpu->cpu_index, pvr, cpu->model->pvr);
        return false;
    }
    if (len != 8 + 32 * 8 + 8 + 8 + 4 + 8 * 5 + 4 + 64 * 16 + 1024 * 8 + PPC_SLB_MAX * 16 + 8 + 8 +
                   4 + 1) {
        error_setg(errp, "cpu %d: state of %zu bytes, not the expected layout", cpu->cpu_index,
                   len);
        return false;
    }

    for (unsigned i = 0; i < 32; i++) {
        env->gpr[i] = vmbuf_get_be64(&r);
    }
    env->nip = vmbuf_get_be64(&r);
    env->msr = vmbuf_get_be64(&r);
    cr = vmbuf_get_be32(&r);
    xer = vmbuf_get_be64(&r);
    ppc_set_cr(env, cr);
    ppc_set_xer(env, xer);
    env->lr = vmbuf_get_be64(&r);
    env->ctr = vmbuf_get_be64(&r);
    env->tar = vmbuf_get_be64(&r);
    env->fpscr = vmbuf_get_be64(&r);
    env->vscr = vmbuf_get_be32(&r);
    for (unsigned i = 0; i < 64; i++) {
        VsrD(&env->vsr[i], 0) = vmbuf_get_be64(&r);
        VsrD(&env->vsr[i], 1) = vmbuf_get_be64(&r);
    }
    /* LPCR goes through ppc_store_lpcr (it drops translations it changes the meaning of). */
    spr = g_new(uint64_t, 1024);
    for (unsigned i = 0; i < 1024; i++) {
        spr[i] = vmbuf_get_be64(&r);
    }
    for (unsigned i = 0; i < 1024; i++) {
        if (i != SPR_LPCR) {
            env->spr[i] = spr[i];
        }
    }
    ppc_store_lpcr(cpu, spr[SPR_LPCR]);
    g_free(spr);
    for (unsigned i = 0; i < PPC_SLB_MAX; i++) {
        env->slb[i].esid = vmbuf_get_be64(&r);
        env->slb[i].vsid = vmbuf_get_be64(&r);
    }
    tb = vmbuf_get_be64(&r);
    decr_delta = vmbuf_get_be64(&r);
    pending = vmbuf_get_be32(&r);
    cpu->halted = vmbuf_get_u8(&r) != 0;
    g_assert(vmbuf_reader_done(&r));

    /* The time base continues from the source's value: only the offset is ours. */
    env->tb_offset += tb - ppc_load_tb(env);
    __atomic_store_n(&env->pending_interrupts, pending & ~PPC_INTERRUPT_DECR, __ATOMIC_RELEASE);
    /* Re-arms the timer and sets the decrementer's level (LPCR[LD] is in place). */
    ppc_store_decr(env, decr_delta);
    /*
     * An exception raised earlier stays pending even where DEC reads positive
     * again: a 32-bit DEC that went past its zero by 2^31 ticks, or was written
     * 0x80000000, with EE off (only a positive mtdec lowers it).
     */
    if (pending & PPC_INTERRUPT_DECR) {
        ppc_cpu_set_irq(cpu, PPC_INTERRUPT_DECR, true);
    }
    env->reserve_addr = (uint64_t)-1;
    env->tlb_regime = ppc_tlb_regime_of(env->msr);
    ppc_tlb_flush_cpu(cpu);
    ppc_tb_flush(cpu);
    ppc_request_exit(env);
    return true;
}
