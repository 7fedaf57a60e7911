/* The guest the GDB stub tests debug (test-gdbstub.sh): FP, VSX and vector registers
 * with known values, a function to break in, a variable to watch, a page seen at
 * another effective address through the radix MMU, and a loop to interrupt. */
#include "runtime/radix-map.h"

#define MSR_FP PPC_BIT(50)
#define MSR_VEC PPC_BIT(38)
#define MSR_VSX PPC_BIT(40)

#define TABLES 0x2000000ULL    /* radix tables, above the image */
#define ALIAS_EA 0x80000000ULL /* the effective address of gdb_page */
#define ALIAS_RA 0x2400000ULL  /* gdb_page's real address */

volatile uint64_t gdb_counter;
volatile uint64_t gdb_watched;
volatile uint64_t gdb_release; /* the debugger sets it to end the spin loop */
uint64_t gdb_values[4] = { 0x3ff8000000000000ULL, 0x0123456789abcdefULL, 0x0011223344556677ULL,
                           0x8899aabbccddeeffULL };
uint64_t gdb_seen[2];

/* Called once the registers hold their values: the tests break here. */
__attribute__((noinline)) void gdb_regs_ready(void)
{
    asm volatile("" ::: "memory");
}

__attribute__((noinline)) void gdb_marker(uint64_t n)
{
    gdb_counter += n;
}

/* f1 = 1.5; VSR 1 doubleword 1 (GDB's vs1h) and VR 2 (VSR 34) from gdb_values. */
static void set_registers(void)
{
    asm volatile(".machine power9\n\t"
                 "lfd 1, 0(%0)\n\t"
                 "lxvd2x 1, 0, %0\n\t"
                 "addi 9, %0, 16\n\t"
                 "lxvd2x 34, 0, 9\n\t"
                 :
                 : "b"(gdb_values)
                 : "r9", "memory");
}

/* What the debugger wrote into f2 and vs3h while stopped in gdb_regs_ready. */
static void read_back(void)
{
    asm volatile(".machine power9\n\t"
                 "stfd 2, 0(%0)\n\t"
                 "mfvsrld 9, 3\n\t"
                 "std 9, 8(%0)\n\t"
                 :
                 : "b"(gdb_seen)
                 : "r9", "memory");
}

int main(void *fdt)
{
    uint64_t *root, *page = (uint64_t *)ALIAS_RA;

    asm volatile("mtmsrd %0\n\tisync" : : "r"(guest_mfmsr() | MSR_FP | MSR_VEC | MSR_VSX));
    set_registers();
    gdb_regs_ready();
    read_back();
    guest_printf("gdb-guest: f2 0x%016lx vs3h 0x%016lx\n", gdb_seen[0], gdb_seen[1]);

    for (uint64_t i = 1; i <= 3; i++) {
        gdb_marker(i);
    }
    gdb_watched = 0x5a5a;
    guest_printf("gdb-guest: counter %lu watched 0x%lx\n", gdb_counter, gdb_watched);

    /* The page at ALIAS_RA appears at ALIAS_EA once translation is on. */
    page[0] = 0xfeedfacecafebeefULL;
    radix_tables_init(TABLES);
    root = radix_new_tree();
    radix_set_process(1, root);
    radix_map(root, 0, 0, RADIX_1G, RPTE_PRIV | RPTE_RW | RPTE_EX | RPTE_R | RPTE_C);
    radix_map(root, ALIAS_EA, ALIAS_RA, RADIX_4K, RPTE_PRIV | RPTE_RW | RPTE_R | RPTE_C);
    CHECK_EQ(radix_register(), 0);
    radix_translation_on(1);
    gdb_marker(100);

    guest_puts("gdb-guest: spinning\n");
    while (!gdb_release) {
        gdb_counter++;
    }
    guest_puts("gdb-guest: released\n");
    return 0;
}
