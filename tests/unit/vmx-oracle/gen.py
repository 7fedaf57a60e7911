#!/usr/bin/env python3
# Builds the VMX oracle tables (tests/unit/vmx-oracle/*.txt): random operands for
# every VMX instruction, run under Debian's qemu-ppc64le 7.2 by runner.c.
#
#   powerpc64le-linux-gnu-gcc -O2 -ffreestanding -nostdlib -static -fno-pic \
#       -mcpu=power9 -maltivec -o runner runner.c
#   python3 gen.py RUNNER OUTDIR [cases-per-insn] [seed]
#
# A line: name insn cr vscr vA vB vC vD rA rB rT flags mem => vD cr rT vscr mem
# (vectors as ISA-order hex, element 0 first; VSCR as the word mfvscr shows).
import random
import struct
import subprocess
import sys

VT, VA, VB, VC = 7, 8, 9, 10

# name, xo, kind, family.  Kinds: ab (vT vA vB), b (vT vB), abc (VA-form),
# cmp (VC-form, also Rc=1), uimN (splat: UIM of N bits in A), sim (splat
# immediate), shb (vsldoi), ext (extract/insert UIM 0-15), gx (GPR rT, rA, vB),
# gt (GPR rT, vB), sub (A-field sub-opcode, given as xo*100+sub), sha (ST/SIX),
# bcd (PS bit), bcdn (no PS), bcdsub (A-field sub-opcode with PS), mem (X-form
# load/store), t (vT only), vb (vB only).
INSNS = [
    # integer
    ('vaddubm', 0, 'ab', 'int'), ('vadduhm', 64, 'ab', 'int'), ('vadduwm', 128, 'ab', 'int'),
    ('vaddudm', 192, 'ab', 'int'), ('vadduqm', 256, 'ab', 'int'), ('vaddcuq', 320, 'ab', 'int'),
    ('vaddcuw', 384, 'ab', 'int'), ('vaddubs', 512, 'ab', 'int'), ('vadduhs', 576, 'ab', 'int'),
    ('vadduws', 640, 'ab', 'int'), ('vaddsbs', 768, 'ab', 'int'), ('vaddshs', 832, 'ab', 'int'),
    ('vaddsws', 896, 'ab', 'int'), ('vsububm', 1024, 'ab', 'int'), ('vsubuhm', 1088, 'ab', 'int'),
    ('vsubuwm', 1152, 'ab', 'int'), ('vsubudm', 1216, 'ab', 'int'), ('vsubuqm', 1280, 'ab', 'int'),
    ('vsubcuq', 1344, 'ab', 'int'), ('vsubcuw', 1408, 'ab', 'int'), ('vsububs', 1536, 'ab', 'int'),
    ('vsubuhs', 1600, 'ab', 'int'), ('vsubuws', 1664, 'ab', 'int'), ('vsubsbs', 1792, 'ab', 'int'),
    ('vsubshs', 1856, 'ab', 'int'), ('vsubsws', 1920, 'ab', 'int'),
    ('vaddeuqm', 60, 'abc', 'int'), ('vaddecuq', 61, 'abc', 'int'), ('vsubeuqm', 62, 'abc', 'int'),
    ('vsubecuq', 63, 'abc', 'int'),
    ('vmaxub', 2, 'ab', 'int'), ('vmaxuh', 66, 'ab', 'int'), ('vmaxuw', 130, 'ab', 'int'),
    ('vmaxud', 194, 'ab', 'int'), ('vmaxsb', 258, 'ab', 'int'), ('vmaxsh', 322, 'ab', 'int'),
    ('vmaxsw', 386, 'ab', 'int'), ('vmaxsd', 450, 'ab', 'int'), ('vminub', 514, 'ab', 'int'),
    ('vminuh', 578, 'ab', 'int'), ('vminuw', 642, 'ab', 'int'), ('vminud', 706, 'ab', 'int'),
    ('vminsb', 770, 'ab', 'int'), ('vminsh', 834, 'ab', 'int'), ('vminsw', 898, 'ab', 'int'),
    ('vminsd', 962, 'ab', 'int'),
    ('vavgub', 1026, 'ab', 'int'), ('vavguh', 1090, 'ab', 'int'), ('vavguw', 1154, 'ab', 'int'),
    ('vavgsb', 1282, 'ab', 'int'), ('vavgsh', 1346, 'ab', 'int'), ('vavgsw', 1410, 'ab', 'int'),
    ('vabsdub', 1027, 'ab', 'int'), ('vabsduh', 1091, 'ab', 'int'), ('vabsduw', 1155, 'ab', 'int'),
    ('vmuloub', 8, 'ab', 'int'), ('vmulouh', 72, 'ab', 'int'), ('vmulouw', 136, 'ab', 'int'),
    ('vmuluwm', 137, 'ab', 'int'), ('vmulosb', 264, 'ab', 'int'), ('vmulosh', 328, 'ab', 'int'),
    ('vmulosw', 392, 'ab', 'int'), ('vmuleub', 520, 'ab', 'int'), ('vmuleuh', 584, 'ab', 'int'),
    ('vmuleuw', 648, 'ab', 'int'), ('vmulesb', 776, 'ab', 'int'), ('vmulesh', 840, 'ab', 'int'),
    ('vmulesw', 904, 'ab', 'int'),
    ('vmhaddshs', 32, 'abc', 'int'), ('vmhraddshs', 33, 'abc', 'int'),
    ('vmladduhm', 34, 'abc', 'int'), ('vmsumudm', 35, 'abc', 'int'),
    ('vmsumubm', 36, 'abc', 'int'), ('vmsummbm', 37, 'abc', 'int'), ('vmsumuhm', 38, 'abc', 'int'),
    ('vmsumuhs', 39, 'abc', 'int'), ('vmsumshm', 40, 'abc', 'int'), ('vmsumshs', 41, 'abc', 'int'),
    ('vsum4ubs', 1544, 'ab', 'int'), ('vsum4sbs', 1800, 'ab', 'int'), ('vsum4shs', 1608, 'ab', 'int'),
    ('vsum2sws', 1672, 'ab', 'int'), ('vsumsws', 1928, 'ab', 'int'),
    ('vmul10uq', 513, 'a', 'int'), ('vmul10cuq', 1, 'a', 'int'), ('vmul10euq', 577, 'ab', 'int'),
    ('vmul10ecuq', 65, 'ab', 'int'),
    ('vcmpequb', 6, 'cmp', 'int'), ('vcmpequh', 70, 'cmp', 'int'), ('vcmpequw', 134, 'cmp', 'int'),
    ('vcmpequd', 199, 'cmp', 'int'), ('vcmpneb', 7, 'cmp', 'int'), ('vcmpneh', 71, 'cmp', 'int'),
    ('vcmpnew', 135, 'cmp', 'int'), ('vcmpnezb', 263, 'cmp', 'int'), ('vcmpnezh', 327, 'cmp', 'int'),
    ('vcmpnezw', 391, 'cmp', 'int'), ('vcmpgtub', 518, 'cmp', 'int'), ('vcmpgtuh', 582, 'cmp', 'int'),
    ('vcmpgtuw', 646, 'cmp', 'int'), ('vcmpgtud', 711, 'cmp', 'int'), ('vcmpgtsb', 774, 'cmp', 'int'),
    ('vcmpgtsh', 838, 'cmp', 'int'), ('vcmpgtsw', 902, 'cmp', 'int'), ('vcmpgtsd', 967, 'cmp', 'int'),
    ('vand', 1028, 'ab', 'int'), ('vandc', 1092, 'ab', 'int'), ('vor', 1156, 'ab', 'int'),
    ('vxor', 1220, 'ab', 'int'), ('vnor', 1284, 'ab', 'int'), ('vorc', 1348, 'ab', 'int'),
    ('vnand', 1412, 'ab', 'int'), ('veqv', 1668, 'ab', 'int'), ('vsel', 42, 'abc', 'int'),
    ('vrlb', 4, 'ab', 'int'), ('vrlh', 68, 'ab', 'int'), ('vrlw', 132, 'ab', 'int'),
    ('vrld', 196, 'ab', 'int'), ('vrlwmi', 133, 'ab', 'int'), ('vrldmi', 197, 'ab', 'int'),
    ('vrlwnm', 389, 'ab', 'int'), ('vrldnm', 453, 'ab', 'int'),
    ('vslb', 260, 'ab', 'int'), ('vslh', 324, 'ab', 'int'), ('vslw', 388, 'ab', 'int'),
    ('vsld', 1476, 'ab', 'int'), ('vsrb', 516, 'ab', 'int'), ('vsrh', 580, 'ab', 'int'),
    ('vsrw', 644, 'ab', 'int'), ('vsrd', 1732, 'ab', 'int'), ('vsrab', 772, 'ab', 'int'),
    ('vsrah', 836, 'ab', 'int'), ('vsraw', 900, 'ab', 'int'), ('vsrad', 964, 'ab', 'int'),
    ('vclzb', 1794, 'b', 'int'), ('vclzh', 1858, 'b', 'int'), ('vclzw', 1922, 'b', 'int'),
    ('vclzd', 1986, 'b', 'int'), ('vpopcntb', 1795, 'b', 'int'), ('vpopcnth', 1859, 'b', 'int'),
    ('vpopcntw', 1923, 'b', 'int'), ('vpopcntd', 1987, 'b', 'int'),
    ('vclzlsbb', 153800, 'gt', 'int'), ('vctzlsbb', 153801, 'gt', 'int'),
    ('vnegw', 153806, 'sub', 'int'), ('vnegd', 153807, 'sub', 'int'),
    ('vprtybw', 153808, 'sub', 'int'), ('vprtybd', 153809, 'sub', 'int'),
    ('vprtybq', 153810, 'sub', 'int'), ('vextsb2w', 153816, 'sub', 'int'),
    ('vextsh2w', 153817, 'sub', 'int'), ('vextsb2d', 153824, 'sub', 'int'),
    ('vextsh2d', 153825, 'sub', 'int'), ('vextsw2d', 153826, 'sub', 'int'),
    ('vctzb', 153828, 'sub', 'int'), ('vctzh', 153829, 'sub', 'int'),
    ('vctzw', 153830, 'sub', 'int'), ('vctzd', 153831, 'sub', 'int'),
    # permute
    ('vperm', 43, 'abc', 'perm'), ('vpermr', 59, 'abc', 'perm'), ('vpermxor', 45, 'abc', 'perm'),
    ('vsldoi', 44, 'shb', 'perm'),
    ('vmrghb', 12, 'ab', 'perm'), ('vmrghh', 76, 'ab', 'perm'), ('vmrghw', 140, 'ab', 'perm'),
    ('vmrglb', 268, 'ab', 'perm'), ('vmrglh', 332, 'ab', 'perm'), ('vmrglw', 396, 'ab', 'perm'),
    ('vmrgew', 1932, 'ab', 'perm'), ('vmrgow', 1676, 'ab', 'perm'),
    ('vspltb', 524, 'uim4', 'perm'), ('vsplth', 588, 'uim3', 'perm'), ('vspltw', 652, 'uim2', 'perm'),
    ('vspltisb', 780, 'sim', 'perm'), ('vspltish', 844, 'sim', 'perm'),
    ('vspltisw', 908, 'sim', 'perm'),
    ('vpkuhum', 14, 'ab', 'perm'), ('vpkuwum', 78, 'ab', 'perm'), ('vpkudum', 1102, 'ab', 'perm'),
    ('vpkuhus', 142, 'ab', 'perm'), ('vpkuwus', 206, 'ab', 'perm'), ('vpkudus', 1230, 'ab', 'perm'),
    ('vpkshus', 270, 'ab', 'perm'), ('vpkswus', 334, 'ab', 'perm'), ('vpksdus', 1358, 'ab', 'perm'),
    ('vpkshss', 398, 'ab', 'perm'), ('vpkswss', 462, 'ab', 'perm'), ('vpksdss', 1486, 'ab', 'perm'),
    ('vpkpx', 782, 'ab', 'perm'),
    ('vupkhsb', 526, 'b', 'perm'), ('vupkhsh', 590, 'b', 'perm'), ('vupkhsw', 1614, 'b', 'perm'),
    ('vupklsb', 654, 'b', 'perm'), ('vupklsh', 718, 'b', 'perm'), ('vupklsw', 1742, 'b', 'perm'),
    ('vupkhpx', 846, 'b', 'perm'), ('vupklpx', 974, 'b', 'perm'),
    ('vsl', 452, 'ab', 'perm'), ('vsr', 708, 'ab', 'perm'), ('vslo', 1036, 'ab', 'perm'),
    ('vsro', 1100, 'ab', 'perm'), ('vslv', 1860, 'ab', 'perm'), ('vsrv', 1796, 'ab', 'perm'),
    ('vgbbd', 1292, 'b', 'perm'), ('vbpermq', 1356, 'ab', 'perm'), ('vbpermd', 1484, 'ab', 'perm'),
    ('vextractub', 525, 'ext', 'perm'), ('vextractuh', 589, 'ext', 'perm'),
    ('vextractuw', 653, 'ext', 'perm'), ('vextractd', 717, 'ext', 'perm'),
    ('vinsertb', 781, 'ext', 'perm'), ('vinserth', 845, 'ext', 'perm'),
    ('vinsertw', 909, 'ext', 'perm'), ('vinsertd', 973, 'ext', 'perm'),
    ('vextublx', 1549, 'gx', 'perm'), ('vextuhlx', 1613, 'gx', 'perm'),
    ('vextuwlx', 1677, 'gx', 'perm'), ('vextubrx', 1805, 'gx', 'perm'),
    ('vextuhrx', 1869, 'gx', 'perm'), ('vextuwrx', 1933, 'gx', 'perm'),
    # crypto and polynomial
    ('vcipher', 1288, 'ab', 'crypto'), ('vcipherlast', 1289, 'ab', 'crypto'),
    ('vncipher', 1352, 'ab', 'crypto'), ('vncipherlast', 1353, 'ab', 'crypto'),
    ('vsbox', 1480, 'a', 'crypto'), ('vshasigmaw', 1666, 'sha', 'crypto'),
    ('vshasigmad', 1730, 'sha', 'crypto'),
    ('vpmsumb', 1032, 'ab', 'crypto'), ('vpmsumh', 1096, 'ab', 'crypto'),
    ('vpmsumw', 1160, 'ab', 'crypto'), ('vpmsumd', 1224, 'ab', 'crypto'),
    # float
    ('vaddfp', 10, 'ab', 'float'), ('vsubfp', 74, 'ab', 'float'), ('vmaddfp', 46, 'abc', 'float'),
    ('vnmsubfp', 47, 'abc', 'float'), ('vmaxfp', 1034, 'ab', 'float'),
    ('vminfp', 1098, 'ab', 'float'), ('vrefp', 266, 'b', 'float'), ('vrsqrtefp', 330, 'b', 'float'),
    ('vlogefp', 458, 'b', 'float'), ('vexptefp', 394, 'b', 'float'), ('vrfin', 522, 'b', 'float'),
    ('vrfiz', 586, 'b', 'float'), ('vrfip', 650, 'b', 'float'), ('vrfim', 714, 'b', 'float'),
    ('vcfsx', 842, 'uim5', 'float'), ('vcfux', 778, 'uim5', 'float'),
    ('vctsxs', 970, 'uim5', 'float'), ('vctuxs', 906, 'uim5', 'float'),
    ('vcmpeqfp', 198, 'cmp', 'float'), ('vcmpgefp', 454, 'cmp', 'float'),
    ('vcmpgtfp', 710, 'cmp', 'float'), ('vcmpbfp', 966, 'cmp', 'float'),
    # BCD
    ('bcdadd.', 1025, 'bcd', 'bcd'), ('bcdsub.', 1089, 'bcd', 'bcd'),
    ('bcdus.', 1153, 'bcdn', 'bcd'), ('bcds.', 1217, 'bcd', 'bcd'),
    ('bcdtrunc.', 1281, 'bcd', 'bcd'), ('bcdutrunc.', 1345, 'bcdn', 'bcd'),
    ('bcdsr.', 1473, 'bcd', 'bcd'), ('bcdcpsgn.', 833, 'bcdn', 'bcd'),
    ('bcdctsq.', 140900, 'bcdsubn', 'bcd'), ('bcdcfsq.', 140902, 'bcdsub', 'bcd'),
    ('bcdctz.', 140904, 'bcdsub', 'bcd'), ('bcdctn.', 140905, 'bcdsubn', 'bcd'),
    ('bcdcfz.', 140906, 'bcdsub', 'bcd'), ('bcdcfn.', 140907, 'bcdsub', 'bcd'),
    ('bcdsetsgn.', 140931, 'bcdsub', 'bcd'),
    # loads and stores (X-form, opcode 31)
    ('lvx', 103, 'mem', 'ldst'), ('lvxl', 359, 'mem', 'ldst'), ('lvebx', 7, 'mem', 'ldst'),
    ('lvehx', 39, 'mem', 'ldst'), ('lvewx', 71, 'mem', 'ldst'), ('stvx', 231, 'mem', 'ldst'),
    ('stvxl', 487, 'mem', 'ldst'), ('stvebx', 135, 'mem', 'ldst'), ('stvehx', 167, 'mem', 'ldst'),
    ('stvewx', 199, 'mem', 'ldst'), ('lvsl', 6, 'mem', 'ldst'), ('lvsr', 38, 'mem', 'ldst'),
    ('mfvscr', 1540, 't', 'ldst'), ('mtvscr', 1604, 'vb', 'ldst'),
]

F32_SPECIAL = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
               0x7f800001, 0xff812345, 0x7fbfffff, 0x00000001, 0x807fffff, 0x00400000,
               0x3f800000, 0xbf800000, 0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,
               0x4f000000, 0xcf000000, 0x4f800000, 0x3f000000, 0x3fc00000, 0x40400000,
               0x4b000000, 0x4b7fffff, 0xcb000001, 0x3effffff, 0x00ffffff, 0x34000000]


def rnd_f32(r):
    k = r.random()
    if k < 0.3:
        return r.choice(F32_SPECIAL)
    if k < 0.45:
        return r.getrandbits(32)
    if k < 0.55:  # denormals
        return (r.getrandbits(1) << 31) | r.getrandbits(23)
    exp = r.choice([r.randint(100, 160), r.randint(0, 255), r.randint(120, 135)])
    return (r.getrandbits(1) << 31) | (exp << 23) | r.getrandbits(23)


def rnd_elem(r, bits):
    k = r.random()
    m = (1 << bits) - 1
    if k < 0.35:
        return r.choice([0, 1, m, m >> 1, (m >> 1) + 1, m - 1, 2, (m >> 1) - 1])
    if k < 0.5:
        return r.getrandbits(r.randint(1, bits))
    if k < 0.6:
        return m ^ r.getrandbits(r.randint(1, bits))
    return r.getrandbits(bits)


def rnd_bcd(r, signed=True):
    digits = r.choice([31, r.randint(0, 31), r.randint(0, 5)])
    v = 0
    for i in range(31):
        d = r.randint(0, 9) if i < digits else 0
        if r.random() < 0.02:
            d = r.randint(10, 15)
        v |= d << (4 + 4 * i)
    sign = r.choice([0xc, 0xd, 0xa, 0xb, 0xe, 0xf, 0xc, 0xd, 0xc, 0xd, r.randint(0, 15)])
    return v | sign


def rnd_vec(r, fam):
    k = r.random()
    if fam == 'float' and k < 0.85:
        return sum(rnd_f32(r) << (32 * i) for i in range(4))
    if fam == 'bcd' and k < 0.85:
        return rnd_bcd(r)
    if k < 0.1:
        return r.choice([0, (1 << 128) - 1, 1 << 127, (1 << 127) - 1, 1])
    bits = r.choice([8, 16, 32, 64])
    return sum(rnd_elem(r, bits) << (bits * i) for i in range(128 // bits))


def rnd_perm(r):
    # vperm control: byte indices, sometimes with junk in the high bits
    return sum((r.randint(0, 31) | (r.getrandbits(3) << 5 if r.random() < 0.3 else 0)) << (8 * i)
               for i in range(16))


def make_case(r, name, xo, kind, fam):
    insn = 4 << 26
    a, b, c, d = (rnd_vec(r, fam) for _ in range(4))
    if name in ('vperm', 'vpermr', 'vpermxor') and r.random() < 0.7:
        c = rnd_perm(r)
    if name in ('vsl', 'vsr', 'vslo', 'vsro', 'vbpermq', 'vbpermd', 'vslv', 'vsrv') and r.random() < 0.5:
        sh = r.getrandbits(7)
        b = sum(sh << (8 * i) for i in range(16)) if r.random() < 0.5 else r.getrandbits(128)
    cr = r.getrandbits(32)
    vscr = (r.getrandbits(1) << 16) | r.getrandbits(1)
    if fam == 'float' and r.random() < 0.3:
        vscr |= 1 << 16
    ga, gb, gd, flags, mem = r.getrandbits(64), r.getrandbits(64), r.getrandbits(64), 0, r.randbytes(64)
    if kind == 'ab':
        insn |= VT << 21 | VA << 16 | VB << 11 | xo
    elif kind == 'a':
        insn |= VT << 21 | VA << 16 | xo
    elif kind == 'b':
        insn |= VT << 21 | VB << 11 | xo
    elif kind == 'abc':
        insn |= VT << 21 | VA << 16 | VB << 11 | VC << 6 | xo
    elif kind == 'cmp':
        insn |= VT << 21 | VA << 16 | VB << 11 | xo | (r.getrandbits(1) << 10)
    elif kind.startswith('uim'):
        insn |= VT << 21 | r.getrandbits(int(kind[3:])) << 16 | VB << 11 | xo
    elif kind == 'sim':
        insn |= VT << 21 | r.getrandbits(5) << 16 | xo
    elif kind == 'shb':
        insn |= VT << 21 | VA << 16 | VB << 11 | r.getrandbits(4) << 6 | xo
    elif kind == 'ext':
        insn |= VT << 21 | r.getrandbits(4) << 16 | VB << 11 | xo
    elif kind == 'gx':
        insn |= VT << 21 | VA << 16 | VB << 11 | xo
        ga = r.choice([r.getrandbits(64), r.getrandbits(5), r.getrandbits(4)])
    elif kind == 'gt':
        insn |= VT << 21 | (xo % 100) << 16 | VB << 11 | xo // 100
    elif kind == 'sub':
        insn |= VT << 21 | (xo % 100) << 16 | VB << 11 | xo // 100
    elif kind == 'sha':
        insn |= VT << 21 | VA << 16 | r.getrandbits(5) << 11 | xo
    elif kind == 'bcd':
        insn |= VT << 21 | VA << 16 | VB << 11 | xo | r.getrandbits(1) << 9
        if name in ('bcds.', 'bcdsr.', 'bcdtrunc.'):
            a = r.choice([r.getrandbits(128), r.randint(0, 40) << 8, ((r.randint(-40, 40)) & 0xff) << 8])
    elif kind == 'bcdn':
        insn |= VT << 21 | VA << 16 | VB << 11 | xo
        if name in ('bcdus.', 'bcdutrunc.'):
            a = r.choice([r.getrandbits(128), r.randint(0, 40) << 8, ((r.randint(-40, 40)) & 0xff) << 8])
            b = r.choice([b, b & ~0xf])
    elif kind in ('bcdsub', 'bcdsubn'):
        ps = r.getrandbits(1) if kind == 'bcdsub' else 0
        insn |= VT << 21 | (xo % 100) << 16 | VB << 11 | xo // 100 | ps << 9
        if name in ('bcdcfz.', 'bcdcfn.') and r.random() < 0.7:
            digs = sum((0x30 + r.randint(0, 9)) << (8 * i) for i in range(16))
            if name == 'bcdcfz.':
                digs = (digs & ~0xf0) | (r.choice([0x3, 0x7, 0x5, 0xd, 0xb, 0xf]) << 4)
            else:
                digs = (digs & ~0xffff) | (r.choice([0x2b, 0x2d, 0x2a]) ) | (0x30 + r.randint(0, 9)) << 8
                digs &= (1 << 128) - 1
            b = digs
        if name == 'bcdcfsq.' and r.random() < 0.7:
            v = r.choice([r.randint(-10**31, 10**31), r.randint(-1000, 1000), r.getrandbits(127)])
            b = v & ((1 << 128) - 1)
    elif kind == 'mem':
        insn = 31 << 26 | VT << 21 | VA << 16 | VB << 11 | xo << 1
        flags = 1
        ga = 0
        gb = r.randint(0, 48)
    elif kind == 't':
        insn |= VT << 21 | xo
    elif kind == 'vb':
        insn |= VB << 11 | xo
        if r.random() < 0.5:
            b = r.getrandbits(128)
    if name in ('lvsl', 'lvsr'):
        flags = 0
        ga = r.getrandbits(64)
        gb = r.getrandbits(64)
    return [insn, cr, vscr, a, b, c, d, ga, gb, gd, flags, mem]


def pack_vec(v):
    return v.to_bytes(16, 'little')


def main():
    runner, outdir = sys.argv[1], sys.argv[2]
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 24
    r = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 72)
    cases = {}
    for name, xo, kind, fam in INSNS:
        for _ in range(per):
            cases.setdefault(fam, []).append((name, make_case(r, name, xo, kind, fam)))
    for fam, lst in cases.items():
        lines = []
        for start in range(0, len(lst), 8000):
            chunk = lst[start:start + 8000]
            blob = bytearray()
            for name, (insn, cr, vscr, a, b, c, d, ga, gb, gd, flags, mem) in chunk:
                rec = struct.pack('<IIQ', insn, cr, ga) + struct.pack('<I12x', vscr)
                rec += pack_vec(a) + pack_vec(b) + pack_vec(c) + pack_vec(d)
                rec += struct.pack('<QQI12x', gb, gd, flags) + mem
                assert len(rec) == 192
                blob += rec
            out = subprocess.run(['qemu-ppc64le', runner], input=bytes(blob),
                                 capture_output=True, check=True).stdout
            assert len(out) == 112 * len(chunk), (fam, len(out))
            for i, (name, (insn, cr, vscr, a, b, c, d, ga, gb, gd, flags, mem)) in enumerate(chunk):
                o = out[112 * i:112 * (i + 1)]
                od = int.from_bytes(o[0:16], 'little')
                ocr, = struct.unpack('<I', o[16:20])
                ort, = struct.unpack('<Q', o[24:32])
                ovscr, = struct.unpack('<I', o[32:36])
                omem = o[48:112].hex()
                lines.append('%s %08x %08x %08x %032x %032x %032x %032x %016x %016x %016x %x %s'
                             ' => %032x %08x %016x %08x %s' %
                             (name, insn, cr, vscr, a, b, c, d, ga, gb, gd, flags, mem.hex(),
                              od, ocr, ort, ovscr, omem))
        with open('%s/%s.txt' % (outdir, fam), 'w') as f:
            f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
