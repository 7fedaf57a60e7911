/*
 * Unit tests for XICS: the source and presentation state machines (MSI and
 * LSI life cycles, priorities, rejection and resend, IPIs), then the
 * hypercalls and RTAS services on a test machine, with their errors.
 */
#include "spapr-test-machine.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/xics.h"
#include "hw/qdev-monitor.h"
#include "qemu/units.h"

#define OFFSET 0x1000
#define NR_IRQS 64
#define MSI_A 0x1010
#define MSI_B 0x1011
#define LSI_A 0x1020

#define XIRR(cppr, xisr) ((uint32_t)(cppr) << 24 | (xisr))

/* ---- State machines, no machine around them ------------------------------ */

typedef struct Xics {
    ICSState ics;
    ICPState icp[2];
} Xics;

static void xics_setup(Xics *x, gconstpointer data)
{
    ics_init(&x->ics, OFFSET, NR_IRQS, 2);
    icp_init(&x->icp[0], &x->ics, 0, NULL);
    icp_init(&x->icp[1], &x->ics, 1, NULL);
    ics_set_irq_type(&x->ics, MSI_A - OFFSET, XICS_FLAGS_IRQ_MSI);
    ics_set_irq_type(&x->ics, MSI_B - OFFSET, XICS_FLAGS_IRQ_MSI);
    ics_set_irq_type(&x->ics, LSI_A - OFFSET, XICS_FLAGS_IRQ_LSI);
}

static void xics_teardown(Xics *x, gconstpointer data)
{
    ics_finalize(&x->ics);
}

static void set_xive(Xics *x, uint32_t nr, uint32_t server, uint8_t prio)
{
    ics_write_xive(&x->ics, nr - OFFSET, server, prio, prio);
}

static void fire(Xics *x, uint32_t nr)
{
    qemu_irq_pulse(ics_qirq(&x->ics, nr));
}

static uint32_t ipoll(ICPState *icp)
{
    uint8_t mfrr;

    return icp_ipoll(icp, &mfrr);
}

static void test_reset_state(Xics *x, gconstpointer data)
{
    ICSIRQState *irq = ics_irq(&x->ics, MSI_A);
    uint8_t mfrr = 0;

    g_assert_cmpuint(irq->priority, ==, 0xff);
    g_assert_cmpuint(irq->saved_priority, ==, 0xff);
    g_assert_cmpuint(irq->server, ==, 0);
    /* A processor starts at CPPR 0 with nothing pending and no IPI request. */
    g_assert_cmphex(icp_ipoll(&x->icp[0], &mfrr), ==, 0);
    g_assert_cmphex(mfrr, ==, 0xff);
    g_assert_false(x->icp[0].output);
    g_assert_true(ics_valid_irq(&x->ics, OFFSET));
    g_assert_true(ics_valid_irq(&x->ics, OFFSET + NR_IRQS - 1));
    g_assert_false(ics_valid_irq(&x->ics, OFFSET - 1));
    g_assert_false(ics_valid_irq(&x->ics, OFFSET + NR_IRQS));
    g_assert_null(ics_qirq(&x->ics, OFFSET + NR_IRQS));
    g_assert_null(xics_icp_get(&x->ics, 2));
}

/* An MSI: presented, accepted (CPPR takes its priority), EOIed. */
static void test_msi_cycle(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[1];

    icp_set_cppr(icp, 0xff);
    set_xive(x, MSI_A, 1, 5);
    fire(x, MSI_A);
    g_assert_true(icp->output);
    g_assert_false(x->icp[0].output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, MSI_A));
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, MSI_A));
    g_assert_false(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(5, 0));
    /* Nothing more: a second accept sees XISR 0 and drops CPPR to 0xff. */
    icp_eoi(icp, XIRR(0xff, MSI_A));
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, 0));
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, 0));
    g_assert_false(icp->output);
}

/* The CPPR holds off equal and less favoured priorities, which come back later. */
static void test_msi_rejected_then_resent(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[0];

    icp_set_cppr(icp, 5);
    set_xive(x, MSI_A, 0, 5);
    fire(x, MSI_A);
    g_assert_false(icp->output);
    g_assert_true(ics_irq(&x->ics, MSI_A)->status & XICS_STATUS_REJECTED);
    icp_set_cppr(icp, 6);
    g_assert_true(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(6, MSI_A));
    g_assert_false(ics_irq(&x->ics, MSI_A)->status & XICS_STATUS_REJECTED);
}

/* An MSI that fires while masked waits for a priority. */
static void test_msi_masked_pending(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[0];

    icp_set_cppr(icp, 0xff);
    fire(x, MSI_A);
    g_assert_false(icp->output);
    g_assert_true(ics_irq(&x->ics, MSI_A)->status & XICS_STATUS_MASKED_PENDING);
    set_xive(x, MSI_A, 0, 0xff);
    g_assert_false(icp->output);
    set_xive(x, MSI_A, 0, 3);
    g_assert_true(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, MSI_A));
    /* Presented once: unmasking again brings nothing new. */
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, MSI_A));
    set_xive(x, MSI_A, 0, 4);
    g_assert_false(icp->output);
}

/* A rejected MSI that is masked before the resend stays pending. */
static void test_msi_rejected_then_masked(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[0];

    icp_set_cppr(icp, 2);
    set_xive(x, MSI_A, 0, 5);
    fire(x, MSI_A);
    ics_write_xive(&x->ics, MSI_A - OFFSET, 0, 0xff, 5); /* ibm,int-off */
    icp_set_cppr(icp, 0xff);
    g_assert_false(icp->output);
    ics_write_xive(&x->ics, MSI_A - OFFSET, 0, 5, 5); /* ibm,int-on */
    g_assert_true(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, MSI_A));
}

/* A more favoured source displaces the pending one, which returns after the EOI. */
static void test_displacement(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[0];

    icp_set_cppr(icp, 0xff);
    set_xive(x, MSI_A, 0, 6);
    set_xive(x, MSI_B, 0, 2);
    fire(x, MSI_A);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, MSI_A));
    fire(x, MSI_B);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, MSI_B));
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, MSI_B));
    /* Running at 2, the priority-6 one waits. */
    g_assert_false(icp->output);
    icp_eoi(icp, XIRR(0xff, MSI_B));
    g_assert_true(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, MSI_A));
}

/* Equal priority does not displace: first come, first served. */
static void test_equal_priority(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[0];

    icp_set_cppr(icp, 0xff);
    set_xive(x, MSI_A, 0, 4);
    set_xive(x, MSI_B, 0, 4);
    fire(x, MSI_A);
    fire(x, MSI_B);
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, MSI_A));
    icp_eoi(icp, XIRR(0xff, MSI_A));
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, MSI_B));
    icp_eoi(icp, XIRR(0xff, MSI_B));
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, 0));
}

/* Raising the CPPR above what is pending takes it back from the processor. */
static void test_cppr_withdraws(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[0];

    icp_set_cppr(icp, 0xff);
    set_xive(x, MSI_A, 0, 4);
    fire(x, MSI_A);
    g_assert_true(icp->output);
    icp_set_cppr(icp, 5); /* still less favoured than 4: kept */
    g_assert_true(icp->output);
    icp_set_cppr(icp, 4);
    g_assert_false(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(4, 0));
    icp_set_cppr(icp, 0xff);
    g_assert_true(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, MSI_A));
}

/* An LSI is presented again after the EOI for as long as its line is high. */
static void test_lsi_cycle(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[0];
    qemu_irq line = ics_qirq(&x->ics, LSI_A);

    icp_set_cppr(icp, 0xff);
    qemu_irq_raise(line); /* masked: nothing yet */
    g_assert_false(icp->output);
    set_xive(x, LSI_A, 0, 5);
    g_assert_true(icp->output);
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, LSI_A));
    icp_eoi(icp, XIRR(0xff, LSI_A));
    g_assert_true(icp->output);
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, LSI_A));
    qemu_irq_lower(line);
    icp_eoi(icp, XIRR(0xff, LSI_A));
    g_assert_false(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, 0));
    /* A new assertion is presented at once. */
    qemu_irq_raise(line);
    g_assert_true(icp->output);
}

/* An LSI refused by the CPPR comes back when the CPPR relaxes. */
static void test_lsi_rejected(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[1];

    icp_set_cppr(icp, 1);
    set_xive(x, LSI_A, 1, 5);
    qemu_irq_raise(ics_qirq(&x->ics, LSI_A));
    g_assert_false(icp->output);
    icp_set_cppr(icp, 0xff);
    g_assert_true(icp->output);
    g_assert_cmphex(ipoll(icp), ==, XIRR(0xff, LSI_A));
}

/* IPIs: MFRR below the CPPR makes XISR 2 pending until MFRR goes back to 0xff. */
static void test_ipi(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[1];
    uint8_t mfrr;

    icp_set_mfrr(icp, 5); /* CPPR 0: held off */
    g_assert_false(icp->output);
    icp_set_cppr(icp, 0xff);
    g_assert_true(icp->output);
    g_assert_cmphex(icp_ipoll(icp, &mfrr), ==, XIRR(0xff, XICS_XISR_IPI));
    g_assert_cmphex(mfrr, ==, 5);
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, XICS_XISR_IPI));
    /* The request is still in the MFRR: an EOI brings it back... */
    icp_eoi(icp, XIRR(0xff, XICS_XISR_IPI));
    g_assert_true(icp->output);
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, XICS_XISR_IPI));
    /* ...unless it is withdrawn first. */
    icp_set_mfrr(icp, 0xff);
    icp_eoi(icp, XIRR(0xff, XICS_XISR_IPI));
    g_assert_false(icp->output);
    g_assert_false(x->icp[0].output);
}

/* A source more favoured than the IPI displaces it; the IPI follows after EOI. */
static void test_ipi_displaced(Xics *x, gconstpointer data)
{
    ICPState *icp = &x->icp[0];

    icp_set_cppr(icp, 0xff);
    icp_set_mfrr(icp, 8);
    set_xive(x, MSI_A, 0, 3);
    fire(x, MSI_A);
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, MSI_A));
    icp_eoi(icp, XIRR(0xff, MSI_A));
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, XICS_XISR_IPI));
    /* And an IPI more favoured than a pending source displaces it. */
    icp_set_mfrr(icp, 0xff);
    icp_eoi(icp, XIRR(0xff, XICS_XISR_IPI));
    set_xive(x, MSI_B, 0, 7);
    fire(x, MSI_B);
    icp_set_mfrr(icp, 1);
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, XICS_XISR_IPI));
    icp_set_mfrr(icp, 0xff);
    icp_eoi(icp, XIRR(0xff, XICS_XISR_IPI));
    g_assert_cmphex(icp_accept(icp), ==, XIRR(0xff, MSI_B));
}

/* Reset forgets priorities and pending work but keeps claims. */
static void test_reset(Xics *x, gconstpointer data)
{
    icp_set_cppr(&x->icp[0], 0xff);
    set_xive(x, MSI_A, 0, 3);
    fire(x, MSI_A);
    g_assert_true(x->icp[0].output);
    ics_reset(&x->ics);
    icp_reset(&x->icp[0]);
    g_assert_false(x->icp[0].output);
    g_assert_cmphex(ipoll(&x->icp[0]), ==, 0);
    g_assert_cmpuint(ics_irq(&x->ics, MSI_A)->priority, ==, 0xff);
    g_assert_cmpuint(ics_irq(&x->ics, LSI_A)->flags, ==, XICS_FLAGS_IRQ_LSI);
}

/* ---- On a machine: hypercalls, RTAS, the CPU's interrupt line ------------ */

#define RAM (1 * MiB)
#define ARGS 0x1000
#define RETS 0x2000

typedef struct Fixture {
    SpaprMachineState *m;
} Fixture;

static void machine_setup(Fixture *f, gconstpointer data)
{
    f->m = test_machine_new(RAM, 2, NULL, NULL);
    f->m->max_cpus = 4; /* servers 2 and 3 have no processor */
    qdev_tree_reset();  /* /machine/unattached numbers from 0 */
    spapr_irq_init(f->m);
}

static void machine_teardown(Fixture *f, gconstpointer data)
{
    spapr_irq_free_all(f->m);
    test_machine_free(f->m);
}

static target_ulong hcall(Fixture *f, unsigned cpu, target_ulong opcode, target_ulong a0,
                          target_ulong a1, target_ulong *out)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { a0, a1 };
    target_ulong ret = test_hcall(f->m, cpu, opcode, args);

    if (out) {
        memcpy(out, args, sizeof(args));
    }
    return ret;
}

static bool ext_pending(Fixture *f, unsigned cpu)
{
    return f->m->cpus[cpu]->env.pending_interrupts & PPC_INTERRUPT_EXT;
}

/* An RTAS call by token; returns ret[0] (rets[] gets all, pre-filled 0xeeeeeeee). */
static uint32_t rtas(Fixture *f, int token, const uint32_t *args, uint32_t nargs, uint32_t *rets,
                     uint32_t nret)
{
    for (uint32_t i = 0; i < nargs; i++) {
        g_assert_true(guest_stl_be(ARGS + 4 * i, args[i]));
    }
    for (uint32_t i = 0; i < 4; i++) {
        g_assert_true(guest_stl_be(RETS + 4 * i, 0xeeeeeeee));
    }
    g_assert_cmpint(spapr_rtas_call(f->m->cpus[0], f->m, token, nargs, ARGS, nret, RETS), ==,
                    H_SUCCESS);
    for (uint32_t i = 0; i < 4; i++) {
        g_assert_true(guest_ldl_be(RETS + 4 * i, &rets[i]));
    }
    return rets[0];
}

static uint32_t set_xive_rtas(Fixture *f, uint32_t nr, uint32_t server, uint32_t prio)
{
    uint32_t args[3] = { nr, server, prio }, rets[4];

    return rtas(f, RTAS_IBM_SET_XIVE, args, 3, rets, 1);
}

/* get-xive: returns "server:priority" packed, or fails the test. */
static uint32_t get_xive_rtas(Fixture *f, uint32_t nr)
{
    uint32_t rets[4];

    g_assert_cmphex(rtas(f, RTAS_IBM_GET_XIVE, &nr, 1, rets, 3), ==, RTAS_OUT_SUCCESS);
    return rets[1] << 8 | rets[2];
}

#define RTAS_M3 ((uint32_t)RTAS_OUT_PARAM_ERROR)
#define UNTOUCHED 0xeeeeeeee

static void test_rtas_xive(Fixture *f, gconstpointer data)
{
    uint32_t rets[4];
    uint32_t nr = 0x1005;

    g_assert_cmphex(get_xive_rtas(f, nr), ==, 0x00ff);
    g_assert_cmphex(set_xive_rtas(f, nr, 1, 5), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(get_xive_rtas(f, nr), ==, 0x0105);
    /* Bad server (no processor 2, none 4, none 0xffffffff), bad priority: unchanged. */
    g_assert_cmphex(set_xive_rtas(f, nr, 2, 7), ==, RTAS_M3);
    g_assert_cmphex(set_xive_rtas(f, nr, 4, 7), ==, RTAS_M3);
    g_assert_cmphex(set_xive_rtas(f, nr, 0xffffffff, 7), ==, RTAS_M3);
    g_assert_cmphex(set_xive_rtas(f, nr, 0, 0x100), ==, RTAS_M3);
    g_assert_cmphex(get_xive_rtas(f, nr), ==, 0x0105);
    /* The sources are 0x1000 .. 0x1fff. */
    g_assert_cmphex(set_xive_rtas(f, 0x1fff, 0, 0xff), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(set_xive_rtas(f, 0x2000, 0, 1), ==, RTAS_M3);
    g_assert_cmphex(set_xive_rtas(f, 0xfff, 0, 1), ==, RTAS_M3);
    nr = 0x2000;
    g_assert_cmphex(rtas(f, RTAS_IBM_GET_XIVE, &nr, 1, rets, 3), ==, RTAS_M3);
    g_assert_cmphex(rets[1], ==, UNTOUCHED);
    nr = 0xfff;
    g_assert_cmphex(rtas(f, RTAS_IBM_GET_XIVE, &nr, 1, rets, 3), ==, RTAS_M3);
}

static void test_rtas_counts(Fixture *f, gconstpointer data)
{
    uint32_t args[3] = { 0x1001, 0, 5 }, rets[4];

    /* Wrong nargs or nret: -3 and nothing done. */
    g_assert_cmphex(rtas(f, RTAS_IBM_SET_XIVE, args, 3, rets, 2), ==, RTAS_M3);
    g_assert_cmphex(rets[1], ==, UNTOUCHED);
    g_assert_cmphex(rtas(f, RTAS_IBM_SET_XIVE, args, 2, rets, 1), ==, RTAS_M3);
    g_assert_cmphex(rtas(f, RTAS_IBM_SET_XIVE, args, 3, rets, 0), ==, UNTOUCHED);
    g_assert_cmphex(get_xive_rtas(f, 0x1001), ==, 0x00ff);
    g_assert_cmphex(rtas(f, RTAS_IBM_GET_XIVE, args, 1, rets, 2), ==, RTAS_M3);
    g_assert_cmphex(rtas(f, RTAS_IBM_GET_XIVE, args, 1, rets, 4), ==, RTAS_M3);
    g_assert_cmphex(rets[1], ==, UNTOUCHED);
    g_assert_cmphex(rtas(f, RTAS_IBM_GET_XIVE, args, 0, rets, 3), ==, RTAS_M3);
    g_assert_cmphex(rtas(f, RTAS_IBM_GET_XIVE, args, 2, rets, 3), ==, RTAS_M3);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_OFF, args, 1, rets, 2), ==, RTAS_M3);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_OFF, args, 2, rets, 1), ==, RTAS_M3);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_ON, args, 1, rets, 2), ==, RTAS_M3);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_ON, args, 0, rets, 1), ==, RTAS_M3);
}

/* int-off saves the priority, int-on restores it; values as QEMU 7.2 gives them. */
static void test_rtas_int_on_off(Fixture *f, gconstpointer data)
{
    uint32_t nr = 0x1100, bad = 0x2000, rets[4];

    g_assert_cmphex(set_xive_rtas(f, nr, 1, 6), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_OFF, &nr, 1, rets, 1), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(get_xive_rtas(f, nr), ==, 0x01ff);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_ON, &nr, 1, rets, 1), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(get_xive_rtas(f, nr), ==, 0x0106);
    /* Twice off: the second saves 0xff, so int-on leaves it masked. */
    rtas(f, RTAS_IBM_INT_OFF, &nr, 1, rets, 1);
    rtas(f, RTAS_IBM_INT_OFF, &nr, 1, rets, 1);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_ON, &nr, 1, rets, 1), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(get_xive_rtas(f, nr), ==, 0x01ff);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_ON, &bad, 1, rets, 1), ==, RTAS_M3);
    g_assert_cmphex(rtas(f, RTAS_IBM_INT_OFF, &bad, 1, rets, 1), ==, RTAS_M3);
}

/* H_IPI to another processor raises its external interrupt; the rest by hcall. */
static void test_hcall_ipi(Fixture *f, gconstpointer data)
{
    target_ulong out[SPAPR_HCALL_NARGS];

    g_assert_cmpint(hcall(f, 1, H_CPPR, 0xff, 0, NULL), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, 0, H_IPI, 1, 4, NULL), ==, H_SUCCESS);
    g_assert_true(ext_pending(f, 1));
    g_assert_false(ext_pending(f, 0));
    g_assert_cmpint(hcall(f, 1, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 2));
    g_assert_cmphex(out[1], ==, 4);
    g_assert_cmpint(hcall(f, 1, H_XIRR, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 2));
    g_assert_false(ext_pending(f, 1));
    g_assert_cmpint(hcall(f, 1, H_IPI, 1, 0xff, NULL), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, 1, H_EOI, XIRR(0xff, 2), 0, NULL), ==, H_SUCCESS);
    g_assert_false(ext_pending(f, 1));
    g_assert_cmpint(hcall(f, 1, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 0));
    g_assert_cmphex(out[1], ==, 0xff);
    /* Servers without a processor; the server is r4's low 32 bits (QEMU 7.2). */
    g_assert_cmpint(hcall(f, 0, H_IPI, 2, 4, NULL), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, 0, H_IPI, (target_ulong)-1, 4, NULL), ==, H_PARAMETER);
    g_assert_cmpint(hcall(f, 0, H_IPI, 0x100000001ULL, 4, NULL), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, 1, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[1], ==, 4);
}

/* Only the low byte of CPPR and MFRR counts. */
static void test_hcall_byte_args(Fixture *f, gconstpointer data)
{
    target_ulong out[SPAPR_HCALL_NARGS];

    g_assert_cmpint(hcall(f, 0, H_CPPR, 0x1ff, 0, NULL), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, 0, H_IPI, 0, 0x105, NULL), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, 0, H_IPOLL, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 2));
    g_assert_cmphex(out[1], ==, 5);
}

/* A source set up by RTAS and raised by its line reaches the CPU; XIRR_X has the time base. */
static void test_hcall_source(Fixture *f, gconstpointer data)
{
    target_ulong out[SPAPR_HCALL_NARGS];
    uint64_t tb0, tb1;

    g_assert_cmphex(set_xive_rtas(f, 0x1100, 0, 5), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpint(hcall(f, 0, H_CPPR, 0xff, 0, NULL), ==, H_SUCCESS);
    qemu_irq_pulse(spapr_qirq(f->m, 0x1100));
    g_assert_true(ext_pending(f, 0));
    tb0 = ppc_cpu_load_tb(f->m->cpus[0]);
    g_assert_cmpint(hcall(f, 0, H_XIRR_X, 0, 0, out), ==, H_SUCCESS);
    tb1 = ppc_cpu_load_tb(f->m->cpus[0]);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 0x1100));
    g_assert_cmpuint(out[1], >=, tb0);
    g_assert_cmpuint(out[1], <=, tb1);
    g_assert_false(ext_pending(f, 0));
    g_assert_cmpint(hcall(f, 0, H_EOI, XIRR(0xff, 0x1100), 0, NULL), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, 0, H_XIRR, 0, 0, out), ==, H_SUCCESS);
    g_assert_cmphex(out[0], ==, XIRR(0xff, 0));
}

/* A ceded processor wakes when its ICP raises the line. */
static void test_cede_wakes(Fixture *f, gconstpointer data)
{
    PowerPCCPU *cpu = f->m->cpus[1];

    g_assert_cmpint(hcall(f, 1, H_CPPR, 0xff, 0, NULL), ==, H_SUCCESS);
    cpu->env.msr &= ~MSR_EE;
    g_assert_cmpint(hcall(f, 1, H_CEDE, 0, 0, NULL), ==, H_SUCCESS);
    g_assert_true(cpu->halted);
    g_assert_true(cpu->env.msr & MSR_EE);
    g_assert_cmpint(hcall(f, 0, H_IPI, 1, 3, NULL), ==, H_SUCCESS);
    g_assert_false(cpu->halted);
    g_assert_true(ext_pending(f, 1));
}

/* Claims: a number once, LSI or MSI, inside the controller's range. */
static void test_claim(Fixture *f, gconstpointer data)
{
    char *err = NULL;

    g_assert_true(spapr_irq_claim(f->m, 0x1100, false, &err));
    g_assert_false(spapr_irq_claim(f->m, 0x1100, true, &err));
    g_assert_cmpstr(err, ==, "IRQ 4352 is not free");
    g_free(err);
    err = NULL;
    g_assert_false(spapr_irq_claim(f->m, 0x2000, true, &err));
    g_assert_cmpstr(err, ==, "IRQ 8192 is invalid");
    g_free(err);
    g_assert_true(spapr_irq_claim(f->m, 0x1000, true, &err));
    g_assert_cmpint(spapr_irq_findone(f->m, &err), ==, 0x1001);
    spapr_irq_free(f->m, 0x1100, 1);
    g_assert_true(spapr_irq_claim(f->m, 0x1100, true, &err));
    g_assert_null(spapr_qirq(f->m, 0x2000));
    g_assert_nonnull(spapr_qirq(f->m, 0x1fff));
}

/* Legacy machines (pseries-3.0 and older) have 1024 sources. */
static void test_legacy_range(void)
{
    SpaprMachineState *m = test_machine_new(RAM, 1, "pseries-3.0", NULL);
    Fixture f = { m };
    uint32_t nr = 0x1400, rets[4];

    spapr_irq_init(m);
    g_assert_cmphex(set_xive_rtas(&f, 0x13ff, 0, 5), ==, RTAS_OUT_SUCCESS);
    g_assert_cmphex(rtas(&f, RTAS_IBM_GET_XIVE, &nr, 1, rets, 3), ==, RTAS_M3);
    spapr_irq_free_all(m);
    test_machine_free(m);
}

/* Without an interrupt controller the hcalls answer H_HARDWARE and RTAS -1. */
static void test_no_controller(void)
{
    SpaprMachineState *m = test_machine_new(RAM, 1, NULL, NULL);
    Fixture f = { m };
    uint32_t nr = 0x1000, rets[4];

    g_assert_cmpint(hcall(&f, 0, H_XIRR, 0, 0, NULL), ==, H_HARDWARE);
    g_assert_cmpint(hcall(&f, 0, H_IPI, 0, 0, NULL), ==, H_PARAMETER);
    g_assert_cmphex(rtas(&f, RTAS_IBM_GET_XIVE, &nr, 1, rets, 3), ==, (uint32_t)RTAS_OUT_HW_ERROR);
    test_machine_free(m);
}

/* ---- As devices: paths, reset through the tree, state tables -------------- */

static void test_devices(Fixture *f, gconstpointer data)
{
    ICSState *ics = f->m->irq->ics;
    Error *err = NULL;

    /* QEMU's types and paths; CPU cores follow the XIVE slot of ic-mode=dual. */
    g_assert_cmpstr(ics->qdev.cls->name, ==, "ics-spapr");
    g_assert_true(qdev_class_is(ics->qdev.cls, qdev_find_type("ics")));
    g_assert_true(qdev_find_by_path("/machine/ics") == &ics->qdev);
    g_assert_true(qdev_find_by_path("/machine/unattached/device[1]/thread[0]/icp") ==
                  &f->m->irq->icps[0]->qdev);
    g_assert_true(qdev_find_by_path("/machine/unattached/device[2]/thread[0]/icp") ==
                  &f->m->irq->icps[1]->qdev);
    g_assert_cmpstr(f->m->irq->icps[1]->qdev.cls->name, ==, "icp");
    /* Board-only, as QEMU 7.2 has them. */
    for (const char *const *t = (const char *const[]){ "ics", "ics-spapr", "icp", NULL }; *t; t++) {
        g_assert_null(qdev_device_add_str(*t, &err));
        g_assert_cmpstr(error_get_pretty(err), ==,
                        "Parameter 'driver' expects a pluggable device type");
        error_free(err);
        err = NULL;
    }
}

/* -device TYPE,help as /usr/bin/qemu-system-ppc64 prints it. */
static void test_device_help(void)
{
    static const char *const want[][2] = {
        { "ics-spapr", "ics-spapr options:\n"
                       "  nr-irqs=<uint32>       -  (default: 0)\n"
                       "  xics=<link<xics-fabric>>\n" },
        { "icp", "icp options:\n"
                 "  cpu=<link<cpu>>\n"
                 "  xics=<link<xics-fabric>>\n" },
    };

    module_call_init();
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);

        g_assert_true(qdev_print_type_props(want[i][0], out, &error_abort));
        fclose(out);
        g_assert_cmpstr(buf, ==, want[i][1]);
        free(buf);
    }
}

/* Machine reset reaches the ICS and the ICPs through the device tree. */
static void test_reset_tree(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(set_xive_rtas(f, 0x1100, 1, 5), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpint(hcall(f, 0, H_CPPR, 0xff, 0, NULL), ==, H_SUCCESS);
    g_assert_cmpint(hcall(f, 1, H_IPI, 0, 3, NULL), ==, H_SUCCESS);
    g_assert_true(ext_pending(f, 0));
    qdev_reset_all();
    g_assert_cmphex(get_xive_rtas(f, 0x1100), ==, 0x00ff);
    g_assert_cmphex(f->m->irq->icps[0]->xirr, ==, 0);
    g_assert_cmphex(f->m->irq->icps[0]->mfrr, ==, 0xff);
    g_assert_false(ext_pending(f, 0));
}

/* The ICS's sources and an ICP's registers survive a save, reset and load. */
static void test_state_round_trip(Fixture *f, gconstpointer data)
{
    ICSState *ics = f->m->irq->ics;
    ICPState *icp = f->m->irq->icps[0];
    g_autoptr(GByteArray) ics_st = NULL;
    g_autoptr(GByteArray) icp_st = NULL;
    g_autoptr(GByteArray) again = NULL;
    char *err = NULL;

    g_assert_true(spapr_irq_claim(f->m, 0x1234, false, &err));
    g_assert_cmphex(set_xive_rtas(f, 0x1234, 0, 4), ==, RTAS_OUT_SUCCESS);
    g_assert_cmpint(hcall(f, 0, H_CPPR, 0xff, 0, NULL), ==, H_SUCCESS);
    qemu_irq_pulse(spapr_qirq(f->m, 0x1234));
    g_assert_true(ext_pending(f, 0));

    ics_st = qdev_state_save(&ics->qdev);
    icp_st = qdev_state_save(&icp->qdev);
    /* nr_irqs, then 8 bytes per source: server, priority, saved priority, status, flags. */
    g_assert_cmpuint(ics_st->len, ==, 4 + 4096 * 8);
    g_assert_cmpmem(ics_st->data, 4, ((const uint8_t[]){ 0, 0, 0x10, 0 }), 4);
    g_assert_cmpmem(ics_st->data + 4 + 0x234 * 8, 8,
                    ((const uint8_t[]){ 0, 0, 0, 0, 4, 4, 0, XICS_FLAGS_IRQ_MSI }), 8);
    /* xirr (CPPR 0xff, XISR 0x1234), pending priority, mfrr. */
    g_assert_cmpmem(icp_st->data, icp_st->len, ((const uint8_t[]){ 0xff, 0, 0x12, 0x34, 4, 0xff }),
                    6);

    qdev_reset_all();
    g_assert_false(ext_pending(f, 0));
    g_assert_true(qdev_state_load(&ics->qdev, ics_st->data, ics_st->len, &error_abort));
    g_assert_true(qdev_state_load(&icp->qdev, icp_st->data, icp_st->len, &error_abort));
    again = qdev_state_save(&ics->qdev);
    g_assert_cmpmem(again->data, again->len, ics_st->data, ics_st->len);
    /* The loaded ICP raises the processor's line again; H_XIRR takes the source. */
    g_assert_true(ext_pending(f, 0));
    {
        target_ulong out[SPAPR_HCALL_NARGS];

        g_assert_cmpint(hcall(f, 0, H_XIRR, 0, 0, out), ==, H_SUCCESS);
        g_assert_cmphex(out[0], ==, XIRR(0xff, 0x1234));
    }
}

/* Streams that do not fit are refused and change nothing. */
static void test_state_refused(Fixture *f, gconstpointer data)
{
    ICSState *ics = f->m->irq->ics;
    ICSState *old = ics_create(TYPE_ICS_SPAPR, NULL, 0x1000, 1024, 1, &error_abort);
    g_autoptr(GByteArray) legacy = NULL;
    g_autoptr(GByteArray) st = NULL;
    g_autoptr(GByteArray) after = NULL;
    Error *err = NULL;

    /* A legacy (pseries-3.0) ICS. */
    legacy = qdev_state_save(&old->qdev);
    qdev_free(&old->qdev);

    g_assert_cmphex(set_xive_rtas(f, 0x1001, 1, 7), ==, RTAS_OUT_SUCCESS);
    st = qdev_state_save(&ics->qdev);
    /* 1024 sources do not load into 4096. */
    g_assert_false(qdev_state_load(&ics->qdev, legacy->data, legacy->len, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "ics-spapr: nr_irqs is 1024 in the state, 4096 here");
    error_free(err);
    err = NULL;
    /* A source with flags this model does not know: refused after the load, undone. */
    g_byte_array_unref(legacy);
    legacy = g_byte_array_new();
    g_byte_array_append(legacy, st->data, st->len);
    legacy->data[4 + 1 * 8 + 7] = 0x80;
    legacy->data[4 + 2 * 8 + 4] = 9; /* and another source's priority */
    g_assert_false(qdev_state_load(&ics->qdev, legacy->data, legacy->len, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "ics: source 4097 has flags 0x80, status 0x0");
    error_free(err);
    after = qdev_state_save(&ics->qdev);
    g_assert_cmpmem(after->data, after->len, st->data, st->len);
    g_assert_cmphex(get_xive_rtas(f, 0x1002), ==, 0x00ff);
}

#define XICS_TEST(path, fn) g_test_add("/xics/" path, Xics, NULL, xics_setup, fn, xics_teardown)
#define MACHINE_TEST(path, fn)                                                                     \
    g_test_add("/xics/spapr/" path, Fixture, NULL, machine_setup, fn, machine_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    XICS_TEST("reset-state", test_reset_state);
    XICS_TEST("msi/cycle", test_msi_cycle);
    XICS_TEST("msi/rejected-resent", test_msi_rejected_then_resent);
    XICS_TEST("msi/masked-pending", test_msi_masked_pending);
    XICS_TEST("msi/rejected-masked", test_msi_rejected_then_masked);
    XICS_TEST("displacement", test_displacement);
    XICS_TEST("equal-priority", test_equal_priority);
    XICS_TEST("cppr-withdraws", test_cppr_withdraws);
    XICS_TEST("lsi/cycle", test_lsi_cycle);
    XICS_TEST("lsi/rejected", test_lsi_rejected);
    XICS_TEST("ipi", test_ipi);
    XICS_TEST("ipi-displaced", test_ipi_displaced);
    XICS_TEST("reset", test_reset);
    MACHINE_TEST("rtas/xive", test_rtas_xive);
    MACHINE_TEST("rtas/counts", test_rtas_counts);
    MACHINE_TEST("rtas/int-on-off", test_rtas_int_on_off);
    MACHINE_TEST("hcall/ipi", test_hcall_ipi);
    MACHINE_TEST("hcall/byte-args", test_hcall_byte_args);
    MACHINE_TEST("hcall/source", test_hcall_source);
    MACHINE_TEST("hcall/cede-wakes", test_cede_wakes);
    MACHINE_TEST("claim", test_claim);
    g_test_add_func("/xics/spapr/legacy-range", test_legacy_range);
    MACHINE_TEST("devices", test_devices);
    g_test_add_func("/xics/spapr/device-help", test_device_help);
    MACHINE_TEST("reset-tree", test_reset_tree);
    MACHINE_TEST("state/round-trip", test_state_round_trip);
    MACHINE_TEST("state/refused", test_state_refused);
    g_test_add_func("/xics/spapr/no-controller", test_no_controller);
    return g_test_run();
}
