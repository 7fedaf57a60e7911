/* The smallest guest program: console output through the runtime and a clean exit;
 * also checks the runtime's own device-tree reader and printf. */
#include "runtime/guest.h"

int main(void *fdt)
{
    uint32_t token, len;
    const char *compat;

    guest_puts("Hello from the guest\n");
    guest_printf("%d %u %x %5s|%-4d|%04x %c %%\n", -42, 42u, 0xbeefu, "ab", 7, 0x2a, 'z');
    CHECK(guest_fdt_valid(fdt));
    CHECK(guest_fdt_node(fdt, "/") == 0);
    CHECK(guest_fdt_node(fdt, "/rtas") > 0);
    CHECK(guest_fdt_node(fdt, "/no-such-node") < 0);
    CHECK(guest_fdt_u32(fdt, "/rtas", "power-off", &token));
    CHECK(guest_fdt_u32(fdt, "/rtas", "ibm,os-term", &token));
    CHECK(!guest_fdt_u32(fdt, "/rtas", "no-such-property", &token));
    compat = guest_fdt_prop(fdt, 0, "compatible", &len);
    CHECK(compat && len > 0 && compat[len - 1] == 0);
    CHECK(compat && strcmp(compat, "qemu,pseries") == 0);
    /* A service that is not in /rtas is refused without a hypercall. */
    CHECK_EQ(guest_rtas("no-such-service", 0, 1, NULL, NULL), RTAS_HW_ERROR);
    guest_printf("MSR at entry: 0x%016lx\n", guest_boot_msr);
    return 0;
}
