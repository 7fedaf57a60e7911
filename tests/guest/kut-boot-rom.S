/* The boot ROM bare-metal suites give with -bios: at 0x100 (where the pseries
 * machine starts), one branch to 0x400000, where -kernel loaded the test's ELF. */
    .text
    .org 0x100
    b . + (0x400000 - 0x100)
