/* A console input interrupt through XICS: the program aims the vty's source
 * at itself, says it is waiting and sleeps in H_CEDE; the test runner then types on the console (GUEST_INPUT),
 * and the interrupt wakes it at 0x500.  H_XIRR names the vty's source, the
 * byte is read with H_GET_TERM_CHAR, H_EOI ends it. */
#include "insn.h"

#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_VIO_SIGNAL 0x104

#define H_PARAMETER (-4)
#define VEC_EXTERNAL 0x500
#define MSR_EE PPC_BIT(48)
#define XIRR(cppr, xisr) ((uint64_t)(cppr) << 24 | (xisr))
/* H_VIO_SIGNAL mode bit: interrupt on input. */
#define VIO_SIGNAL_INPUT 1
#define TB_PER_MS 512000ULL

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

/* The vty's interrupt number: the first cell of its "interrupts". */
static uint32_t vty_irq(void *fdt)
{
    int node = guest_fdt_node(fdt, "/vdevice/vty@71000000");
    const uint8_t *p;
    uint32_t len = 0;

    CHECK(node >= 0);
    p = node >= 0 ? guest_fdt_prop(fdt, node, "interrupts", &len) : 0;
    CHECK(p && len == 8);
    return p && len == 8 ? guest_be32(p) : 0;
}

int main(void *fdt)
{
    uint32_t irq = vty_irq(fdt);
    uint32_t args[3] = { irq, 0, 5 };
    uint64_t xirr = 0, count = 0, chars = 0, start;
    struct guest_trap t;

    CHECK_EQ(irq, 0x1100);
    CHECK_EQ(guest_rtas("ibm,set-xive", 3, 1, args, NULL), 0);
    CHECK_EQ(hcall(H_CPPR, 0xff, 0, NULL, NULL), 0);
    /* The vty has no H_VIO_SIGNAL modes (QEMU 7.2): it signals input regardless. */
    CHECK_EQ(hcall(H_VIO_SIGNAL, GUEST_VTY_UNIT, VIO_SIGNAL_INPUT, NULL, NULL), H_PARAMETER);
    /* Nothing typed yet: nothing pending. */
    CHECK_EQ(hcall(H_IPOLL, 0, 0, &xirr, NULL), 0);
    CHECK_EQ(xirr, XIRR(0xff, 0));

    guest_printf("xics-vty: waiting for input\n");
    guest_flush();
    start = guest_mftb();
    guest_trap_expect_resume((void (*)(void))guest_cede_return, MSR_EE);
    CHECK_EQ(guest_cede(), 0);
    CHECK(guest_trap_taken(&t));
    CHECK_EQ(t.vector, VEC_EXTERNAL);
    CHECK_EQ(t.srr0, (uintptr_t)guest_cede_return);
    /* It slept until the runner typed (which it does only after seeing the line). */
    CHECK(guest_mftb() - start >= TB_PER_MS);

    CHECK_EQ(hcall(H_XIRR, 0, 0, &xirr, NULL), 0);
    CHECK_EQ(xirr, XIRR(0xff, irq));
    CHECK_EQ(hcall(H_GET_TERM_CHAR, GUEST_VTY_UNIT, 0, &count, &chars), 0);
    CHECK(count >= 1);
    CHECK_EQ(chars >> 56, 'x');
    CHECK_EQ(hcall(H_EOI, XIRR(0xff, irq), 0, NULL, NULL), 0);
    CHECK_EQ(hcall(H_IPOLL, 0, 0, &xirr, NULL), 0);
    CHECK_EQ(xirr, XIRR(0xff, 0));
    guest_printf("xics-vty: got '%c' through source 0x%x\n", (char)(chars >> 56), irq);
    return 0;
}
