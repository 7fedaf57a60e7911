/*
 * libFuzzer target: the XICS interrupt controller as a guest and its
 * devices drive it, on the real pseries machine with 4 vCPUs (servers 0-3):
 * the interrupt hypercalls (H_CPPR, H_IPI, H_XIRR, H_XIRR_X, H_EOI,
 * H_IPOLL) through spapr_hypercall, the source services (ibm,set-xive,
 * ibm,get-xive, ibm,int-off, ibm,int-on) through H_RTAS with the argument
 * block in guest RAM, and device lines raised, lowered and pulsed through
 * the qemu_irq the controller hands devices (spapr_qirq).
 *
 * Input: up to 64 operations, each an opcode byte, a CPU byte and the
 * operation's values.  Sources are mostly claimed ones (the board's: event
 * sources, PHB LSIs, VIO; and 6 LSIs and 6 MSIs the target claims as a
 * device would), for RTAS sometimes any number.
 *
 * Checked after every operation, besides the sanitizers:
 * - each presentation controller raises its processor's external
 *   interrupt line exactly while it holds an interrupt, and holds only the
 *   IPI or a claimed source;
 * - the resend map matches the sources' states;
 * - no message (MSI) is lost: one that fired since it was last accepted is
 *   held by a controller, refused for a resend, or waiting masked;
 * - a level source (LSI) is presented when asserted and not out already;
 * - nothing is accepted more often than it fired, and an LSI is not
 *   accepted again before an EOI (unless the guest EOIed it from a
 *   processor that had not accepted it: that is the guest's doing);
 * - the RTAS services answer as PAPR says and get-xive reads back what
 *   set-xive/int-off/int-on left.
 * At the end every source is unmasked, every processor EOIs what it holds
 * and opens its CPPR, and all that is pending is accepted: every MSI that
 * fired since its last acceptance, every asserted LSI and every requested
 * IPI must come out, and the controller must end idle.
 *
 * Between inputs only the controller is reset (ics_reset, icp_reset): it
 * is all an input changes, apart from the RTAS block.
 */
#include "fuzz.h"
#include "exec/guest-memory.h"
#include "hw/ppc/spapr_irq.h"
#include "hw/ppc/spapr_rtas.h"
#include "hw/ppc/xics.h"

#define NR_CPUS 4
#define MAX_OPS 64
#define BLOCK FUZZ_WINDOW /* the RTAS argument block */
#define NR_OWN_LSI 6      /* sources the target claims, as devices would */
#define NR_OWN_MSI 6
#define OWN_BASE (SPAPR_XIRQ_BASE + 0x800)

enum {
    OP_CPPR,
    OP_IPI,
    OP_XIRR,
    OP_XIRR_X,
    OP_EOI,
    OP_IPOLL,
    OP_SET_XIVE,
    OP_GET_XIVE,
    OP_INT_OFF,
    OP_INT_ON,
    OP_LINE,
    OP_PULSE,
    OP_COUNT,
};

/* What the target knows about one source, from what it did to it. */
typedef struct Shadow {
    uint32_t server;
    uint8_t priority, saved;
    bool level;     /* LSI: the line is high */
    bool armed;     /* LSI: asserted since its last acceptance (or asserted at an EOI) */
    int in_service; /* LSI: the CPU that accepted it and has not EOIed it, or -1 */
    bool tainted;   /* LSI: EOIed by a CPU that had not accepted it */
    bool owed;      /* MSI: fired since it was last accepted */
    uint32_t fired, accepted;
} Shadow;

static SpaprMachineState *spapr;
static ICSState *ics;
static GArray *sources; /* uint32_t: every claimed source number */
static Shadow shadow[SPAPR_NR_XIRQS];
static uint64_t claimed_map[SPAPR_NR_XIRQS / 64]; /* a bit per claimed source */

static ICPState *cpu_icp(unsigned i)
{
    return spapr_cpu_icp(spapr, spapr->cpus[i]);
}

static uint32_t cpu_server(unsigned i)
{
    return cpu_icp(i)->server;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char *err = NULL;

    fuzz_machine_set_cpus(NR_CPUS);
    spapr = fuzz_machine();
    ics = spapr->irq->ics;
    /* Level and message sources of our own, next to the board's (events, PHB, VIO). */
    for (uint32_t i = 0; i < NR_OWN_LSI + NR_OWN_MSI; i++) {
        if (!spapr_irq_claim(spapr, OWN_BASE + i, i < NR_OWN_LSI, &err)) {
            fuzz_fail("fuzz-xics: %s", err);
        }
    }
    sources = g_array_new(false, false, sizeof(uint32_t));
    for (uint32_t i = 0; i < ics->nr_irqs; i++) {
        if (ics->irqs[i].flags) {
            uint32_t nr = ics->offset + i;

            g_array_append_val(sources, nr);
            claimed_map[i / 64] |= 1ULL << (i % 64);
        }
    }
    for (unsigned i = 0; i < NR_CPUS; i++) {
        g_assert_nonnull(cpu_icp(i));
    }
    return 0;
}

static bool is_lsi(uint32_t nr)
{
    return ics_valid_irq(ics, nr) && (ics_irq(ics, nr)->flags & XICS_FLAGS_IRQ_LSI);
}

static bool is_msi(uint32_t nr)
{
    return ics_valid_irq(ics, nr) && (ics_irq(ics, nr)->flags & XICS_FLAGS_IRQ_MSI);
}

static Shadow *sh(uint32_t nr)
{
    return &shadow[nr - ics->offset];
}

/* A claimed source: one of the target's own (bit 7), or any of the list. */
static uint32_t pick_claimed(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    if (sel & 0x80) {
        return OWN_BASE + (sel & 0x7f) % (NR_OWN_LSI + NR_OWN_MSI);
    }
    return g_array_index(sources, uint32_t, sel % sources->len);
}

/* Mostly a claimed source, sometimes any number (unclaimed, outside the controller). */
static uint32_t pick_source(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    if (sel < 0xe0) {
        return pick_claimed(in);
    }
    if (sel < 0xf0) {
        return ics->offset + fuzz_u16(in) % ics->nr_irqs;
    }
    return fuzz_u32(in);
}

/* Mostly a server that exists, sometimes any 32-bit value. */
static uint32_t pick_server(FuzzInput *in)
{
    uint8_t sel = fuzz_u8(in);

    return sel < 0xf0 ? cpu_server(sel % NR_CPUS) : fuzz_u32(in);
}

/* Mostly one of the priorities a guest uses, sometimes any byte. */
static uint8_t pick_priority(FuzzInput *in)
{
    static const uint8_t common[] = { 0, 5, 6, 0xfe, 0xff };
    uint8_t sel = fuzz_u8(in);

    return sel < 0xc0 ? common[sel % G_N_ELEMENTS(common)] : fuzz_u8(in);
}

static target_ulong hcall(unsigned cpu, target_ulong opcode, target_ulong *args)
{
    return spapr_hypercall(spapr->cpus[cpu], opcode, args);
}

/* An RTAS call of the source services: the status, results in ret[]. */
static int32_t rtas(unsigned cpu, uint32_t token, uint32_t nargs, uint32_t nret,
                    const uint32_t *args, uint32_t *ret)
{
    target_ulong hargs[SPAPR_HCALL_NARGS] = { BLOCK };

    g_assert_true(guest_stl_be(BLOCK, token));
    g_assert_true(guest_stl_be(BLOCK + 4, nargs));
    g_assert_true(guest_stl_be(BLOCK + 8, nret));
    for (uint32_t i = 0; i < nargs + nret; i++) {
        g_assert_true(guest_stl_be(BLOCK + 12 + 4 * i, i < nargs ? args[i] : 0xdeadbeef));
    }
    g_assert_cmpint(hcall(cpu, KVMPPC_H_RTAS, hargs), ==, H_SUCCESS);
    for (uint32_t i = 0; i < nret; i++) {
        g_assert_true(guest_ldl_be(BLOCK + 12 + 4 * (nargs + i), &ret[i]));
    }
    return nret ? (int32_t)ret[0] : 0;
}

/* The processor accepted xirr: nothing comes out more often than it went in. */
static void accepted(unsigned cpu, uint32_t xirr)
{
    uint32_t nr = xirr & XICS_XISR_MASK;
    Shadow *s;

    if (nr == XICS_XISR_NONE || nr == XICS_XISR_IPI) {
        return;
    }
    if (!is_lsi(nr) && !is_msi(nr)) {
        fuzz_fail("fuzz-xics: CPU %u accepted %#x, which is no claimed source", cpu, nr);
    }
    s = sh(nr);
    if (is_msi(nr)) {
        s->accepted++;
        if (s->accepted > s->fired) {
            fuzz_fail("fuzz-xics: MSI %#x accepted %u times, fired %u times", nr, s->accepted,
                      s->fired);
        }
        s->owed = false;
        return;
    }
    if (!s->tainted && (s->in_service >= 0 || !s->armed)) {
        fuzz_fail("fuzz-xics: LSI %#x accepted by CPU %u %s", nr, cpu,
                  s->in_service >= 0 ? "while in service (no EOI)" : "without being asserted");
    }
    s->armed = false;
    s->in_service = cpu;
}

static void eoied(unsigned cpu, uint32_t xirr)
{
    uint32_t nr = xirr & XICS_XISR_MASK;
    Shadow *s;

    if (!is_lsi(nr)) {
        return;
    }
    s = sh(nr);
    if (s->in_service == (int)cpu) {
        s->in_service = -1;
    } else {
        s->tainted = true;
    }
    if (s->level) {
        s->armed = true;
    }
}

static void set_line(uint32_t nr, bool level)
{
    qemu_irq line = spapr_qirq(spapr, nr);

    g_assert_nonnull(line);
    if (is_lsi(nr)) {
        sh(nr)->level = level;
        if (level) {
            sh(nr)->armed = true;
        }
    } else if (level) {
        sh(nr)->fired++;
        sh(nr)->owed = true;
    }
    qemu_set_irq(line, level);
}

/* Is source nr what some presentation controller holds? */
static bool held(uint32_t nr)
{
    for (unsigned i = 0; i < NR_CPUS; i++) {
        if ((cpu_icp(i)->xirr & XICS_XISR_MASK) == nr) {
            return true;
        }
    }
    return false;
}

static void check_invariants(void)
{
    for (unsigned i = 0; i < NR_CPUS; i++) {
        ICPState *icp = cpu_icp(i);
        uint32_t xisr = icp->xirr & XICS_XISR_MASK;
        bool line = spapr->cpus[i]->env.pending_interrupts & PPC_INTERRUPT_EXT;

        if (icp->output != (xisr != XICS_XISR_NONE) || line != icp->output) {
            fuzz_fail("fuzz-xics: CPU %u: XISR %#x, output %d, processor line %d", i, xisr,
                      icp->output, line);
        }
        if ((xisr == XICS_XISR_NONE) != (icp->pending_priority == XICS_PRIORITY_MASKED)) {
            fuzz_fail("fuzz-xics: CPU %u: XISR %#x with pending priority %#x", i, xisr,
                      icp->pending_priority);
        }
        if (xisr != XICS_XISR_NONE && xisr != XICS_XISR_IPI && !is_lsi(xisr) && !is_msi(xisr)) {
            fuzz_fail("fuzz-xics: CPU %u holds %#x, which is no claimed source", i, xisr);
        }
    }
    /* Only claimed sources change state: the others' resend bits stay clear. */
    for (uint32_t w = 0; w < ics->nr_irqs / 64; w++) {
        if (ics->resend_map[w] & ~claimed_map[w]) {
            fuzz_fail("fuzz-xics: resend bits %#" PRIx64 " of unclaimed sources (word %u)",
                      ics->resend_map[w] & ~claimed_map[w], w);
        }
    }
    for (guint k = 0; k < sources->len; k++) {
        uint32_t i = g_array_index(sources, uint32_t, k) - ics->offset;
        const ICSIRQState *irq = &ics->irqs[i];
        bool lsi = irq->flags & XICS_FLAGS_IRQ_LSI;
        bool resend =
            lsi ? (irq->status & XICS_STATUS_ASSERTED) && !(irq->status & XICS_STATUS_SENT)
                : irq->status & XICS_STATUS_REJECTED;
        bool bit = ics->resend_map[i / 64] >> (i % 64) & 1;

        if (bit != resend) {
            fuzz_fail("fuzz-xics: source %#x: status %#x, resend bit %d", ics->offset + i,
                      irq->status, bit);
        }
    }
    for (guint k = 0; k < sources->len; k++) {
        uint32_t nr = g_array_index(sources, uint32_t, k);
        const ICSIRQState *irq = ics_irq(ics, nr);
        Shadow *s = sh(nr);

        if (is_msi(nr) && s->owed &&
            !(held(nr) || (irq->status & (XICS_STATUS_REJECTED | XICS_STATUS_MASKED_PENDING)))) {
            fuzz_fail("fuzz-xics: MSI %#x fired and was lost (status %#x)", nr, irq->status);
        }
        if (is_lsi(nr)) {
            if (!!(irq->status & XICS_STATUS_ASSERTED) != s->level) {
                fuzz_fail("fuzz-xics: LSI %#x: line %d, status %#x", nr, s->level, irq->status);
            }
            /* Out (SENT) means held by a controller or accepted and not EOIed. */
            if ((irq->status & XICS_STATUS_SENT) && !held(nr) && s->in_service < 0 && !s->tainted) {
                fuzz_fail("fuzz-xics: LSI %#x is marked sent but nobody has it", nr);
            }
            if (held(nr) && !(irq->status & XICS_STATUS_SENT) && !s->tainted) {
                fuzz_fail("fuzz-xics: LSI %#x is held but not marked sent", nr);
            }
        }
    }
}

/* ibm,set-xive, -get-xive, -int-off, -int-on, now and then with wrong counts. */
static void op_rtas(FuzzInput *in, unsigned cpu, unsigned op)
{
    static const uint32_t tokens[] = { RTAS_IBM_SET_XIVE, RTAS_IBM_GET_XIVE, RTAS_IBM_INT_OFF,
                                       RTAS_IBM_INT_ON };
    static const uint32_t want_args[] = { 3, 1, 1, 1 }, want_ret[] = { 1, 3, 1, 1 };
    unsigned k = op - OP_SET_XIVE;
    uint8_t counts = fuzz_u8(in);
    uint32_t nargs = want_args[k], nret = want_ret[k];
    uint32_t args[3] = { pick_source(in) }, ret[4] = { 0 };
    bool valid = ics_valid_irq(ics, args[0]);
    Shadow before = { 0 }, *s = valid ? sh(args[0]) : NULL;
    int32_t status;

    if (k == 0) {
        args[1] = pick_server(in);
        args[2] = fuzz_u8(in) < 0xf0 ? pick_priority(in) : fuzz_u32(in);
    }
    if (counts >= 0xf0) {
        nargs = counts & 3;
        nret = (counts >> 2) & 3;
    }
    if (s) {
        before = *s;
    }
    status = rtas(cpu, tokens[k], nargs, nret, args, ret);
    if (nargs != want_args[k] || nret != want_ret[k] || !valid ||
        (k == 0 && (!xics_icp_get(ics, args[1]) || args[2] > XICS_PRIORITY_MASKED))) {
        if (nret && status != RTAS_OUT_PARAM_ERROR) {
            fuzz_fail("fuzz-xics: refused RTAS call %#x answered %d", tokens[k], status);
        }
        if (s && (ics_irq(ics, args[0])->priority != before.priority ||
                  ics_irq(ics, args[0])->server != before.server)) {
            fuzz_fail("fuzz-xics: refused RTAS call %#x changed source %#x", tokens[k], args[0]);
        }
        return;
    }
    if (status != RTAS_OUT_SUCCESS) {
        fuzz_fail("fuzz-xics: RTAS call %#x on source %#x answered %d", tokens[k], args[0], status);
    }
    switch (k) {
    case 0:
        s->server = args[1];
        s->priority = s->saved = args[2];
        break;
    case 1:
        if (ret[1] != s->server || ret[2] != s->priority) {
            fuzz_fail("fuzz-xics: get-xive %#x: server %u priority %u, set %u %u", args[0], ret[1],
                      ret[2], s->server, s->priority);
        }
        break;
    case 2:
        s->saved = s->priority;
        s->priority = XICS_PRIORITY_MASKED;
        break;
    case 3:
        s->priority = s->saved;
        break;
    }
    if (ics_irq(ics, args[0])->priority != s->priority ||
        ics_irq(ics, args[0])->server != s->server) {
        fuzz_fail("fuzz-xics: source %#x: server %u priority %u, want %u %u", args[0],
                  ics_irq(ics, args[0])->server, ics_irq(ics, args[0])->priority, s->server,
                  s->priority);
    }
}

static void op_hcall(FuzzInput *in, unsigned cpu, unsigned op)
{
    target_ulong args[SPAPR_HCALL_NARGS] = { 0 };
    ICPState *icp = cpu_icp(cpu);
    target_ulong rc;
    uint32_t nr;

    switch (op) {
    case OP_CPPR:
        args[0] = fuzz_u8(in) < 0xf0 ? pick_priority(in) : fuzz_u64(in);
        g_assert_cmpint(hcall(cpu, H_CPPR, args), ==, H_SUCCESS);
        break;
    case OP_IPI:
        args[0] = fuzz_u8(in) < 0xf0 ? pick_server(in) : fuzz_u64(in);
        args[1] = pick_priority(in);
        rc = hcall(cpu, H_IPI, args);
        /* The server is r4's low 32 bits, as QEMU 7.2 reads it. */
        if ((int64_t)rc != (xics_icp_get(ics, (uint32_t)args[0]) ? H_SUCCESS : H_PARAMETER)) {
            fuzz_fail("fuzz-xics: H_IPI to %#" PRIx64 " answered %" PRId64, (uint64_t)args[0],
                      (int64_t)rc);
        }
        break;
    case OP_XIRR:
    case OP_XIRR_X:
        g_assert_cmpint(hcall(cpu, op == OP_XIRR ? H_XIRR : H_XIRR_X, args), ==, H_SUCCESS);
        accepted(cpu, args[0]);
        break;
    case OP_EOI: {
        uint8_t sel = fuzz_u8(in);
        uint8_t cppr = sel & 0x80 ? pick_priority(in) : XICS_PRIORITY_MASKED;

        switch (sel & 3) {
        case 0: /* what this CPU has in service, as a guest does */
            nr = XICS_XISR_NONE;
            for (guint k = 0; k < sources->len && nr == XICS_XISR_NONE; k++) {
                uint32_t s = g_array_index(sources, uint32_t, k);

                nr = is_lsi(s) && sh(s)->in_service == (int)cpu ? s : XICS_XISR_NONE;
            }
            break;
        case 1:
            nr = pick_source(in);
            break;
        case 2:
            nr = XICS_XISR_IPI;
            break;
        default:
            nr = fuzz_u32(in);
            break;
        }
        args[0] = (target_ulong)cppr << XICS_XIRR_CPPR_SHIFT | (nr & XICS_XISR_MASK);
        if (sel & 0x40) {
            args[0] |= (target_ulong)fuzz_u32(in) << 32;
        }
        g_assert_cmpint(hcall(cpu, H_EOI, args), ==, H_SUCCESS);
        eoied(cpu, args[0]);
        break;
    }
    case OP_IPOLL:
        g_assert_cmpint(hcall(cpu, H_IPOLL, args), ==, H_SUCCESS);
        if (args[0] != icp->xirr || args[1] != icp->mfrr) {
            fuzz_fail("fuzz-xics: H_IPOLL on CPU %u: %#" PRIx64 " %#" PRIx64, cpu,
                      (uint64_t)args[0], (uint64_t)args[1]);
        }
        break;
    }
}

/*
 * The end of an input: unmask every source, EOI what is in service, open
 * every CPPR and accept until nothing is left.  What fired must come out.
 */
static void drain(void)
{
    bool ipi[NR_CPUS], got_ipi[NR_CPUS] = { false };
    bool lsi_high[SPAPR_NR_XIRQS] = { false };
    unsigned rounds = 0, limit = 2 * (sources->len + NR_CPUS) + 4;
    bool any = true;

    for (guint k = 0; k < sources->len; k++) {
        uint32_t nr = g_array_index(sources, uint32_t, k), ret[1];
        uint32_t args[3] = { nr, sh(nr)->server, 5 };

        if (sh(nr)->priority == XICS_PRIORITY_MASKED) {
            g_assert_cmpint(rtas(0, RTAS_IBM_SET_XIVE, 3, 1, args, ret), ==, RTAS_OUT_SUCCESS);
            sh(nr)->priority = sh(nr)->saved = 5;
        }
        lsi_high[nr - ics->offset] = is_lsi(nr) && sh(nr)->level;
    }
    for (unsigned i = 0; i < NR_CPUS; i++) {
        target_ulong args[SPAPR_HCALL_NARGS] = { XICS_PRIORITY_MASKED };

        for (guint k = 0; k < sources->len; k++) {
            uint32_t nr = g_array_index(sources, uint32_t, k);

            if (is_lsi(nr) && sh(nr)->in_service == (int)i) {
                args[0] = (target_ulong)XICS_PRIORITY_MASKED << XICS_XIRR_CPPR_SHIFT | nr;
                g_assert_cmpint(hcall(i, H_EOI, args), ==, H_SUCCESS);
                eoied(i, args[0]);
            }
        }
        args[0] = XICS_PRIORITY_MASKED;
        g_assert_cmpint(hcall(i, H_CPPR, args), ==, H_SUCCESS);
        ipi[i] = cpu_icp(i)->mfrr != XICS_PRIORITY_MASKED;
    }
    while (any) {
        any = false;
        if (++rounds > limit) {
            fuzz_fail("fuzz-xics: still presenting interrupts after %u rounds", limit);
        }
        for (unsigned i = 0; i < NR_CPUS; i++) {
            target_ulong args[SPAPR_HCALL_NARGS] = { 0 };
            uint32_t nr;

            g_assert_cmpint(hcall(i, H_XIRR, args), ==, H_SUCCESS);
            nr = args[0] & XICS_XISR_MASK;
            if (nr == XICS_XISR_NONE) {
                continue;
            }
            any = true;
            accepted(i, args[0]);
            if (nr == XICS_XISR_IPI) {
                got_ipi[i] = true;
                args[0] = cpu_server(i);
                args[1] = XICS_PRIORITY_MASKED;
                g_assert_cmpint(hcall(i, H_IPI, args), ==, H_SUCCESS);
            } else if (is_lsi(nr)) {
                lsi_high[nr - ics->offset] = false;
                set_line(nr, false); /* the device is served */
            }
            args[0] = (target_ulong)XICS_PRIORITY_MASKED << XICS_XIRR_CPPR_SHIFT | nr;
            g_assert_cmpint(hcall(i, H_EOI, args), ==, H_SUCCESS);
            eoied(i, args[0]);
            check_invariants();
        }
    }
    for (unsigned i = 0; i < NR_CPUS; i++) {
        if (ipi[i] && !got_ipi[i]) {
            fuzz_fail("fuzz-xics: the IPI requested of CPU %u was lost", i);
        }
        if (cpu_icp(i)->xirr != (uint32_t)XICS_PRIORITY_MASKED << XICS_XIRR_CPPR_SHIFT) {
            fuzz_fail("fuzz-xics: CPU %u ends with XIRR %#x", i, cpu_icp(i)->xirr);
        }
    }
    for (guint k = 0; k < sources->len; k++) {
        uint32_t nr = g_array_index(sources, uint32_t, k);

        if (sh(nr)->owed || lsi_high[nr - ics->offset]) {
            fuzz_fail("fuzz-xics: %s %#x was never delivered", is_lsi(nr) ? "LSI" : "MSI", nr);
        }
        if (ics_irq(ics, nr)->status & ~XICS_STATUS_ASSERTED) {
            fuzz_fail("fuzz-xics: source %#x ends with status %#x", nr, ics_irq(ics, nr)->status);
        }
    }
}

static void reset(void)
{
    ics_reset(ics);
    for (unsigned i = 0; i < NR_CPUS; i++) {
        icp_reset(cpu_icp(i));
    }
    for (uint32_t i = 0; i < ics->nr_irqs; i++) {
        shadow[i] = (Shadow){ .priority = XICS_PRIORITY_MASKED,
                              .saved = XICS_PRIORITY_MASKED,
                              .in_service = -1 };
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size, 0 };

    reset();
    check_invariants();
    for (unsigned n = 0; n < MAX_OPS && fuzz_left(&in); n++) {
        unsigned op = fuzz_u8(&in) % OP_COUNT;
        unsigned cpu = fuzz_u8(&in) % NR_CPUS;

        switch (op) {
        case OP_SET_XIVE:
        case OP_GET_XIVE:
        case OP_INT_OFF:
        case OP_INT_ON:
            op_rtas(&in, cpu, op);
            break;
        case OP_LINE: {
            uint32_t nr = pick_claimed(&in);

            set_line(nr, fuzz_u8(&in) & 1);
            break;
        }
        case OP_PULSE: {
            uint32_t nr = pick_claimed(&in);

            set_line(nr, true);
            set_line(nr, false);
            break;
        }
        default:
            op_hcall(&in, cpu, op);
            break;
        }
        check_invariants();
    }
    drain();
    return 0;
}
