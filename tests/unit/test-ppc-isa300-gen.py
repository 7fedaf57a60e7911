#!/usr/bin/env python3
# Regenerates tests/unit/test-ppc-isa300-data.c: python3 test-ppc-isa300-gen.py OUT
# Runs every extended opcode of the FP, VMX and VSX opcode spaces (4, 57, 59, 60, 61, 63, and
# the vector loads/stores of 31) on QEMU 7.2's qemu-ppc64le -cpu power8 and -cpu power9, and
# records which ones QEMU refuses as illegal (SIGILL, ILL_ILLOPC) on each model.
# (needs powerpc64le-linux-gnu-gcc and qemu-user 7.2.)
import os, subprocess, sys, tempfile
HERE = tempfile.mkdtemp(prefix='isa300-oracle-')

PROBE = r'''
typedef unsigned long u64; typedef unsigned int u32;
static long sys4(long n, long a, long b, long c, long d) {
  register long r0 asm("r0") = n; register long r3 asm("r3") = a; register long r4 asm("r4") = b;
  register long r5 asm("r5") = c; register long r6 asm("r6") = d;
  asm volatile("sc\n bns+ 1f\n neg 3,3\n1:" : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6)
               :: "memory","cr0","r7","r8","r9","r10","r11","r12");
  return r3; }
static char obuf[64]; static int on;
static void pc(char c){ obuf[on++]=c; }
static void ph(u64 v, int n){ for(int i=4*(n-1);i>=0;i-=4) pc("0123456789abcdef"[(v>>i)&15]); }
static void *jb[5];
static volatile int sig, code;
/* a signal: record it and its si_code, and resume after the probe */
static void h(int s, int *si, void *uc) { sig = s; code = si[2]; __builtin_longjmp(jb, 1); }
static char buf[4096] __attribute__((aligned(4096)));
static u32 page[65536 / 4] __attribute__((aligned(65536)));
#include "words.h"
asm(".globl _start\n_start:\n lis 1,stack_top@ha\n addi 1,1,stack_top@l\n lis 2,.TOC.@ha\n addi 2,2,.TOC.@l\n bl cmain\n nop\n b .\n");
void cmain(void) {
  struct { void *h; u64 flags; void *res; u64 mask; } sa = { (void *)h, 4 | 0x40000000, 0, 0 };
  static const int sigs[] = { 4, 5, 7, 8, 11 }; /* SIGILL SIGTRAP SIGBUS SIGFPE SIGSEGV */
  for (int i = 0; i < 5; i++) sys4(173, sigs[i], (long)&sa, 0, 8);
  sys4(125, (long)page, 65536, 7, 0);
  for (int n = 0; n < NWORDS; n++) {
    u32 *p = page + (n & 1023) * 4;
    static u64 z = 0;
    p[0] = words[n]; p[1] = 0x4e800020; /* the word, blr */
    asm volatile("dcbst 0,%0\n sync\n icbi 0,%0\n isync" :: "r"(p) : "memory");
    asm volatile("lfd 0,0(%0)\n mtfsf 0xff,0" :: "b"(&z) : "memory");
    sig = 0; code = 0;
    if (!__builtin_setjmp(jb)) {
      ((void (*)(void *, long))p)(buf + 256, 0); /* r3: data, r4: 0 */
    }
    ph(words[n], 8); pc(32); ph(sig, 2); pc(32); ph(code, 2); pc(10);
    sys4(4, 1, (long)obuf, on, 0); on = 0;
  }
  sys4(1, 0, 0, 0, 0);
}
char stack[65536] __attribute__((aligned(16)));
asm(".globl stack_top\n.set stack_top, stack+65536-256");
'''

def words():
    W = set()
    # RT/VRT/XT = 5, RA = 3 (the data) or 0, RB = 4 (0 in r4) or 0: forms with reserved fields too
    for ra, rb in ((3, 4), (0, 4), (3, 0), (0, 0)):
        f = (5 << 21) | (ra << 16) | (rb << 11)
        for xo in range(2048):
            for po in (4, 59, 60, 63):
                W.add((po << 26) | f | xo)
        for xo in range(2048):
            W.add((31 << 26) | f | xo)
    # extended opcodes in the RA field: vector sub-opcodes, mffs family, qp and XX2 families
    for eo in range(32):
        for xo in (1538, 1540, 385, 1409, 897, 1921, 1153):
            W.add((4 << 26) | (5 << 21) | (eo << 16) | (4 << 11) | xo)
        for xo in (583, 804, 836, 5, 37):
            for rc in (0, 1):
                W.add((63 << 26) | (5 << 21) | (eo << 16) | (4 << 11) | (xo << 1) | rc)
        for xo in (347, 475):
            for lo in range(4):
                W.add((60 << 26) | (5 << 21) | (eo << 16) | (4 << 11) | (xo << 2) | lo)
    # DS/DQ forms of opcodes 57 and 61 (lxsd, lxssp, lxv, stxsd, stxssp, stxv, ...)
    for po in (57, 61):
        for xo in range(16):
            W.add((po << 26) | (5 << 21) | (3 << 16) | 16 | xo)
    return sorted(W)

def run1(ws, cpu):
    open(os.path.join(HERE, 'words.h'), 'w').write('static const u32 words[] = {%s};\n#define NWORDS %d\n' % (
        ','.join('0x%08x' % w for w in ws), len(ws)))
    open(os.path.join(HERE, 'probe.c'), 'w').write(PROBE)
    exe = os.path.join(HERE, 'probe')
    subprocess.check_call(['powerpc64le-linux-gnu-gcc', '-O1', '-nostdlib', '-static', '-ffreestanding', '-fno-pic',
                           '-mcmodel=small', '-fno-builtin', '-msoft-float', '-mno-vsx', '-mno-altivec', '-o', exe,
                           os.path.join(HERE, 'probe.c'), '-Wl,--no-warn-rwx-segments'], cwd=HERE)
    r = subprocess.run(['qemu-ppc64le', '-cpu', cpu, exe], capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        w, s, c = line.split()
        out[int(w, 16)] = (int(s, 16), int(c, 16))
    return out

def run(ws, cpu):
    """word -> (signal, si_code); a word that kills QEMU itself (lswx in LE...) -> None."""
    out = {}
    while True:
        rest = [w for w in ws if w not in out]
        if not rest:
            return out
        got = run1(rest, cpu)
        out.update(got)
        if len(got) < len(rest):
            out[rest[len(got)]] = None

def main():
    ws = words()
    p8, p9 = run(ws, 'power8'), run(ws, 'power9')
    ill = lambda r: r == (4, 1)            # SIGILL, ILL_ILLOPC
    usable = lambda r: r is not None and r[0] != 4  # ran (or faulted/trapped): not illegal, not privileged
    rows = []
    for w in ws:
        if not usable(p9[w]):
            continue
        if w >> 26 == 31 and not ill(p8[w]):
            continue  # opcode 31: only the ISA 3.0 forms (the rest holds wait, privileged ...)
        assert ill(p8[w]) or usable(p8[w]), hex(w)
        rows.append((w, 0 if ill(p8[w]) else 1))
    with open(sys.argv[1], 'w') as f:
        f.write('/*\n * Generated by tests/unit/test-ppc-isa300-gen.py: instruction words QEMU 7.2 runs on\n'
                ' * -cpu power9, and whether -cpu power8 runs them too (0: illegal there).  Do not edit.\n */\n')
        f.write('/* clang-format off */\nstatic const struct { uint32_t insn; uint8_t on_power8; } isa_words[] = {\n')
        for i in range(0, len(rows), 6):
            f.write('   ' + ''.join(' {0x%08x, %d},' % r for r in rows[i:i + 6]) + '\n')
        f.write('};\n/* clang-format on */\n')
    print(len(ws), 'probed,', len(rows), 'kept,', sum(1 for r in rows if not r[1]), 'ISA 3.0 only')

main()
