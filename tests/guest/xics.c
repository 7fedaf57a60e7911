/* The XICS interrupt controller from inside a partition: its device-tree node,
 * an IPI to itself taken through 0x500 out of H_CEDE, accepted with H_XIRR and
 * ended with H_EOI, CPPR masking and IPI displacement rules, H_IPOLL, H_XIRR_X,
 * and the RTAS source services with their errors. */
#include "insn.h"

#define H_PARAMETER (-4)
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_XIRR_X 0x2fc

#define VEC_EXTERNAL 0x500
#define MSR_EE PPC_BIT(48)
#define XISR_IPI 2
#define XIRR(cppr, xisr) ((uint64_t)(cppr) << 24 | (xisr))
#define RTAS_PARAM_ERROR (-3)

static uint64_t hcall(uint64_t opcode, uint64_t a0, uint64_t a1, uint64_t *r4, uint64_t *r5)
{
    uint64_t regs[9] = { a0, a1 };
    int64_t rc = guest_hcall(opcode, regs);

    if (r4) {
        *r4 = regs[0];
    }
    if (r5) {
        *r5 = regs[1];
    }
    return rc;
}

/* The presentation controller's state: XIRR, and the MFRR in *mfrr. */
static uint64_t ipoll(uint64_t *mfrr)
{
    uint64_t xirr = ~0ULL;

    CHECK_EQ(hcall(H_IPOLL, 0, 0, &xirr, mfrr), 0);
    return xirr;
}

static void test_device_tree(void *fdt)
{
    int node = guest_fdt_node(fdt, "/interrupt-controller");
    const char *s;
    const uint8_t *ranges;
    uint32_t len = 0, v = ~0u;

    CHECK(node >= 0);
    s = guest_fdt_prop(fdt, node, "compatible", &len);
    CHECK(s && len == sizeof("IBM,ppc-xicp") && !memcmp(s, "IBM,ppc-xicp", len));
    s = guest_fdt_prop(fdt, node, "device_type", &len);
    CHECK(s && len == sizeof("PowerPC-External-Interrupt-Presentation"));
    CHECK(guest_fdt_prop(fdt, node, "interrupt-controller", &len) && len == 0);
    ranges = guest_fdt_prop(fdt, node, "ibm,interrupt-server-ranges", &len);
    CHECK(ranges && len == 8);
    if (ranges && len == 8) {
        CHECK_EQ(guest_be32(ranges), 0);
        CHECK_EQ(guest_be32(ranges + 4), 1);
    }
    CHECK(guest_fdt_u32(fdt, "/interrupt-controller", "#interrupt-cells", &v));
    CHECK_EQ(v, 2);
    CHECK(guest_fdt_u32(fdt, "/interrupt-controller", "phandle", &v));
    CHECK_EQ(v, 0x1111);
    /* The processor is server 0; /rtas offers the source services. */
    CHECK(guest_fdt_u32(fdt, "/cpus/PowerPC,POWER9@0", "ibm,ppc-interrupt-server#s", &v));
    CHECK_EQ(v, 0);
    CHECK(guest_fdt_u32(fdt, "/rtas", "ibm,set-xive", &v));
    CHECK_EQ(v, 0x200a);
}

/* Reset: CPPR 0 (nothing gets through), nothing pending, no IPI requested. */
static void test_reset_state(void)
{
    uint64_t mfrr = 0;

    CHECK_EQ(ipoll(&mfrr), 0);
    CHECK_EQ(mfrr, 0xff);
}

/*
 * An IPI to ourselves: pending once the CPPR lets it through, taken at 0x500
 * as soon as H_CEDE enables external interrupts, accepted, withdrawn, EOIed.
 */
static void test_ipi_through_cede(void)
{
    struct guest_trap t;
    uint64_t mfrr = 0, xirr = 0;

    CHECK_EQ(hcall(H_IPI, 0, 5, NULL, NULL), 0);
    /* CPPR 0 holds it off; CPPR 5 (equal) too; CPPR 6 lets it through. */
    CHECK_EQ(ipoll(&mfrr), 0);
    CHECK_EQ(mfrr, 5);
    CHECK_EQ(hcall(H_CPPR, 5, 0, NULL, NULL), 0);
    CHECK_EQ(ipoll(NULL), XIRR(5, 0));
    CHECK_EQ(hcall(H_CPPR, 6, 0, NULL, NULL), 0);
    CHECK_EQ(ipoll(NULL), XIRR(6, XISR_IPI));
    /* EE is off: nothing is taken until H_CEDE turns it on. */
    CHECK(!(guest_mfmsr() & MSR_EE));
    guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
    CHECK_EQ(guest_cede(), 0);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_EXTERNAL);
    CHECK_EQ(t.srr0, (uintptr_t)guest_cede_return);
    CHECK(t.srr1 & MSR_EE);
    /* Accept: the XIRR as it was; the CPPR becomes the IPI's priority. */
    CHECK_EQ(hcall(H_XIRR, 0, 0, &xirr, NULL), 0);
    CHECK_EQ(xirr, XIRR(6, XISR_IPI));
    CHECK_EQ(ipoll(&mfrr), XIRR(5, 0));
    CHECK_EQ(mfrr, 5);
    /* Withdraw the request, then EOI back to CPPR 0xff: nothing comes back. */
    CHECK_EQ(hcall(H_IPI, 0, 0xff, NULL, NULL), 0);
    CHECK_EQ(hcall(H_EOI, XIRR(0xff, XISR_IPI), 0, NULL, NULL), 0);
    CHECK_EQ(ipoll(&mfrr), XIRR(0xff, 0));
    CHECK_EQ(mfrr, 0xff);
}

/* A request that is not withdrawn is presented again after the EOI. */
static void test_ipi_again_after_eoi(void)
{
    uint64_t xirr = 0, tb = 0, before, after;

    CHECK_EQ(hcall(H_IPI, 0, 3, NULL, NULL), 0);
    CHECK_EQ(hcall(H_XIRR, 0, 0, &xirr, NULL), 0);
    CHECK_EQ(xirr, XIRR(0xff, XISR_IPI));
    CHECK_EQ(hcall(H_EOI, XIRR(0xff, XISR_IPI), 0, NULL, NULL), 0);
    CHECK_EQ(ipoll(NULL), XIRR(0xff, XISR_IPI));
    /* H_XIRR_X also says when: the time base (QEMU 7.2: the host's cycle counter). */
    before = guest_mftb();
    CHECK_EQ(hcall(H_XIRR_X, 0, 0, &xirr, &tb), 0);
    after = guest_mftb();
    CHECK_EQ(xirr, XIRR(0xff, XISR_IPI));
    CHECK(guest_oracle() || (tb >= before && tb <= after));
    CHECK_EQ(hcall(H_IPI, 0, 0xff, NULL, NULL), 0);
    CHECK_EQ(hcall(H_EOI, XIRR(0xff, XISR_IPI), 0, NULL, NULL), 0);
    /* Nothing pending: H_XIRR returns XISR 0 and leaves CPPR 0xff. */
    CHECK_EQ(hcall(H_XIRR, 0, 0, &xirr, NULL), 0);
    CHECK_EQ(xirr, XIRR(0xff, 0));
    CHECK_EQ(ipoll(NULL), XIRR(0xff, 0));
    /* Raising the CPPR above a pending IPI takes it back; lowering it returns it. */
    CHECK_EQ(hcall(H_IPI, 0, 7, NULL, NULL), 0);
    CHECK_EQ(ipoll(NULL), XIRR(0xff, XISR_IPI));
    CHECK_EQ(hcall(H_CPPR, 7, 0, NULL, NULL), 0);
    CHECK_EQ(ipoll(NULL), XIRR(7, 0));
    CHECK_EQ(hcall(H_CPPR, 0xff, 0, NULL, NULL), 0);
    CHECK_EQ(ipoll(NULL), XIRR(0xff, XISR_IPI));
    CHECK_EQ(hcall(H_IPI, 0, 0xff, NULL, NULL), 0);
    CHECK_EQ(hcall(H_XIRR, 0, 0, &xirr, NULL), 0);
    CHECK_EQ(hcall(H_EOI, XIRR(0xff, XISR_IPI), 0, NULL, NULL), 0);
    CHECK_EQ(ipoll(NULL), XIRR(0xff, 0));
}

/*
 * H_IPI to a server that does not exist.  The server is r4's low 32 bits
 * and the MFRR r5's low byte (QEMU 7.2 reads them so).
 */
static void test_ipi_errors(void)
{
    uint64_t mfrr = 0, xirr = 0;

    CHECK_EQ(hcall(H_IPI, 1, 5, NULL, NULL), H_PARAMETER);
    CHECK_EQ(hcall(H_IPI, 0x100000001ULL, 5, NULL, NULL), H_PARAMETER);
    CHECK_EQ(hcall(H_IPI, -1ULL, 5, NULL, NULL), H_PARAMETER);
    CHECK_EQ(ipoll(&mfrr), XIRR(0xff, 0));
    CHECK_EQ(mfrr, 0xff);
    CHECK_EQ(hcall(H_IPI, 0x100000000ULL, 0x1ff, NULL, NULL), 0);
    CHECK_EQ(ipoll(&mfrr), XIRR(0xff, 0));
    CHECK_EQ(mfrr, 0xff);
    CHECK_EQ(hcall(H_IPI, 0x100000000ULL, 0x104, NULL, NULL), 0);
    CHECK_EQ(ipoll(&mfrr), XIRR(0xff, XISR_IPI));
    CHECK_EQ(mfrr, 4);
    CHECK_EQ(hcall(H_IPI, 0, 0xff, NULL, NULL), 0);
    CHECK_EQ(hcall(H_XIRR, 0, 0, &xirr, NULL), 0);
    CHECK_EQ(xirr, XIRR(0xff, XISR_IPI));
    CHECK_EQ(hcall(H_EOI, XIRR(0xff, XISR_IPI), 0, NULL, NULL), 0);
    CHECK_EQ(ipoll(NULL), XIRR(0xff, 0));
}

static int32_t set_xive(uint32_t nr, uint32_t server, uint32_t prio)
{
    uint32_t args[3] = { nr, server, prio };

    return guest_rtas("ibm,set-xive", 3, 1, args, NULL);
}

/* get-xive: server << 8 | priority, or ~0 on an error. */
static uint32_t get_xive(uint32_t nr)
{
    uint32_t rets[3] = { 0 };

    if (guest_rtas("ibm,get-xive", 1, 3, &nr, rets) != 0) {
        return ~0u;
    }
    return rets[1] << 8 | rets[2];
}

static void test_rtas(void)
{
    uint32_t nr = 0x1234, rets[3];

    CHECK_EQ(get_xive(nr), 0x00ff);
    CHECK_EQ(set_xive(nr, 0, 4), 0);
    CHECK_EQ(get_xive(nr), 0x0004);
    CHECK_EQ(set_xive(nr, 1, 4), RTAS_PARAM_ERROR);
    CHECK_EQ(set_xive(nr, 0, 0x100), RTAS_PARAM_ERROR);
    CHECK_EQ(set_xive(0xfff, 0, 4), RTAS_PARAM_ERROR);
    CHECK_EQ(set_xive(0x2000, 0, 4), RTAS_PARAM_ERROR);
    CHECK_EQ(get_xive(0x2000), ~0u);
    CHECK_EQ(get_xive(nr), 0x0004);
    CHECK_EQ(guest_rtas("ibm,int-off", 1, 1, &nr, NULL), 0);
    CHECK_EQ(get_xive(nr), 0x00ff);
    CHECK_EQ(guest_rtas("ibm,int-on", 1, 1, &nr, NULL), 0);
    CHECK_EQ(get_xive(nr), 0x0004);
    CHECK_EQ(guest_rtas("ibm,get-xive", 1, 2, &nr, rets), RTAS_PARAM_ERROR);
    CHECK_EQ(guest_rtas("ibm,int-on", 0, 1, &nr, NULL), RTAS_PARAM_ERROR);
    nr = 0x2000;
    CHECK_EQ(guest_rtas("ibm,int-off", 1, 1, &nr, NULL), RTAS_PARAM_ERROR);
    CHECK_EQ(set_xive(0x1234, 0, 0xff), 0);
}

int main(void *fdt)
{
    test_device_tree(fdt);
    test_reset_state();
    test_ipi_through_cede();
    test_ipi_again_after_eoi();
    test_ipi_errors();
    test_rtas();
    return 0;
}
