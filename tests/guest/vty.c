/* The console as firmware uses it: unit address 0 (no device has it) names the
 * default vty; the vty's device-tree node; errors for other unit addresses. */
#include "runtime/guest.h"

#define H_PARAMETER (-4)
#define H_VIO_SIGNAL 0x104

/* H_PUT_TERM_CHAR of up to 16 bytes to one unit address. */
static int64_t put_unit(uint64_t unit, const char *s, unsigned n)
{
    uint64_t regs[9] = { unit, n };

    for (unsigned i = 0; i < n; i++) {
        regs[2 + i / 8] |= (uint64_t)(uint8_t)s[i] << (56 - 8 * (i % 8));
    }
    return guest_hcall(H_PUT_TERM_CHAR, regs);
}

int main(void *fdt)
{
    static const char *const parts[] = { "vty: unit 0 ", "reaches the ", "console\n" };
    const uint32_t *cells;
    uint64_t regs[9] = { 0 };
    uint32_t len, v;

    /* The runtime's own console output goes to 0x71000000: flush it first. */
    guest_flush();
    /* One line made of three hypercalls to unit 0; the runner checks it arrived whole. */
    for (unsigned i = 0; i < 3; i++) {
        CHECK_EQ(put_unit(0, parts[i], strlen(parts[i])), H_SUCCESS);
    }
    /* No terminal at these addresses; 17 bytes is one too many. */
    CHECK_EQ(put_unit(1, "x", 1), H_PARAMETER);
    CHECK_EQ(put_unit(GUEST_VTY_UNIT + 1, "x", 1), H_PARAMETER);
    CHECK_EQ(put_unit(1ULL << 32, "x", 1), H_PARAMETER);
    regs[0] = 0;
    regs[1] = 17;
    CHECK_EQ(guest_hcall(H_PUT_TERM_CHAR, regs), H_PARAMETER);
    /* Input through unit 0 too: nothing pending (stdin is empty). */
    memset(regs, 0, sizeof(regs));
    CHECK_EQ(guest_hcall(H_GET_TERM_CHAR, regs), H_SUCCESS);
    CHECK_EQ(regs[0], 0);
    memset(regs, 0, sizeof(regs));
    regs[0] = 5;
    CHECK_EQ(guest_hcall(H_GET_TERM_CHAR, regs), H_PARAMETER);

    /* The node: unit address, identity, and its interrupt (number, sense 0). */
    CHECK(guest_fdt_u32(fdt, "/vdevice/vty@71000000", "reg", &v));
    CHECK_EQ(v, GUEST_VTY_UNIT);
    cells = guest_fdt_prop(fdt, guest_fdt_node(fdt, "/vdevice/vty@71000000"), "interrupts", &len);
    CHECK(cells != NULL);
    CHECK_EQ(len, 8);
    if (cells && len == 8) {
        CHECK_EQ(guest_be32(&cells[0]), 0x1100);
        CHECK_EQ(guest_be32(&cells[1]), 0);
    }
    CHECK(guest_fdt_u32(fdt, "/vdevice", "#interrupt-cells", &v));
    CHECK_EQ(v, 2);
    CHECK(guest_fdt_prop(fdt, guest_fdt_node(fdt, "/vdevice"), "interrupt-controller", &len));

    /* H_VIO_SIGNAL: the vty takes no mode bits; an unknown unit is refused. */
    memset(regs, 0, sizeof(regs));
    regs[0] = GUEST_VTY_UNIT;
    CHECK_EQ(guest_hcall(H_VIO_SIGNAL, regs), H_SUCCESS);
    regs[0] = GUEST_VTY_UNIT;
    regs[1] = 1;
    CHECK_EQ(guest_hcall(H_VIO_SIGNAL, regs), H_PARAMETER);
    regs[0] = 0x1234;
    regs[1] = 0;
    CHECK_EQ(guest_hcall(H_VIO_SIGNAL, regs), H_PARAMETER);
    return 0;
}
