/* RTAS events from inside a partition: /event-sources, check-exception and
 * event-scan with nothing queued, then QMP system_powerdown (sent by
 * run-qmp-guest.py when a line says so) raising the EPOW interrupt, the error
 * log check-exception returns for it (PAPR v6 extended log: Main-A, Main-B,
 * EPOW sections), queued events and their re-raised interrupt, a short buffer. */
#include "insn.h"

#define H_EOI 0x64
#define H_CPPR 0x68
#define H_XIRR 0x74

#define VEC_EXTERNAL 0x500
#define MSR_EE PPC_BIT(48)
#define RTAS_PARAM_ERROR (-3)
#define RTAS_NO_ERRORS 1

/* check-exception's event mask: one bit per event class (PAPR), from the left. */
#define EVENT_MASK_EPOW 0x40000000u
#define EVENT_MASK_HOTPLUG 0x10000000u

#define LOG_MAX 2048
/* The fixed part, then the v6 extension: header, Main-A, Main-B, EPOW. */
#define LOG_HDR 8
#define V6_HDR 16
#define MAINA_LEN 48
#define MAINB_LEN 24
#define EPOW_LEN 20
#define EPOW_EXT_LEN (V6_HDR + MAINA_LEN + MAINB_LEN + EPOW_LEN)

static uint8_t log_buf[LOG_MAX + 64] __attribute__((aligned(8)));
static uint32_t epow_irq, hotplug_irq;

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static int32_t check_exception(uint32_t mask, uint32_t len, int nargs)
{
    /* vector, extended information (the source), event mask, critical, buffer, length */
    uint32_t args[7] = { VEC_EXTERNAL, epow_irq, mask, 0, (uint32_t)(uintptr_t)log_buf, len, 0 };

    return guest_rtas("check-exception", nargs, 1, args, NULL);
}

static void test_tree(void *fdt)
{
    int node = guest_fdt_node(fdt, "/event-sources");
    const uint8_t *p;
    uint32_t len = 0, v = 0;

    CHECK(node >= 0);
    CHECK(guest_fdt_prop(fdt, node, "interrupt-controller", &len) && len == 0);
    CHECK(guest_fdt_u32(fdt, "/event-sources", "#interrupt-cells", &v));
    CHECK_EQ(v, 2);
    /* Each source: its number and one line. */
    p = guest_fdt_prop(fdt, node, "interrupt-ranges", &len);
    CHECK(p && len == 16);
    p = guest_fdt_prop(fdt, guest_fdt_node(fdt, "/event-sources/epow-events"), "interrupts", &len);
    CHECK(p && len == 8);
    if (p && len == 8) {
        epow_irq = guest_be32(p);
        CHECK_EQ(epow_irq, 0x1000);
        CHECK_EQ(guest_be32(p + 4), 0); /* a message (edge) source */
    }
    p = guest_fdt_prop(fdt, guest_fdt_node(fdt, "/event-sources/hot-plug-events"), "interrupts",
                       &len);
    CHECK(p && len == 8);
    if (p && len == 8) {
        hotplug_irq = guest_be32(p);
        CHECK_EQ(hotplug_irq, 0x1001);
    }
    p = guest_fdt_prop(fdt, node, "interrupt-ranges", &len);
    if (p && len == 16) {
        CHECK_EQ(guest_be32(p), epow_irq);
        CHECK_EQ(guest_be32(p + 4), 1);
        CHECK_EQ(guest_be32(p + 8), hotplug_irq);
        CHECK_EQ(guest_be32(p + 12), 1);
    }
    /* The RTAS side of the contract (QEMU's tokens). */
    CHECK(guest_fdt_u32(fdt, "/rtas", "check-exception", &v));
    CHECK_EQ(v, 0x200e);
    CHECK(guest_fdt_u32(fdt, "/rtas", "event-scan", &v));
    CHECK_EQ(v, 0x200f);
    CHECK(guest_fdt_u32(fdt, "/rtas", "ibm,os-term", &v));
    CHECK_EQ(v, 0x201f);
    CHECK(guest_fdt_u32(fdt, "/rtas", "ibm,nmi-register", &v));
    CHECK_EQ(v, 0x202b);
    CHECK(guest_fdt_u32(fdt, "/rtas", "ibm,nmi-interlock", &v));
    CHECK_EQ(v, 0x202c);
    CHECK(guest_fdt_u32(fdt, "/rtas", "rtas-event-scan-rate", &v));
    CHECK_EQ(v, 1);
    CHECK(guest_fdt_u32(fdt, "/rtas", "rtas-error-log-max", &v));
    CHECK_EQ(v, LOG_MAX);
    node = guest_fdt_node(fdt, "/rtas");
    CHECK(guest_fdt_prop(fdt, node, "ibm,extended-os-term", &len) && len == 0);
}

/* Nothing queued: "no errors found"; wrong cell counts: parameter error. */
static void test_no_event(void)
{
    uint32_t args[4] = { 0xffffffffu, 0, (uint32_t)(uintptr_t)log_buf, LOG_MAX };

    CHECK_EQ(check_exception(0xffffffffu, LOG_MAX, 6), RTAS_NO_ERRORS);
    CHECK_EQ(check_exception(0xffffffffu, LOG_MAX, 7), RTAS_NO_ERRORS);
    CHECK_EQ(check_exception(0xffffffffu, LOG_MAX, 5), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_rtas("check-exception", 6, 2, args, NULL), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_rtas("event-scan", 4, 1, args, NULL), RTAS_NO_ERRORS);
    CHECK_EQ(guest_rtas("event-scan", 3, 1, args, NULL), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_rtas("event-scan", 4, 2, args, NULL), RTAS_PARAM_ERROR);
}

static int64_t hcall1(uint64_t opcode, uint64_t a0, uint64_t *r4)
{
    uint64_t regs[9] = { a0 };
    int64_t rc = guest_hcall(opcode, regs);

    if (r4) {
        *r4 = regs[0];
    }
    return rc;
}

static void set_priority(uint32_t irq, uint32_t prio)
{
    uint32_t args[3] = { irq, 0, prio };

    CHECK_EQ(guest_rtas("ibm,set-xive", 3, 1, args, NULL), 0);
}

/* Sleep in H_CEDE until an external interrupt comes; accept it: its source. */
static uint32_t wait_external(void)
{
    struct guest_trap t;
    uint64_t xirr = 0;

    guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
    CHECK_EQ(guest_cede(), 0);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_EXTERNAL);
    CHECK_EQ(hcall1(H_XIRR, 0, &xirr), 0);
    return xirr & 0xffffff;
}

static void end_of_interrupt(uint32_t irq)
{
    CHECK_EQ(hcall1(H_EOI, 0xff000000u | irq, NULL), 0);
}

/* The log of one powerdown: what PAPR's v6 EPOW event says, as QEMU fills it. */
static void check_epow_log(const uint8_t *l, uint32_t *plid)
{
    const uint8_t *v6 = l + LOG_HDR, *ma = v6 + V6_HDR, *mb = ma + MAINA_LEN, *ep = mb + MAINB_LEN;

    /* Version 6, severity event, not recovered, extended part present, type EPOW. */
    CHECK_EQ(guest_be32(l), 0x06340040);
    CHECK_EQ(guest_be32(l + 4), EPOW_EXT_LEN);
    /* Valid, new log, big-endian; PowerPC format, pSeries event; "IBM". */
    CHECK_EQ(v6[0], 0x86);
    CHECK_EQ(v6[2], 0x8e);
    CHECK_EQ(guest_be32(v6 + 12), 0x49424d00);
    /* Main-A: 'PH', its length, created by the hypervisor, three sections. */
    CHECK_EQ(be16(ma), 0x5048);
    CHECK_EQ(be16(ma + 2), MAINA_LEN);
    CHECK_EQ(ma[24], 'H');
    CHECK_EQ(ma[27], 3);
    /* Creation date in BCD: a 20xx year, a month and a day that exist. */
    CHECK_EQ(ma[8], 0x20);
    CHECK(ma[10] >= 0x01 && ma[10] <= 0x12);
    CHECK(ma[11] >= 0x01 && ma[11] <= 0x31);
    *plid = guest_be32(ma + 40);
    /* Main-B: 'UH', external environment, informational, normal shutdown. */
    CHECK_EQ(be16(mb), 0x5548);
    CHECK_EQ(be16(mb + 2), MAINB_LEN);
    CHECK_EQ(mb[8], 0xa0);
    CHECK_EQ(mb[10], 0x00);
    CHECK_EQ(mb[11], 0xd0);
    /* EPOW: 'EP', version 2; action 3 (system shutdown), modifier normal, partition. */
    CHECK_EQ(be16(ep), 0x4550);
    CHECK_EQ(be16(ep + 2), EPOW_LEN);
    CHECK_EQ(ep[4], 2);
    CHECK_EQ(ep[8], 3);
    CHECK_EQ(ep[9], 1);
    CHECK_EQ(ep[10], 1);
}

static void dump_log(const uint8_t *l, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        guest_printf("%02x%s", l[i], (i % 16 == 15 || i + 1 == n) ? "\n" : " ");
    }
}

/* One powerdown: the interrupt, the log, and nothing left after it. */
static void test_one_powerdown(void)
{
    uint32_t plid = 0;

    set_priority(epow_irq, 5);
    CHECK_EQ(hcall1(H_CPPR, 0xff, NULL), 0);
    guest_printf("rtas-epow: waiting for a powerdown\n");
    CHECK_EQ(wait_external(), epow_irq);
    /* Another class's mask does not take it. */
    CHECK_EQ(check_exception(EVENT_MASK_HOTPLUG, LOG_MAX, 6), RTAS_NO_ERRORS);
    memset(log_buf, 0xa5, sizeof(log_buf));
    CHECK_EQ(check_exception(EVENT_MASK_EPOW, LOG_MAX, 6), 0);
    dump_log(log_buf, LOG_HDR + EPOW_EXT_LEN);
    check_epow_log(log_buf, &plid);
    /* Only the log is written. */
    CHECK_EQ(log_buf[LOG_HDR + EPOW_EXT_LEN], 0xa5);
    end_of_interrupt(epow_irq);
    CHECK_EQ(check_exception(EVENT_MASK_EPOW, LOG_MAX, 6), RTAS_NO_ERRORS);
    CHECK_EQ(check_exception(0xffffffffu, LOG_MAX, 7), RTAS_NO_ERRORS);
}

static void wait_console_char(void)
{
    uint64_t regs[9];
    int64_t rc;

    do {
        regs[0] = GUEST_VTY_UNIT;
        rc = guest_hcall(H_GET_TERM_CHAR, regs);
    } while (rc == 0 && regs[0] == 0);
    CHECK_EQ(rc, 0);
}

/*
 * Two powerdowns while the source is masked: two events queued.  Unmasked,
 * the interrupt comes; check-exception takes the first event and raises the
 * interrupt again for the second; then the queue is empty.
 */
static void test_two_powerdowns(void)
{
    uint32_t plid1 = 0, plid2 = 0;

    set_priority(epow_irq, 0xff);
    guest_printf("rtas-epow: masked, waiting for two powerdowns\n");
    wait_console_char();
    set_priority(epow_irq, 5);
    CHECK_EQ(wait_external(), epow_irq);
    CHECK_EQ(check_exception(EVENT_MASK_EPOW, LOG_MAX, 6), 0);
    check_epow_log(log_buf, &plid1);
    end_of_interrupt(epow_irq);
    CHECK_EQ(wait_external(), epow_irq);
    CHECK_EQ(check_exception(EVENT_MASK_EPOW, LOG_MAX, 6), 0);
    check_epow_log(log_buf, &plid2);
    end_of_interrupt(epow_irq);
    /*
     * Each log has its own platform log id, counting up.  PAPR logs are
     * big-endian; QEMU 7.2 stores this field in host order (little-endian).
     */
    CHECK_EQ(plid2, plid1 + (guest_oracle() ? 0x01000000 : 1));
    CHECK_EQ(check_exception(EVENT_MASK_EPOW, LOG_MAX, 6), RTAS_NO_ERRORS);
}

/*
 * A buffer shorter than the log gets its first bytes.  QEMU 7.2 writes the
 * whole log past the length the caller gave (PAPR: the buffer's length).
 */
static void test_short_buffer(void)
{
    set_priority(epow_irq, 5);
    guest_printf("rtas-epow: waiting for a powerdown, short buffer\n");
    CHECK_EQ(wait_external(), epow_irq);
    memset(log_buf, 0xa5, sizeof(log_buf));
    CHECK_EQ(check_exception(EVENT_MASK_EPOW, 16, 6), 0);
    CHECK_EQ(guest_be32(log_buf), 0x06340040);
    CHECK_EQ(guest_be32(log_buf + 4), EPOW_EXT_LEN);
    CHECK_EQ(log_buf[15], 0x00); /* the v6 header's reserved byte */
    CHECK_EQ(log_buf[16], guest_oracle() ? 0x00 : 0xa5);
    end_of_interrupt(epow_irq);
}

int main(void *fdt)
{
    guest_trap_init();
    test_tree(fdt);
    test_no_event();
    test_one_powerdown();
    test_two_powerdowns();
    test_short_buffer();
    return 0;
}
