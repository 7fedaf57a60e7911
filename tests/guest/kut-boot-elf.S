/* An ELF linked at 0, as bare-metal suites build theirs: the machine loads it at
 * 0x400000 and the boot ROM branches there with r3 = the device tree. It prints
 * "kut-boot: ok" when it runs at 0x400000 and r3 points at a device tree's magic,
 * "kut-boot: bad" otherwise, then spins (the runner ends it). Position independent. */
    .text
    .globl _start
_start:
    bcl 20, 31, 1f
1:  mflr 22                  /* where 1: is */
    lwz 21, 0(3)             /* the device tree's magic (big-endian, as we run) */
    lis 23, 0xd00d
    ori 23, 23, 0xfeed
    cmplw 21, 23
    bne 2f
    lis 24, 0x40
    addi 24, 24, 1b - _start
    cmpld 22, 24
    bne 2f
    ld 6, ok - 1b(22)
    ld 7, ok + 8 - 1b(22)
    b 3f
2:  ld 6, bad - 1b(22)
    ld 7, bad + 8 - 1b(22)
3:  li 3, 0x58               /* H_PUT_TERM_CHAR */
    li 4, 0
    li 5, 16
    sc 1
4:  b 4b

    .balign 8
ok: .ascii "kut-boot: ok   \n"
bad: .ascii "kut-boot: bad  \n"
