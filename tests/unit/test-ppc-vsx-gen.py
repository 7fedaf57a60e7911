#!/usr/bin/env python3
# Regenerates tests/unit/test-ppc-vsx-data.c from the oracle: python3 test-ppc-vsx-gen.py OUT [SEED]
# (needs powerpc64le-linux-gnu-gcc and qemu-user 7.2: qemu-ppc64le, qemu-ppc64).
import os, random, subprocess, sys, tempfile
HERE = tempfile.mkdtemp(prefix='vsx-oracle-')

def gen(probes, path):
    s = ['.machine power9', '.text']
    for n, p in enumerate(probes):
        s += ['.globl probe_%d' % n, '.type probe_%d,@function' % n, 'probe_%d:' % n]
        # r12 = state: vsr[64][2] at 0, gpr[32] at 1024, mem[256] at 1280, cr at 1536, fpscr 1544
        s += ['mr 12,3']
        for i in range(64):
            s += ['addi 11,12,%d' % (16 * i), 'lxvd2x %d,0,11' % i]
        s += ['lfd 0,1544(12)', 'mtfsf 0xff,0,1,0']
        s += ['lxvd2x 0,0,12']
        for r in range(3, 11):
            s += ['ld %d,%d(12)' % (r, 1024 + 8 * r)]
        s += ['li 11,0', 'mtcrf 0xff,11']
        s += ['.long 0x%08x' % w for w in p['insns']]
        for r in range(3, 11):
            s += ['std %d,%d(12)' % (r, 1024 + 8 * r)]
        s += ['mfcr 11', 'std 11,1536(12)']
        for i in range(64):
            s += ['addi 11,12,%d' % (16 * i), 'stxvd2x %d,0,11' % i]
        s += ['mffs 0', 'stfd 0,1544(12)']
        s += ['blr']
    open(path, 'w').write('\n'.join(s) + '\n')

CMAIN = r'''
typedef unsigned long u64; typedef unsigned char u8;
struct st { u64 vsr[64][2]; u64 gpr[32]; u8 mem[256]; u64 cr, fpscr; } __attribute__((aligned(16)));
static struct st S;
static long sys3(long n, long a, long b, long c) {
  register long r0 asm("r0") = n; register long r3 asm("r3") = a; register long r4 asm("r4") = b; register long r5 asm("r5") = c;
  asm volatile("sc" : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5) :: "memory","cr0","r6","r7","r8","r9","r10","r11","r12");
  return r3; }
static char obuf[8192]; static int on;
static void flush(void){ sys3(4,1,(long)obuf,on); on=0; }
static void pc(char c){ obuf[on++]=c; if(on>8000) flush(); }
static void ph(u64 v){ for(int i=60;i>=0;i-=4) pc("0123456789abcdef"[(v>>i)&15]); }
static void pb(u8 v){ pc("0123456789abcdef"[v>>4]); pc("0123456789abcdef"[v&15]); }
#include "probes.h"
asm(".globl _start\n_start:\n lis 1,stack_top@ha\n addi 1,1,stack_top@l\n lis 2,.TOC.@ha\n addi 2,2,.TOC.@l\n bl cmain\n nop\n b .\n");
void cmain(void) {
  for (int n = 0; n < NPROBES; n++) {
    u8 *d = (u8*)&S; for (unsigned i=0;i<sizeof S;i++) d[i]=0;
    init_probe(n, &S);
    S.gpr[3] = (u64)S.mem + S.gpr[3];
    fns[n](&S);
    S.gpr[3] -= (u64)S.mem;
    pc('P'); ph(n); pc('\n');
    for (int i=0;i<64;i++){ pc('v'); ph(i); pc(' '); ph(S.vsr[i][0]); pc(' '); ph(S.vsr[i][1]); pc('\n'); }
    for (int i=3;i<11;i++){ pc('r'); ph(i); pc(' '); ph(S.gpr[i]); pc('\n'); }
    pc('m'); for(int i=0;i<256;i++) pb(S.mem[i]); pc('\n');
    pc('c'); ph(S.cr); pc('\n'); pc('f'); ph(S.fpscr); pc('\n');
    flush();
  }
  sys3(1,0,0,0);
}
char stack[65536] __attribute__((aligned(16))); 
asm(".globl stack_top\n.set stack_top, stack+65536-256");
'''

def run(probes, endian='le'):
    d = os.path.join(HERE, 'b-' + endian); os.makedirs(d, exist_ok=True)
    gen(probes, os.path.join(d, 'probes.S'))
    h = ['struct st;']
    h += ['void probe_%d(struct st *);' % n for n in range(len(probes))]
    h += ['#define NPROBES %d' % len(probes)]
    h += ['static void (*fns[])(struct st *) = {%s};' % ','.join('probe_%d' % n for n in range(len(probes)))]
    h += ['static void init_probe(int n, struct st *s) { switch (n) {']
    for n, p in enumerate(probes):
        h.append('case %d:' % n)
        for i, (a, b) in p.get('vsr', {}).items():
            h.append('s->vsr[%d][0]=0x%xul; s->vsr[%d][1]=0x%xul;' % (i, a, i, b))
        for i, v in p.get('gpr', {}).items():
            h.append('s->gpr[%d]=0x%xul;' % (i, v))
        for i, v in enumerate(p.get('mem', b'')):
            h.append('s->mem[%d]=%d;' % (i, v))
        h.append('s->fpscr=0x%xul;' % p.get('fpscr', 0))
        h.append('break;')
    h.append('}}')
    open(os.path.join(d, 'probes.h'), 'w').write('\n'.join(h) + '\n')
    open(os.path.join(d, 'main.c'), 'w').write(CMAIN)
    flag = '-mlittle-endian' if endian == 'le' else '-mbig-endian'
    subprocess.check_call(['powerpc64le-linux-gnu-gcc', flag, '-mcpu=power9', '-O1', '-nostdlib', '-static',
        '-ffreestanding', '-mabi=elfv2', '-fno-pic', '-mcmodel=small', '-fno-builtin', '-mno-vsx', '-mno-altivec', '-msoft-float', '-o', os.path.join(d, 'p'),
        os.path.join(d, 'main.c'), os.path.join(d, 'probes.S'), '-Wl,--no-warn-rwx-segments'], cwd=d)
    q = 'qemu-ppc64le' if endian == 'le' else 'qemu-ppc64'
    r = subprocess.run([q, '-cpu', 'power9', os.path.join(d, 'p')], capture_output=True, text=True)
    out = []; cur = None
    for line in r.stdout.splitlines():
        if line[0] == 'P': cur = {'vsr': {}, 'gpr': {}}; out.append(cur)
        elif line[0] == 'v': i, a, b = line[1:].split(); cur['vsr'][int(i, 16)] = (int(a, 16), int(b, 16))
        elif line[0] == 'r': i, a = line[1:].split(); cur['gpr'][int(i, 16)] = int(a, 16)
        elif line[0] == 'm': cur['mem'] = bytes.fromhex(line[1:])
        elif line[0] == 'c': cur['cr'] = int(line[1:], 16)
        elif line[0] == 'f': cur['fpscr'] = int(line[1:], 16)
    if r.returncode != 0:
        out.append({'died': r.returncode})
    return out


R = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)  # seed 1 made the committed data
DP = [0, 1 << 63, 0x7ff0 << 48, 0xfff0 << 48, 0x7ff8 << 48, 0x7ff4 << 48, 0xfff8000000000001, 1,
      0x000fffffffffffff, 0x800fffffffffffff, 0x3ff0 << 48, 0xbff0 << 48, 0x3800000000000000,
      0x37f0000000000000, 0x36a0000000000000, 0x3690000000000000, 0x3810000000000000,
      0x47efffffe0000000, 0x47f0000000000000, 0x380fffffe0000000, 0x3800000010000000]
SP = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000, 0xffc00001, 1, 0x807fffff,
      0x007fffff, 0x3f800000, 0xbf800000, 0x00800000]
QP = [(0, 0), (1 << 63, 0), (0x7fff << 48, 0), (0xffff << 48, 0), (0x7fff800000000000, 0),
      (0x7fff000000000000, 1), (0, 1), (0x0000ffffffffffff, 0xffffffffffffffff),
      (0x3fff << 48, 0), (0x8001 << 48, 5)]

def rnd64(): return R.getrandbits(64)
def dw():
    c = R.random()
    if c < 0.4: return rnd64()
    if c < 0.75: return R.choice(DP) ^ (R.getrandbits(3) if R.random() < 0.2 else 0)
    return (R.choice(SP) << 32) | R.choice(SP)
def vsr():
    if R.random() < 0.2: return R.choice(QP)
    return (dw(), dw())

def x31(xo, t, a, b): return (31 << 26) | ((t & 31) << 21) | (a << 16) | (b << 11) | (xo << 1) | (t >> 5)
def xx3(xo, t, a, b): return (60 << 26) | ((t & 31) << 21) | ((a & 31) << 16) | ((b & 31) << 11) | (xo << 3) | ((a >> 5) << 2) | ((b >> 5) << 1) | (t >> 5)
def xx2(xo, t, b, a=0): return (60 << 26) | ((t & 31) << 21) | (a << 16) | ((b & 31) << 11) | (xo << 2) | ((b >> 5) << 1) | (t >> 5)
def x63(xo, t, a, b): return (63 << 26) | (t << 21) | (a << 16) | (b << 11) | (xo << 1)
def reg(): return R.randrange(64)
def mem(): return bytes(R.getrandbits(8) for _ in range(64))

def case_load(xo, split=False):
    t = reg()
    return [x31(xo, t, 3, 4)], {t: vsr()}, {3: R.randrange(0, 17), 4: R.randrange(0, 17)}
def case_store(xo):
    t = reg()
    return [x31(xo, t, 3, 4)], {t: vsr()}, {3: R.randrange(0, 17), 4: R.randrange(0, 17)}
def case_ds(po, xo):
    t = R.randrange(32)
    return [(po << 26) | (t << 21) | (3 << 16) | (R.randrange(0, 8) * 4) | xo], {32 + t: vsr()}, {3: R.randrange(0, 17)}
def case_dq(xo):
    t = reg()
    return [(61 << 26) | ((t & 31) << 21) | (3 << 16) | (R.randrange(0, 2) * 16) | ((t >> 5) << 3) | xo], {t: vsr()}, {3: R.randrange(0, 17)}
def case_len(xo):
    t = reg()
    return [x31(xo, t, 3, 4)], {t: vsr()}, {3: R.randrange(0, 17), 4: (R.choice([0, 1, 5, 8, 15, 16, 17, 200]) << 56) | R.getrandbits(56)}
def case_mt(xo):
    t = reg()
    return [x31(xo, t, 5, 6 if xo == 435 else 0)], {t: vsr()}, {5: rnd64(), 6: rnd64()}
def case_mtdd0():
    t = reg()
    return [x31(435, t, 0, 6)], {t: vsr()}, {6: rnd64()}
def case_mf(xo):
    t = reg()
    return [x31(xo, t, 5, 0)], {t: vsr()}, {5: rnd64()}
def case_xx3(xo, extra=0):
    t, a, b = reg(), reg(), reg()
    return [xx3(xo, t, a, b) | extra], {a: vsr(), b: vsr(), t: vsr()}, {}
def case_xx3imm(base):
    t, a, b = reg(), reg(), reg()
    return [xx3(0, t, a, b) | base | (R.randrange(4) << 8)], {a: vsr(), b: vsr(), t: vsr()}, {}
def case_xxsel():
    t, a, b, c = reg(), reg(), reg(), reg()
    w = xx3(0, t, a, b) | 0x30 | ((c & 31) << 6) | ((c >> 5) << 3)
    return [w], {a: vsr(), b: vsr(), c: vsr(), t: vsr()}, {}
def case_xx2(xo, a=0):
    t, b = reg(), reg()
    return [xx2(xo, t, b, a)], {b: vsr(), t: vsr()}, {}
def case_xx2_uim(xo, bits):
    t, b = reg(), reg()
    return [xx2(xo, t, b, R.randrange(1 << bits))], {b: vsr(), t: vsr()}, {}
def case_spltib():
    t = reg()
    return [x31(360, t, 0, 0) & ~(0x3f << 26) | (60 << 26) | (R.randrange(256) << 11)], {t: vsr()}, {}
def case_qp(xo, eo=None):
    t, a, b = R.randrange(32), R.randrange(32), R.randrange(32)
    return [x63(xo, t, eo if eo is not None else a, b)], {32 + t: vsr(), 32 + a: vsr(), 32 + b: vsr()}, {}
def case_gpr_from_xx2(xo, eo):
    b = reg()
    return [xx2(xo, 5, b, eo) & ~1], {b: vsr()}, {5: rnd64()}
def case_xsiexpdp():
    t = reg()
    return [x31(918, t, 5, 6) & ~(0x3f << 26) | (60 << 26)], {t: vsr()}, {5: rnd64(), 6: rnd64()}
def case_tstdc(xo):
    b = reg()
    v = vsr()
    # QEMU 7.2 matches every DCMX for xststdcsp of a double in the single denormal range
    # (a bug: the ISA matches only the +/-Denormal bits); those cases are tested by hand.
    while xo == 298 and 0 < (v[0] >> 52) & 0x7ff < 0x381:
        v = vsr()
    return [(60 << 26) | (R.randrange(8) << 23) | (R.randrange(128) << 16) | ((b & 31) << 11) | (xo << 2) | ((b >> 5) << 1)], {b: v}, {}
def case_xvtstdc(sp):
    t, b = reg(), reg()
    dcmx = R.randrange(128)
    w = (60 << 26) | ((t & 31) << 21) | ((dcmx & 31) << 16) | ((b & 31) << 11) | ((0xd if sp else 0xf) << 7) | ((dcmx >> 6) << 6) | (5 << 3) | (((dcmx >> 5) & 1) << 2) | ((b >> 5) << 1) | (t >> 5)
    return [w], {b: vsr(), t: vsr()}, {}
def case_tstdcqp():
    b = R.randrange(32)
    return [(63 << 26) | (R.randrange(8) << 23) | (R.randrange(128) << 16) | (b << 11) | (708 << 1)], {32 + b: vsr()}, {}
def case_cmpexpdp():
    a, b = reg(), reg()
    return [xx3(59, R.randrange(8) << 2, a, b)], {a: vsr(), b: vsr()}, {}
def case_cmpexpqp():
    a, b = R.randrange(32), R.randrange(32)
    return [x63(164, R.randrange(8) << 2, a, b)], {32 + a: vsr(), 32 + b: vsr()}, {}

INSNS = {
 'lxsd': lambda: case_ds(57, 2), 'lxssp': lambda: case_ds(57, 3), 'stxsd': lambda: case_ds(61, 2), 'stxssp': lambda: case_ds(61, 3),
 'lxv': lambda: case_dq(1), 'stxv': lambda: case_dq(5),
 'lxvx': lambda: case_load(268), 'lxvx-300': lambda: case_load(300), 'stxvx': lambda: case_store(396),
 'lxvd2x': lambda: case_load(844), 'lxvw4x': lambda: case_load(780), 'lxvh8x': lambda: case_load(812), 'lxvb16x': lambda: case_load(876),
 'stxvd2x': lambda: case_store(972), 'stxvw4x': lambda: case_store(908), 'stxvh8x': lambda: case_store(940), 'stxvb16x': lambda: case_store(1004),
 'lxvdsx': lambda: case_load(332), 'lxvwsx': lambda: case_load(364),
 'lxvl': lambda: case_len(269), 'lxvll': lambda: case_len(301), 'stxvl': lambda: case_len(397), 'stxvll': lambda: case_len(429),
 'lxsdx': lambda: case_load(588), 'lxsiwzx': lambda: case_load(12), 'lxsiwax': lambda: case_load(76), 'lxsibzx': lambda: case_load(781),
 'lxsihzx': lambda: case_load(813), 'lxsspx': lambda: case_load(524),
 'stxsdx': lambda: case_store(716), 'stxsiwx': lambda: case_store(140), 'stxsibx': lambda: case_store(909), 'stxsihx': lambda: case_store(941), 'stxsspx': lambda: case_store(652),
 'mfvsrd': lambda: case_mf(51), 'mfvsrwz': lambda: case_mf(115), 'mfvsrld': lambda: case_mf(307),
 'mtvsrd': lambda: case_mt(179), 'mtvsrwa': lambda: case_mt(211), 'mtvsrwz': lambda: case_mt(243), 'mtvsrws': lambda: case_mt(403), 'mtvsrdd': lambda: case_mt(435), 'mtvsrdd-ra0': case_mtdd0,
 'xxland': lambda: case_xx3(130), 'xxlandc': lambda: case_xx3(138), 'xxlor': lambda: case_xx3(146), 'xxlxor': lambda: case_xx3(154),
 'xxlnor': lambda: case_xx3(162), 'xxlorc': lambda: case_xx3(170), 'xxlnand': lambda: case_xx3(178), 'xxleqv': lambda: case_xx3(186),
 'xxmrghw': lambda: case_xx3(18), 'xxmrglw': lambda: case_xx3(50), 'xxperm': lambda: case_xx3(26), 'xxpermr': lambda: case_xx3(58),
 'xxsldwi': lambda: case_xx3imm(0x10), 'xxpermdi': lambda: case_xx3imm(0x50), 'xxsel': case_xxsel,
 'xxspltw': lambda: case_xx2_uim(164, 5), 'xxspltib': case_spltib, 'xxextractuw': lambda: case_xx2_uim(165, 4), 'xxinsertw': lambda: case_xx2_uim(181, 4),
 'xxbrh': lambda: case_xx2(475, 7), 'xxbrw': lambda: case_xx2(475, 15), 'xxbrd': lambda: case_xx2(475, 23), 'xxbrq': lambda: case_xx2(475, 31),
 'xsabsdp': lambda: case_xx2(345), 'xsnabsdp': lambda: case_xx2(361), 'xsnegdp': lambda: case_xx2(377), 'xscpsgndp': lambda: case_xx3(176),
 'xvabsdp': lambda: case_xx2(473), 'xvnabsdp': lambda: case_xx2(489), 'xvnegdp': lambda: case_xx2(505), 'xvcpsgndp': lambda: case_xx3(240),
 'xvabssp': lambda: case_xx2(409), 'xvnabssp': lambda: case_xx2(425), 'xvnegsp': lambda: case_xx2(441), 'xvcpsgnsp': lambda: case_xx3(208),
 'xsabsqp': lambda: case_qp(804, 0), 'xsnabsqp': lambda: case_qp(804, 8), 'xsnegqp': lambda: case_qp(804, 16), 'xscpsgnqp': lambda: case_qp(100),
 'xsiexpdp': case_xsiexpdp, 'xsxexpdp': lambda: case_gpr_from_xx2(347, 0), 'xsxsigdp': lambda: case_gpr_from_xx2(347, 1),
 'xviexpsp': lambda: case_xx3(216), 'xviexpdp': lambda: case_xx3(248),
 'xvxexpdp': lambda: case_xx2(475, 0), 'xvxsigdp': lambda: case_xx2(475, 1), 'xvxexpsp': lambda: case_xx2(475, 8), 'xvxsigsp': lambda: case_xx2(475, 9),
 'xsiexpqp': lambda: case_qp(868), 'xsxexpqp': lambda: case_qp(804, 2), 'xsxsigqp': lambda: case_qp(804, 18),
 'xststdcdp': lambda: case_tstdc(362), 'xststdcsp': lambda: case_tstdc(298), 'xststdcqp': case_tstdcqp,
 'xvtstdcdp': lambda: case_xvtstdc(False), 'xvtstdcsp': lambda: case_xvtstdc(True),
 'xscmpexpdp': case_cmpexpdp, 'xscmpexpqp': case_cmpexpqp,
}

# ---- Floating-point instructions (the 'fp' family) ----
DPF = DP + [0x7fefffffffffffff, 0xffefffffffffffff, 0x0010000000000000, 0x8010000000000000,
            0x4330000000000000, 0x43e0000000000000, 0xc3e0000000000000, 0x41e0000000000000,
            0xc1e0000000000000, 0x41f0000000000000, 0x3fe0000000000000, 0x4000000000000000]
SPF = SP + [0x7f7fffff, 0xff7fffff, 0x4f000000, 0xcf000000, 0x5f000000, 0x3f000000, 0x40000000]
def fdp():
    c = R.random()
    if c < 0.3: return R.choice(DPF)
    if c < 0.7: return (R.getrandbits(1) << 63) | ((1023 + R.randrange(-40, 70)) << 52) | R.getrandbits(52) >> R.choice([0, 0, 30, 45])
    if c < 0.85: return (R.getrandbits(1) << 63) | (R.randrange(0, 2047) << 52) | R.getrandbits(52)
    return rnd64()
def fsp():
    c = R.random()
    if c < 0.3: return R.choice(SPF)
    if c < 0.7: return (R.getrandbits(1) << 31) | ((127 + R.randrange(-20, 40)) << 23) | R.getrandbits(23) >> R.choice([0, 0, 12, 18])
    if c < 0.85: return (R.getrandbits(1) << 31) | (R.randrange(0, 255) << 23) | R.getrandbits(23)
    return R.getrandbits(32)
def vdp(): return (fdp(), fdp())
def vsp(): return ((fsp() << 32) | fsp(), (fsp() << 32) | fsp())
def vmix(): return R.choice([vdp, vsp])()
POOL = {'d': vdp, 's': vsp, 'm': vmix, 'i': lambda: (rnd64() >> R.randrange(0, 64), rnd64() >> R.randrange(0, 64))}
def f3(xo, k='d', rc=False, bf=False):
    def fn():
        t, a, b = reg(), reg(), reg()
        w = xx3(xo, (R.randrange(8) << 2) if bf else t, a, b)
        if rc and R.random() < 0.5: w |= 1 << 10
        return [w], {a: POOL[k](), b: POOL[k](), t: POOL[k]()}, {}
    return fn
def f2(xo, k='d', bf=False):
    def fn():
        t, b = reg(), reg()
        return [xx2(xo, (R.randrange(8) << 2) if bf else t, b)], {b: POOL[k](), t: POOL[k]()}, {}
    return fn
FP_INSNS = {}
for n, xo in [('xsadddp', 32), ('xssubdp', 40), ('xsmuldp', 48), ('xsdivdp', 56), ('xsaddsp', 0), ('xssubsp', 8),
              ('xsmulsp', 16), ('xsdivsp', 24), ('xsmaddadp', 33), ('xsmaddmdp', 41), ('xsmsubadp', 49), ('xsmsubmdp', 57),
              ('xsnmaddadp', 161), ('xsnmaddmdp', 169), ('xsnmsubadp', 177), ('xsnmsubmdp', 185), ('xsmaddasp', 1),
              ('xsmaddmsp', 9), ('xsmsubasp', 17), ('xsmsubmsp', 25), ('xsnmaddasp', 129), ('xsnmaddmsp', 137),
              ('xsnmsubasp', 145), ('xsnmsubmsp', 153), ('xsmaxdp', 160), ('xsmindp', 168), ('xsmaxcdp', 128),
              ('xsmincdp', 136), ('xsmaxjdp', 144), ('xsminjdp', 152), ('xscmpeqdp', 3), ('xscmpgtdp', 11), ('xscmpgedp', 19)]:
    FP_INSNS[n] = f3(xo)
for n, xo in [('xscmpudp', 35), ('xscmpodp', 43), ('xstdivdp', 61)]:
    FP_INSNS[n] = f3(xo, bf=True)
for n, xo in [('xssqrtdp', 75), ('xssqrtsp', 11), ('xsrsp', 281), ('xsredp', 90), ('xsresp', 26), ('xsrsqrtedp', 74),
              ('xsrsqrtesp', 10), ('xsrdpi', 73), ('xsrdpic', 107), ('xsrdpim', 121), ('xsrdpip', 105), ('xsrdpiz', 89),
              ('xscvdpsp', 265), ('xscvdpspn', 267), ('xscvdpsxds', 344), ('xscvdpuxds', 328), ('xscvdpsxws', 88),
              ('xscvdpuxws', 72)]:
    FP_INSNS[n] = f2(xo)
for n, xo in [('xscvspdp', 329), ('xscvspdpn', 331)]:
    FP_INSNS[n] = f2(xo, 's')
for n, xo in [('xscvsxddp', 376), ('xscvuxddp', 360), ('xscvsxdsp', 312), ('xscvuxdsp', 296)]:
    FP_INSNS[n] = f2(xo, 'i')
FP_INSNS['xstsqrtdp'] = f2(106, bf=True)
for n, xo in [('xvadddp', 96), ('xvsubdp', 104), ('xvmuldp', 112), ('xvdivdp', 120), ('xvmaxdp', 224), ('xvmindp', 232),
              ('xvmaddadp', 97), ('xvmaddmdp', 105), ('xvmsubadp', 113), ('xvmsubmdp', 121), ('xvnmaddadp', 225),
              ('xvnmaddmdp', 233), ('xvnmsubadp', 241), ('xvnmsubmdp', 249)]:
    FP_INSNS[n] = f3(xo)
for n, xo in [('xvaddsp', 64), ('xvsubsp', 72), ('xvmulsp', 80), ('xvdivsp', 88), ('xvmaxsp', 192), ('xvminsp', 200),
              ('xvmaddasp', 65), ('xvmaddmsp', 73), ('xvmsubasp', 81), ('xvmsubmsp', 89), ('xvnmaddasp', 193),
              ('xvnmaddmsp', 201), ('xvnmsubasp', 209), ('xvnmsubmsp', 217)]:
    FP_INSNS[n] = f3(xo, 's')
for n, xo in [('xvcmpeqdp', 99), ('xvcmpgtdp', 107), ('xvcmpgedp', 115), ('xvcmpnedp', 123)]:
    FP_INSNS[n] = f3(xo, rc=True)
for n, xo in [('xvcmpeqsp', 67), ('xvcmpgtsp', 75), ('xvcmpgesp', 83), ('xvcmpnesp', 91)]:
    FP_INSNS[n] = f3(xo, 's', rc=True)
FP_INSNS['xvtdivdp'] = f3(125, bf=True)
FP_INSNS['xvtdivsp'] = f3(93, 's', bf=True)
FP_INSNS['xvtsqrtdp'] = f2(234, bf=True)
FP_INSNS['xvtsqrtsp'] = f2(170, 's', bf=True)
for n, xo in [('xvsqrtdp', 203), ('xvredp', 218), ('xvrsqrtedp', 202), ('xvrdpi', 201), ('xvrdpic', 235), ('xvrdpim', 249),
              ('xvrdpip', 233), ('xvrdpiz', 217), ('xvcvdpsp', 393), ('xvcvdpsxds', 472), ('xvcvdpsxws', 216),
              ('xvcvdpuxds', 456), ('xvcvdpuxws', 200)]:
    FP_INSNS[n] = f2(xo)
for n, xo in [('xvsqrtsp', 139), ('xvresp', 154), ('xvrsqrtesp', 138), ('xvrspi', 137), ('xvrspic', 171), ('xvrspim', 185),
              ('xvrspip', 169), ('xvrspiz', 153), ('xvcvspdp', 457), ('xvcvspsxds', 408), ('xvcvspsxws', 152),
              ('xvcvspuxds', 392), ('xvcvspuxws', 136)]:
    FP_INSNS[n] = f2(xo, 's')
for n, xo in [('xvcvsxddp', 504), ('xvcvuxddp', 488), ('xvcvsxwdp', 248), ('xvcvuxwdp', 232), ('xvcvsxdsp', 440),
              ('xvcvuxdsp', 424), ('xvcvsxwsp', 184), ('xvcvuxwsp', 168)]:
    FP_INSNS[n] = f2(xo, 'i')
def fqp():
    c = R.random()
    if c < 0.3: return R.choice(QP)
    if c < 0.8: return ((R.getrandbits(1) << 63) | ((16383 + R.randrange(-70, 70)) << 48) | R.getrandbits(48), rnd64())
    return (rnd64(), rnd64())
def fq(xo, eo=None, ro=False, dp_src=False, int_src=False):
    def fn():
        t, a, b = R.randrange(32), R.randrange(32), R.randrange(32)
        w = x63(xo, t, eo if eo is not None else a, b)
        if ro and R.random() < 0.5: w |= 1
        vb = vdp() if dp_src else POOL['i']() if int_src else fqp()
        return [w], {32 + t: fqp(), 32 + a: fqp(), 32 + b: vb}, {}
    return fn
for n, xo in [('xsaddqp', 4), ('xssubqp', 516), ('xsmulqp', 36), ('xsdivqp', 548), ('xsmaddqp', 388),
              ('xsmsubqp', 420), ('xsnmaddqp', 452), ('xsnmsubqp', 484)]:
    FP_INSNS[n] = fq(xo, ro=True)
FP_INSNS['xssqrtqp'] = fq(804, 27, ro=True)
FP_INSNS['xscvqpdp'] = fq(836, 20, ro=True)
FP_INSNS['xscvdpqp'] = fq(836, 22, dp_src=True)
for n, eo in [('xscvqpsdz', 25), ('xscvqpswz', 9), ('xscvqpudz', 17), ('xscvqpuwz', 1)]:
    FP_INSNS[n] = fq(836, eo)
FP_INSNS['xscvsdqp'] = fq(836, 10, int_src=True)
FP_INSNS['xscvudqp'] = fq(836, 2, int_src=True)
def case_xsrqpi():
    t, b = R.randrange(32), R.randrange(32)
    r = R.randrange(2)
    rmc = R.choice([0, 3]) if r == 0 else R.randrange(4)
    return [(63 << 26) | (t << 21) | (r << 16) | (b << 11) | (rmc << 9) | (5 << 1) | R.randrange(2)], {32 + t: fqp(), 32 + b: fqp()}, {}
FP_INSNS['xsrqpi'] = case_xsrqpi
def case_qpcmp(xo):
    def fn():
        a, b = R.randrange(32), R.randrange(32)
        return [x63(xo, R.randrange(8) << 2, a, b)], {32 + a: fqp(), 32 + b: fqp()}, {}
    return fn
FP_INSNS['xscmpuqp'] = case_qpcmp(644)
FP_INSNS['xscmpoqp'] = case_qpcmp(132)

# ---- Half precision and xsrqpxp (the 'half' family, seed 3) ----
HH = [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x7d00, 0xfc01, 0x0001, 0x83ff, 0x0400, 0x7bff, 0x3c00, 0xbc01]
def fhh():
    return R.choice(HH) if R.random() < 0.4 else R.getrandbits(16)
def fhd():
    c = R.random()
    if c < 0.25: return R.choice(DPF + [0x40effe0000000000, 0x40effc0000000000, 0x3e70000000000000, 0x3e60000000000000,
                                         0x3f0fffffffffffff, 0x3f10000000000000, 0x40f0000000000000, 0xc0effe0000000001])
    frac = R.getrandbits(52)
    if R.random() < 0.3: frac &= ~((1 << R.randrange(40, 43)) - 1)  # exact, or a tie at binary16 precision
    return (R.getrandbits(1) << 63) | ((1023 + R.randrange(-30, 18)) << 52) | frac
def fhs():
    d = fhd()
    if R.random() < 0.1: return R.choice(SPF)
    e = (d >> 52) & 0x7ff
    if 0 < e - 896 < 255:
        return ((d >> 32) & 0x80000000) | ((e - 896) << 23) | ((d >> 29) & 0x7fffff)
    return R.getrandbits(32)
def case_half(eo, src):
    def fn():
        t, b = reg(), reg()
        if src == 'hd':
            v = ((R.getrandbits(48) << 16) | fhh(), rnd64())
        elif src == 'hv':
            v = tuple((R.getrandbits(16) << 48) | (fhh() << 32) | (R.getrandbits(16) << 16) | fhh() for _ in range(2))
        elif src == 'sv':
            v = ((fhs() << 32) | fhs(), (fhs() << 32) | fhs())
        else:
            v = (fhd(), rnd64())
        return [xx2(347 if eo < 20 else 475, t, b, eo)], {b: v, t: vsr()}, {}
    return fn
def fxq():
    c = R.random()
    if c < 0.2: return R.choice(QP)
    hi = (R.getrandbits(1) << 63) | ((16383 + R.randrange(-70, 70)) << 48) | R.getrandbits(48)
    lo = rnd64()
    if c < 0.5: lo &= ~((1 << R.randrange(47, 50)) - 1)  # exact, or a tie at 64 bits
    if c > 0.9: hi = (hi & (1 << 63)) | R.choice([0, 1, 0x7ffe, 0x7fff]) << 48 | (hi & 0xffffffffffff)
    return (hi, lo)
def case_xsrqpxp():
    t, b = R.randrange(32), R.randrange(32)
    r, rmc = R.randrange(2), R.randrange(4)
    return [(63 << 26) | (t << 21) | (r << 16) | (b << 11) | (rmc << 9) | (37 << 1) | R.randrange(2)], {32 + t: fqp(), 32 + b: fxq()}, {}
def half_fpscr(name, insns, fpscr):
    # xsrqpxp R=0 RMC=3 (the FPSCR's mode): QEMU 7.2 passes FPSCR[RN] to softfloat unmapped, so
    # RN=1 rounds toward -inf and RN=3 toward zero; we follow the ISA (hand test, design-notes)
    if name == 'xsrqpxp' and not (insns[0] >> 16) & 1 and (insns[0] >> 9) & 3 == 3:
        return fpscr & ~1
    return fpscr
def half_mask(name, out_fpscr):
    # QEMU 7.2 reports UX only when no element overflowed (ISA: both), as in fp_mask
    if name.startswith('xv') and out_fpscr & 0x10000000:
        return FP_FPSCR_MASK & ~0x08000000
    return FP_FPSCR_MASK
HALF_INSNS = {'xscvdphp': case_half(17, 'dd'), 'xscvhpdp': case_half(16, 'hd'),
              'xvcvhpsp': case_half(24, 'hv'), 'xvcvsphp': case_half(25, 'sv'), 'xsrqpxp': case_xsrqpxp}

# FPSCR bits where we follow the ISA over QEMU 7.2 (docs/devel/design-notes.rst): FX is set
# only when an exception bit goes 0 -> 1 and FR when rounding incremented (QEMU: FX on every
# exception, FR never).  The oracle cases compare every other bit.
FP_FPSCR_MASK = ~(0x80000000 | 0x40000) & 0xffffffffffffffff

def elems(v, sp):
    if sp: return [(v[0] >> 32) & 0xffffffff, v[0] & 0xffffffff, (v[1] >> 32) & 0xffffffff, v[1] & 0xffffffff]
    return [v[0], v[1]]
def is_zero(x, sp): return (x & (0x7fffffff if sp else 0x7fffffffffffffff)) == 0
def fp_case_ok(name, insns, vin):
    """Inputs whose oracle result shows a QEMU 7.2 deviation from the ISA we do not follow."""
    b = vin.get(((insns[0] >> 11) & 31) | (((insns[0] >> 1) & 1) << 5), (0, 0))
    sp = name.endswith('sp')
    if ('re' in name[2:5] or 'rsqrte' in name) and any(is_zero(x, sp) for x in elems(b, sp)):
        return False  # reciprocal estimates of zero: ZX (ISA); QEMU 7.2 does not set it
    if name.startswith('xvcv') and ('sx' in name or 'ux' in name) and name[4:6] in ('dp', 'sp'):
        # vector conversions to integer: QEMU 7.2 lets one element's invalid leak into the next
        for x in elems(b, name[4:6] == 'sp'):
            big = ((x >> 23) & 0xff) >= 127 + 31 if name[4:6] == 'sp' else ((x >> 52) & 0x7ff) >= 1023 + 31
            neg_u = 'ux' in name and (x >> (31 if name[4:6] == 'sp' else 63)) and not is_zero(x, name[4:6] == 'sp')
            if big or neg_u:
                return False
    return True
def fp_mask(name, out_vsr, out_fpscr, in_fpscr):
    m = FP_FPSCR_MASK
    if name.startswith('xv') and in_fpscr & 0x20000000:
        m &= ~0x20000  # open: FI after a vector invalid whose VX bit was already set
    if name.startswith('xv') and out_fpscr & 0x10000000:
        m &= ~0x08000000  # QEMU reports UX only when no element overflowed (ISA: both)
    if name.startswith('xs') and name.endswith('sp'):
        for _, (hi, lo) in out_vsr.items():
            if 0 < (hi & 0x7fffffffffffffff) < 0x3810000000000000:
                m &= ~0x1f000  # FPRF of a binary32 denormal (ISA) vs QEMU's binary64 class
    return m


def main():
    out_path = sys.argv[1]
    family = sys.argv[3] if len(sys.argv) > 3 else 'bits'
    table = {'fp': FP_INSNS, 'half': HALF_INSNS}.get(family, INSNS)
    array = {'fp': 'vsx_fp_cases', 'half': 'vsx_half_cases'}.get(family, 'vsx_cases')
    fmask = FP_FPSCR_MASK if family != 'bits' else 0xffffffffffffffff
    per = 40 if family == 'half' else 4
    lines = []
    for endian in ('le', 'be'):
        probes, meta = [], []
        for name, fn in table.items():
            for _ in range(per):
                insns, vin, gin = fn()
                while family == 'fp' and not fp_case_ok(name, insns, vin):
                    insns, vin, gin = fn()
                m = mem()
                fpscr = R.choice([0, 0xf000, 0x12340000 & 0xffffffff, rnd64() & 0x9ffff007])
                if family != 'bits':
                    fpscr = R.choice([0, 0, R.randrange(4), rnd64() & 0x9ffff007])
                if family == 'half':
                    fpscr = half_fpscr(name, insns, fpscr)
                # as mtfsf leaves it: VX summarises the VX* bits, FEX is clear (no enables)
                fpscr = (fpscr & ~0x60000000) | (0x20000000 if fpscr & 0x01f80700 else 0)
                probes.append(dict(insns=insns, vsr=vin, gpr=gin, mem=m, fpscr=fpscr))
                meta.append(name)
        outs = run(probes, endian)
        assert len(outs) == len(probes), (endian, len(outs), outs[-1])
        for name, p, o in zip(meta, probes, outs):
            vin = p['vsr']
            vout = {i: v for i, v in o['vsr'].items() if v != vin.get(i, (0, 0))}
            assert len(vout) <= 2, (name, vout)
            gin = {i: p['gpr'].get(i, 0) for i in range(3, 11)}
            def vl(d, n):
                items = sorted(d.items())[:n]
                items += [(255, (0, 0))] * (n - len(items))
                return '{' + ', '.join('{%d, 0x%xull, 0x%xull}' % (i, a, b) for i, (a, b) in items) + '}'
            lines.append('    {"%s", %d, %d, {%s}, %s, {%s}, "%s", 0x%xull, %s, {%s}, "%s", 0x%x, 0x%xull, 0x%xull},' % (
                name, endian == 'le', len(p['insns']), ', '.join('0x%08x' % w for w in p['insns']),
                vl(vin, 4), ', '.join('0x%xull' % gin[i] for i in range(3, 11)), p['mem'].hex(), p['fpscr'],
                vl(vout, 2), ', '.join('0x%xull' % o['gpr'][i] for i in range(3, 11)), o['mem'][:64].hex(), o['cr'] & 0xffffffff, o['fpscr'],
                fp_mask(name, vout, o['fpscr'], p['fpscr']) if family == 'fp' else
                half_mask(name, o['fpscr']) if family == 'half' else fmask))
    with open(out_path, 'w') as f:
        f.write('/*\n * Generated by tests/unit/test-ppc-vsx-gen.py: VSX cases whose expected results were\n'
                ' * produced by QEMU 7.2 (qemu-ppc64le/qemu-ppc64 -cpu power9).  Do not edit.\n */\n')
        f.write('/* clang-format off */\nstatic const VsxCase %s[] = {\n' % array)
        f.write('\n'.join(lines) + '\n};\n/* clang-format on */\n')

main()
