# Difftest generator: seeded random POWER9 instruction sequences per instruction class, emitted
# as assembly test blobs and a test table for the guest harness (tests/difftest/guest).
"""Generate difftest images' test sources.

A test is a short body (1-4 instructions of one class, plus the instructions that point a base
register into the scratch buffer or LR/CTR at a branch target) and an "undefined" rule naming
the result bits the ISA leaves undefined. Everything derives from (class, seed, mode); mode 32
tests run with MSR[SF]=0, and their addresses have random high halves, which the CPU must
ignore."""

import random

# Guest layout (guest/layout.h): register state in and out, the scratch buffer.
STATE_IN = 0x1200
STATE_OUT = 0x1400
ST_LR = 34 * 8
ST_CTR = 35 * 8
SCRATCH = 0x4000
SCRATCH_SIZE = 0x1000

# Undefined-result rules; the numbers are the harness's UNDEF_* enumeration.
UNDEF = {
    'none': 0, 'hi32': 1, 'divw': 2, 'divwu': 3, 'divwe': 4, 'divweu': 5, 'divd': 6,
    'divdu': 7, 'divde': 8, 'divdeu': 9, 'modsw': 10, 'moduw': 11, 'modsd': 12, 'modud': 13,
    'mfocrf': 14, 'fpscr_copy': 15, 'fre_zero': 16, 'vr_target': 17,
}
F_MEM = 1
F_RC = 2
F_TRAP = 4
MODES = (64, 32)


class Test:
    """One generated test: assembly body lines, test-instruction count, undefined rule."""

    def __init__(self, mode=64):
        self.mode = mode
        self.body = []
        self.ninsn = 0
        self.undef = ('none', 0, 0, 0)
        self.flags = 0
        self.first = None
        self.names = []
        self.crmask = 0

    def insn(self, text):
        if self.first is None:
            self.first = len(self.body)
        self.body.append(text)
        self.names.append(text.split()[0])
        self.ninsn += 1

    def setup(self, text):
        self.body.append(text)


def reg(rng, avoid=()):
    while True:
        r = rng.randrange(32)
        if r not in avoid:
            return r


def oe_rc(rng, name, oe=True, rc=True):
    """Pick one of the OE/Rc spellings of an XO-form mnemonic."""
    o = oe and rng.random() < 0.5
    dot = rc and rng.random() < 0.5
    return name + ('o' if o else '') + ('.' if dot else ''), dot


def set_reg(t, r, value):
    """Put an address (or part of one) into r. In 32-bit mode only r[32:63] matter: they get
    value, and r[0:31] keep whatever r held (random from the start state)."""
    if t.mode == 64:
        t.setup('li %d,%d' % (r, value))
        return
    value &= 0xffffffff
    t.setup('rldicr %d,%d,0,31' % (r, r))
    if value >> 16:
        t.setup('oris %d,%d,%d' % (r, r, value >> 16))
    t.setup('ori %d,%d,%d' % (r, r, value & 0xffff))


def base_part(rng, t, ea):
    """The RA part of an X-form address ea; in 32-bit mode often one whose sum with the RB
    part wraps around 2^32."""
    if t.mode == 32 and rng.random() < 0.5:
        return rng.randrange(1 << 32)
    return rng.randrange(0, ea + 1)


def displacement(rng, t):
    """A D-form displacement; in 32-bit mode sometimes a large one, so that RA + D wraps."""
    if t.mode == 32 and rng.random() < 0.3:
        return rng.randrange(-0x8000, 0x8000)
    return rng.randrange(-256, 256)


def simm16(rng):
    return rng.choice([0, 1, -1, 0x7fff, -0x8000, rng.randrange(-0x8000, 0x8000),
                       rng.randrange(-16, 16)])


def uimm16(rng):
    return rng.choice([0, 1, 0xffff, 0x8000, 0x7fff, rng.randrange(0x10000)])


# ---- fixed-point arithmetic ---------------------------------------------------------------

XO3 = ['add', 'addc', 'adde', 'subf', 'subfc', 'subfe', 'mullw', 'mulld']
XO2 = ['addme', 'addze', 'subfme', 'subfze', 'neg']
DIV = ['divw', 'divwu', 'divwe', 'divweu', 'divd', 'divdu', 'divde', 'divdeu']
MULH = ['mulhw', 'mulhwu', 'mulhd', 'mulhdu']
MOD = ['modsw', 'moduw', 'modsd', 'modud']


def arith(rng, t, last, written):
    """One arithmetic instruction; those with undefined cases only as the last one, with
    inputs no earlier instruction wrote (the harness checks them against the start state)."""
    kind = rng.randrange(8 if last else 5)
    rt, ra, rb = reg(rng), reg(rng), reg(rng)
    if kind == 0:
        name, _ = oe_rc(rng, rng.choice(XO3))
        t.insn('%s %d,%d,%d' % (name, rt, ra, rb))
    elif kind == 1:
        name, _ = oe_rc(rng, rng.choice(XO2))
        t.insn('%s %d,%d' % (name, rt, ra))
    elif kind == 2:
        name = rng.choice(['addi', 'addis', 'addic', 'addic.', 'subfic', 'mulli'])
        t.insn('%s %d,%d,%d' % (name, rt, ra, simm16(rng)))
    elif kind == 3:
        name = rng.choice(['maddhd', 'maddhdu', 'maddld'])
        t.insn('%s %d,%d,%d,%d' % (name, rt, ra, rb, reg(rng)))
    elif kind == 4:
        t.insn('addex %d,%d,%d,0' % (rt, ra, rb))
    else:
        ra, rb = reg(rng, written), reg(rng, written)
        if kind == 5:
            base = rng.choice(DIV)
            name, dot = oe_rc(rng, base)
            rule = base
        elif kind == 6:
            base = rng.choice(MULH)
            name, dot = oe_rc(rng, base, oe=False)
            rule = 'hi32' if base in ('mulhw', 'mulhwu') else 'none'
        else:
            name, dot = rng.choice(MOD), False
            rule = name
        t.insn('%s %d,%d,%d' % (name, rt, ra, rb))
        t.undef = (rule, ra, rb, rt)
        if dot:
            t.flags |= F_RC
    written.add(rt)


# ---- logical, rotate, shift, count, compare -----------------------------------------------

LOG3 = ['and', 'or', 'xor', 'nand', 'nor', 'eqv', 'andc', 'orc', 'slw', 'srw', 'sraw', 'sld',
        'srd', 'srad']
LOG2 = ['extsb', 'extsh', 'extsw', 'cntlzw', 'cntlzd', 'cnttzw', 'cnttzd']
LOG2_NORC = ['popcntb', 'popcntw', 'popcntd', 'prtyw', 'prtyd']
LOGI = ['andi.', 'andis.', 'ori', 'oris', 'xori', 'xoris']


def logical(rng, t, last, written):
    kind = rng.randrange(12)
    rt, ra, rb = reg(rng), reg(rng), reg(rng)
    dot = '.' if rng.random() < 0.5 else ''
    if kind == 0:
        t.insn('%s%s %d,%d,%d' % (rng.choice(LOG3), dot, ra, rt, rb))
    elif kind == 1:
        t.insn('%s%s %d,%d' % (rng.choice(LOG2), dot, ra, rt))
    elif kind == 2:
        t.insn('%s %d,%d' % (rng.choice(LOG2_NORC), ra, rt))
    elif kind == 3:
        t.insn('%s %d,%d,%d' % (rng.choice(LOGI), ra, rt, uimm16(rng)))
    elif kind == 4:
        t.insn('%s %d,%d,%d' % (rng.choice(['cmpb', 'bpermd']), ra, rt, rb))
    elif kind == 5:
        name = rng.choice(['rlwinm', 'rlwnm', 'rlwimi'])
        sh = rb if name == 'rlwnm' else rng.randrange(32)
        t.insn('%s%s %d,%d,%d,%d,%d' % (name, dot, ra, rt, sh, rng.randrange(32),
                                        rng.randrange(32)))
    elif kind == 6:
        name = rng.choice(['rldic', 'rldicl', 'rldicr', 'rldimi', 'rldcl', 'rldcr'])
        sh = rb if name in ('rldcl', 'rldcr') else rng.randrange(64)
        t.insn('%s%s %d,%d,%d,%d' % (name, dot, ra, rt, sh, rng.randrange(64)))
    elif kind == 7:
        name = rng.choice(['srawi', 'sradi', 'extswsli'])
        sh = rng.randrange(32 if name == 'srawi' else 64)
        t.insn('%s%s %d,%d,%d' % (name, dot, ra, rt, sh))
    elif kind == 8:
        bf, l = rng.randrange(8), rng.randrange(2)
        name = rng.choice(['cmp', 'cmpl', 'cmpi', 'cmpli'])
        if name in ('cmp', 'cmpl'):
            t.insn('%s %d,%d,%d,%d' % (name, bf, l, ra, rb))
        else:
            imm = simm16(rng) if name == 'cmpi' else uimm16(rng)
            t.insn('%s %d,%d,%d,%d' % (name, bf, l, ra, imm))
        return
    elif kind == 9:
        bf = rng.randrange(8)
        if rng.random() < 0.5:
            t.insn('cmprb %d,%d,%d,%d' % (bf, rng.randrange(2), ra, rb))
        else:
            t.insn('cmpeqb %d,%d,%d' % (bf, ra, rb))
        return
    elif kind == 10:
        t.insn('isel %d,%d,%d,%d' % (rt, ra, rb, rng.randrange(32)))
        written.add(rt)
        return
    else:
        if rng.random() < 0.5:
            t.insn('setb %d,%d' % (rt, rng.randrange(8)))
            written.add(rt)
        else:
            t.insn('mcrxrx %d' % rng.randrange(8))
        return
    written.add(ra)


# ---- condition register logical and moves -------------------------------------------------

CRLOG = ['crand', 'crnand', 'cror', 'crxor', 'crnor', 'creqv', 'crandc', 'crorc']


def crops(rng, t, last, written):
    kind = rng.randrange(7 if last else 6)
    if kind <= 1:
        t.insn('%s %d,%d,%d' % (rng.choice(CRLOG), rng.randrange(32), rng.randrange(32),
                                rng.randrange(32)))
    elif kind == 2:
        t.insn('mcrf %d,%d' % (rng.randrange(8), rng.randrange(8)))
    elif kind == 3:
        rt = reg(rng)
        t.insn('mfcr %d' % rt)
        written.add(rt)
    elif kind == 4:
        t.insn('mtcrf %d,%d' % (rng.randrange(256), reg(rng)))
    elif kind == 5:
        t.insn('mtocrf %d,%d' % (1 << rng.randrange(8), reg(rng)))
    else:
        rt, field = reg(rng), rng.randrange(8)
        t.insn('mfocrf %d,%d' % (rt, 0x80 >> field))
        t.undef = ('mfocrf', 0, 0, rt)
        t.flags |= field << 8


# ---- loads and stores ---------------------------------------------------------------------

# name: (size, kind) where kind is 'l' load, 's' store; forms D, DS (displacement a multiple
# of 4), X; 'u' marks update forms.
MEM_D = {'lbz': 1, 'lhz': 2, 'lha': 2, 'lwz': 4, 'stb': 1, 'sth': 2, 'stw': 4}
MEM_DS = {'ld': 8, 'lwa': 4, 'std': 8}
MEM_DU = {'lbzu': 1, 'lhzu': 2, 'lhau': 2, 'lwzu': 4, 'stbu': 1, 'sthu': 2, 'stwu': 4}
MEM_DSU = {'ldu': 8, 'stdu': 8}
MEM_X = {'lbzx': 1, 'lhzx': 2, 'lhax': 2, 'lwzx': 4, 'lwax': 4, 'ldx': 8, 'stbx': 1,
         'sthx': 2, 'stwx': 4, 'stdx': 8, 'lhbrx': 2, 'lwbrx': 4, 'ldbrx': 8, 'sthbrx': 2,
         'stwbrx': 4, 'stdbrx': 8}
MEM_XU = {'lbzux': 1, 'lhzux': 2, 'lhaux': 2, 'lwzux': 4, 'lwaux': 4, 'ldux': 8, 'stbux': 1,
          'sthux': 2, 'stwux': 4, 'stdux': 8}


def effective_address(rng, size):
    """An address inside the scratch buffer, mostly aligned, sometimes not."""
    ea = SCRATCH + rng.randrange(0, SCRATCH_SIZE - size + 1)
    if rng.random() < 0.8:
        ea &= ~(size - 1)
    return ea


def memory(rng, t, last, written):
    t.flags |= F_MEM
    table = rng.choice([MEM_D, MEM_DS, MEM_DU, MEM_DSU, MEM_X, MEM_XU])
    name = rng.choice(sorted(table))
    size = table[name]
    update = table in (MEM_DU, MEM_DSU, MEM_XU)
    load = name.startswith('l')
    rt = reg(rng)
    ra = reg(rng, (0, rt) if update and load else (0,))
    ea = effective_address(rng, size)
    if table in (MEM_X, MEM_XU):
        rb = reg(rng, (ra,))
        if not update and rng.random() < 0.1:
            ra = 0      # RA=0 means no base: EA = (RB)
        a = 0 if ra == 0 else base_part(rng, t, ea)
        if ra:
            set_reg(t, ra, a)
        set_reg(t, rb, ea - a)
        t.insn('%s %d,%d,%d' % (name, rt, ra, rb))
    else:
        d = displacement(rng, t)
        if table in (MEM_DS, MEM_DSU):
            d &= ~3
        set_reg(t, ra, ea - d)
        t.insn('%s %d,%d(%d)' % (name, rt, d, ra))
    if load:
        written.add(rt)
    if update:
        written.add(ra)


# ---- load and reserve / store conditional ------------------------------------------------

LARX = {1: 'lbarx', 2: 'lharx', 4: 'lwarx', 8: 'ldarx'}
STCX = {1: 'stbcx.', 2: 'sthcx.', 4: 'stwcx.', 8: 'stdcx.'}
PLAIN_STORE = {1: 'stbx', 2: 'sthx', 4: 'stwx', 8: 'stdx'}


def x_form(rng, t, name, rt, ea, avoid=()):
    """An X-form access at ea: point RA (or RA=0) and RB there, then the instruction."""
    ra = 0 if rng.random() < 0.1 else reg(rng, (0, rt) + tuple(avoid))
    rb = reg(rng, (ra, rt) + tuple(avoid))
    a = 0 if ra == 0 else base_part(rng, t, ea)
    if ra:
        set_reg(t, ra, a)
    set_reg(t, rb, ea - a)
    t.insn('%s %d,%d,%d' % (name, rt, ra, rb))


def atomic(rng, t, last, written):
    """A reservation and its store conditional of the same size (aligned, in the scratch
    buffer); sometimes the store conditional has another address, sometimes a store comes
    between, and sometimes it has no reservation (the previous one ended it). A store
    conditional of another size than the reservation is never generated: the ISA leaves
    whether it stores undefined."""
    t.flags |= F_MEM
    size = rng.choice(sorted(LARX))
    ea = effective_address(rng, 8) & ~(size - 1)
    if not written or rng.random() < 0.9:
        x_form(rng, t, LARX[size], reg(rng), ea)
    written.add(0)      # marks that a pair came before: no reservation is left over
    choice = rng.random()
    if choice < 0.15:
        other = rng.choice(sorted(PLAIN_STORE))
        where = ea if rng.random() < 0.5 else effective_address(rng, 8)
        x_form(rng, t, PLAIN_STORE[other], reg(rng), where & ~(other - 1))
    if choice > 0.85:
        ea = effective_address(rng, 8) & ~(size - 1)
    elif choice > 0.75:
        ea = (ea + rng.choice([-8, 8, 16, 128])) % SCRATCH_SIZE & ~(size - 1) | SCRATCH
    x_form(rng, t, STCX[size], reg(rng), ea)


# ---- load/store multiple and string (big-endian only) ------------------------------------

def string_regs(rt, nbytes):
    """The registers a string access of nbytes starting at RT uses (wrapping r31 to r0)."""
    return {(rt + i) % 32 for i in range((nbytes + 3) // 4)}


def multiple(rng, t, load):
    """lmw/stmw: RT..r31 from/to consecutive words; for lmw, RA is below RT or 0."""
    rt = rng.randrange(2 if load else 0, 32)
    ea = SCRATCH + (rng.randrange(0, SCRATCH_SIZE - 4 * (32 - rt) + 1) & ~3)
    ra = 0 if rng.random() < 0.2 else reg(rng, set(range(rt, 32)) | {0} if load else (0,))
    d = ea if ra == 0 else displacement(rng, t)
    if ra:
        set_reg(t, ra, ea - d)
    t.insn('%s %d,%d(%d)' % ('lmw' if load else 'stmw', rt, d, ra))
    return {rt} | set(range(rt, 32)) if load else set()


def string_immediate(rng, t, load):
    """lswi/stswi: NB bytes (NB=0 means 32) at (RA), RA outside the loaded registers."""
    nb = rng.randrange(1, 33)
    rt = reg(rng)
    used = string_regs(rt, nb)
    ra = reg(rng, (used | {0}) if load else (0,))
    set_reg(t, ra, SCRATCH + rng.randrange(0, SCRATCH_SIZE - nb + 1))
    t.insn('%s %d,%d,%d' % ('lswi' if load else 'stswi', rt, ra, nb % 32))
    return used if load else set()


def string_indexed(rng, t, load):
    """lswx/stswx: the byte count comes from XER[57:63], set here (1-64 bytes for lswx,
    since with a count of 0 lswx leaves RT undefined)."""
    n = rng.randrange(1 if load else 0, 65)
    rt = reg(rng)
    used = string_regs(rt, n) if load else set()
    # gas refuses RT=RA even for RA=0, which means no base register
    ra = 0 if rng.random() < 0.1 and 0 not in used else reg(rng, used | {0})
    rb = reg(rng, used | {ra})
    ea = SCRATCH + rng.randrange(0, SCRATCH_SIZE - n + 1)
    a = 0 if ra == 0 else base_part(rng, t, ea)
    s = reg(rng)
    t.setup('mfxer %d' % s)
    t.setup('rldicr %d,%d,0,56' % (s, s))
    t.setup('ori %d,%d,%d' % (s, s, n))
    t.setup('mtxer %d' % s)
    if ra:
        set_reg(t, ra, a)
    set_reg(t, rb, ea - a)
    t.insn('%s %d,%d,%d' % ('lswx' if load else 'stswx', rt, ra, rb))
    return used


def string(rng, t, last, written):
    t.flags |= F_MEM
    form = rng.choice([multiple, string_immediate, string_indexed])
    written |= form(rng, t, rng.random() < 0.5)


# ---- branches -----------------------------------------------------------------------------

# Valid BO values without the reserved "at" hint combination and with z bits 0; those that
# do not decrement CTR (allowed for bcctr) are listed separately.
BO_ALL = [0, 2, 4, 6, 7, 8, 10, 12, 14, 15, 16, 18, 20, 24, 25, 26, 27]
BO_NODEC = [4, 6, 7, 12, 14, 15, 20]


def branches(rng, t, label):
    """A body of 2-4 slots; branches go forward to a later slot or to the end."""
    slots = rng.randrange(2, 5)
    for i in range(slots):
        t.setup('%s_%d:' % (label, i))
        target = '%s_%d' % (label, rng.randrange(i + 1, slots + 1))
        kind = rng.randrange(6)
        lk = 'l' if rng.random() < 0.3 else ''
        if kind <= 1:
            t.insn('bc%s %d,%d,%s' % (lk, rng.choice(BO_ALL), rng.randrange(32), target))
        elif kind == 2:
            t.insn('b%s %s' % (lk, target))
        elif kind == 3:
            r = reg(rng, (0,))  # addi with RA=0 would add to 0, not to r0
            spr = rng.choice(['lr', 'ctr'])
            if t.mode == 64:
                t.setup('lis %d,%s@ha' % (r, target))
                t.setup('addi %d,%d,%s@l' % (r, r, target))
            else:
                # the target in r[32:63], r[0:31] random: the branch ignores them
                t.setup('rldicr %d,%d,0,31' % (r, reg(rng)))
                t.setup('oris %d,%d,%s@h' % (r, r, target))
                t.setup('ori %d,%d,%s@l' % (r, r, target))
            t.setup('mt%s %d' % (spr, r))
            bo = rng.choice(BO_ALL if spr == 'lr' else BO_NODEC)
            if spr == 'lr':
                t.insn('bclr%s %d,%d,0' % (lk, bo, rng.randrange(32)))
            else:
                t.insn('bcctr%s %d,%d,0' % (lk, bo, rng.randrange(32)))
        elif kind == 4:
            r = reg(rng)
            t.insn('cmpi %d,%d,%d,%d' % (rng.randrange(8), rng.randrange(2), r, simm16(rng)))
        else:
            r = reg(rng)
            t.insn('addic. %d,%d,%d' % (r, r, rng.randrange(-3, 4)))
    t.setup('%s_%d:' % (label, slots))


# ---- traps --------------------------------------------------------------------------------

def trap_operands(rng, t, ra):
    """RB for tw/td: random, the same register, RA - 1, RA or RA + 1, RA with another high
    half (equal as words, not as doublewords), or RA with bit 32 flipped (the word signs
    differ, so the signed and the unsigned comparisons disagree)."""
    how = rng.randrange(5)
    rb = reg(rng, (ra,))
    if how == 1:
        return ra
    if how == 2 and ra != 0:
        t.setup('addi %d,%d,%d' % (rb, ra, rng.randrange(-1, 2)))
    elif how == 3:
        t.setup('rldimi %d,%d,0,32' % (rb, ra))
    elif how == 4:
        t.setup('xoris %d,%d,0x8000' % (rb, ra))
    return rb


def traps(rng, t, last, written):
    """tw, twi, td, tdi with any TO (31, trap always, one time in ten); the first one that
    traps ends the test, and the harness records the program interrupt."""
    t.flags |= F_TRAP
    to = 31 if rng.random() < 0.1 else rng.randrange(32)
    word = rng.random() < 0.5
    ra = reg(rng)
    if rng.random() < 0.5:
        si = simm16(rng)
        how = rng.randrange(3)
        near = max(-0x8000, min(0x7fff, si + rng.randrange(-1, 2)))
        if how == 1:
            t.setup('li %d,%d' % (ra, near))
        elif how == 2:
            # RA[32:63] near SI, RA[0:31] random: twi and tdi disagree
            s = reg(rng, (ra,))
            t.setup('li %d,%d' % (s, near))
            t.setup('rldimi %d,%d,0,32' % (ra, s))
        t.insn('%s %d,%d,%d' % ('twi' if word else 'tdi', to, ra, si))
    else:
        rb = trap_operands(rng, t, ra)
        t.insn('%s %d,%d,%d' % ('tw' if word else 'td', to, ra, rb))
    if rng.random() < 0.3:
        # shows in the state whether the test went on after this instruction
        r = reg(rng, (0,))
        t.setup('addi %d,%d,%d' % (r, r, rng.randrange(1, 4)))


# ---- privileged state (supervisor) -------------------------------------------------------

# SPRs a partition reads back as written, and the values where QEMU 7.2 and the ISA agree:
# 'any' (64 bits), 'w32' (32-bit registers: DSISR, PSPB, VRSAVE; QEMU keeps 64 bits of DSISR
# and VRSAVE), 'ppr'
# (only the priority field, bits 11:13), 'pid' (20 bits: our PIDR keeps 32, QEMU's 64),
# 'bit' (CTRL: 0 or 1).
PRIV_SPRS = [(26, 'any'), (27, 'any'), (272, 'any'), (273, 'any'), (274, 'any'), (275, 'any'),
             (19, 'any'), (18, 'w32'), (29, 'any'), (157, 'any'), (17, 'any'), (153, 'any'),
             (159, 'w32'), (256, 'w32'), (815, 'any'), (896, 'ppr'), (48, 'pid'), (152, 'bit'),
             (28, 'any')]
# Where the value written is read from, when not the same number.
PRIV_READ_AS = {152: 136, 275: 259}
# MSR bits that mtmsrd and rfid may flip in a test (FP, FE0, FE1, and VEC, VSX in the high
# halfword of the low word): never LE, PR, IR, DR, SE, BE (they would change how the test
# runs) nor EE (a decrementer could come in).
MSR_FLIP_LO = [0x2000, 0x800, 0x100]
MSR_FLIP_HI = [0x0200, 0x0080]
# The MSR bits compared after mfmsr: SF, VEC, VSX, EE, PR, FP, FE0, FE1, IR, DR, LE (the
# others, ME and RI among them, are machine state).
MSR_SHOWN_HI = 0x0280
MSR_SHOWN_LO = 0xe931
# Hypervisor SPRs (mfspr privileged), the harmless ones also for mtspr; undefined numbers
# whose mfspr (0, 4, 5, 6) or mtspr (0) is privileged on QEMU 7.2.
HV_READ = [304, 305, 306, 307, 310, 313, 314, 315, 318, 319, 336, 337, 464, 0, 4, 5, 6]
HV_WRITE = [304, 305, 314, 315, 0]


def priv_value(rng, t, kind):
    """A register holding a value of the kind for a PRIV_SPRS entry."""
    r = reg(rng, (0,))
    if kind == 'any':
        if rng.random() < 0.3:
            t.setup('li %d,%d' % (r, simm16(rng)))
        return r  # else the random start value
    if kind == 'w32':
        t.setup('rldicl %d,%d,0,32' % (r, r))
    elif kind == 'ppr':
        t.setup('li %d,%d' % (r, rng.randrange(8)))
        t.setup('rldicr %d,%d,50,63' % (r, r))
    elif kind == 'pid':
        t.setup('rldicl %d,%d,0,44' % (r, r))
    else:
        t.setup('li %d,%d' % (r, rng.randrange(2)))
    return r


def flip_msr(rng, t, r):
    """Clear ME in r (a machine-state bit: 1 on ours, 0 on QEMU 7.2's -bios entry; the
    register is compared) and flip a random subset of the safe MSR bits."""
    t.setup('rldicr %d,%d,52,62' % (r, r))
    t.setup('rldicl %d,%d,12,0' % (r, r))
    lo = sum(b for b in MSR_FLIP_LO if rng.random() < 0.5)
    hi = sum(b for b in MSR_FLIP_HI if rng.random() < 0.5)
    if lo:
        t.setup('xori %d,%d,%d' % (r, r, lo))
    if hi:
        t.setup('xoris %d,%d,%d' % (r, r, hi))


def priv(rng, t, last, written):
    """Supervisor-state sequences: SPR writes read back, mfmsr (the compared bits), mtmsrd
    L=0 and L=1, rfid to the next instruction with other MSR bits (32-bit mode too), and as
    the last instruction sometimes sc or a privileged SPR access, whose interrupt ends the
    test (vector, SRR0 and SRR1 compared)."""
    kind = rng.randrange(8 if last else 6)
    if kind <= 1:
        spr, vkind = rng.choice(PRIV_SPRS)
        rs = priv_value(rng, t, vkind)
        rt = reg(rng)
        t.insn('mtspr %d,%d' % (spr, rs))
        t.insn('mfspr %d,%d' % (rt, PRIV_READ_AS.get(spr, spr)))
    elif kind == 2:
        rt, rm = reg(rng), reg(rng)
        while rm == rt:
            rm = reg(rng)
        t.insn('mfmsr %d' % rt)
        t.setup('li %d,-1' % rm)
        t.setup('rldicr %d,%d,0,0' % (rm, rm))
        t.setup('oris %d,%d,%d' % (rm, rm, MSR_SHOWN_HI))
        t.setup('ori %d,%d,%d' % (rm, rm, MSR_SHOWN_LO))
        t.setup('and %d,%d,%d' % (rt, rt, rm))
    elif kind == 3:
        r = reg(rng)
        t.setup('mfmsr %d' % r)
        flip_msr(rng, t, r)
        t.insn('mtmsrd %d,0' % r)
    elif kind == 4:
        # L=1 sets EE and RI from RS: RI only (EE stays 0)
        r = reg(rng)
        t.setup('li %d,%d' % (r, rng.choice([0, 2])))
        t.insn('mtmsrd %d,1' % r)
    elif kind == 5:
        r, a = reg(rng), reg(rng, (0,))  # addi with RA=0 would add to 0, not r0
        while a == r:
            a = reg(rng, (0,))
        label = 'rfid_%d' % rng.getrandbits(48)
        t.setup('mfmsr %d' % r)
        flip_msr(rng, t, r)
        if rng.random() < 0.2:
            # to 32-bit mode (all code lies below 4 GiB) or back to 64-bit mode
            t.setup('rldicl %d,%d,1,0' % (r, r))
            t.setup('xori %d,%d,1' % (r, r))
            t.setup('rldicl %d,%d,63,0' % (r, r))
        t.setup('lis %d,%s@ha' % (a, label))
        t.setup('addi %d,%d,%s@l' % (a, a, label))
        t.setup('mtsrr0 %d' % a)
        t.setup('mtsrr1 %d' % r)
        t.insn('rfid')
        t.setup('%s:' % label)
    elif kind == 6:
        t.flags |= F_TRAP
        t.insn('sc')
    else:
        t.flags |= F_TRAP
        if rng.random() < 0.6:
            t.insn('mfspr %d,%d' % (reg(rng), rng.choice(HV_READ)))
        else:
            t.insn('mtspr %d,%d' % (rng.choice(HV_WRITE), reg(rng)))


CLASSES = {'arith': arith, 'logical': logical, 'cr': crops, 'memory': memory,
           'branch': None, 'atomic': atomic, 'string': string, 'trap': traps, 'priv': priv}
# Classes whose instructions are illegal in little-endian mode.
BE_ONLY = {'string'}
# The fixed-point classes (all of them run in 32-bit mode too).
INT_CLASSES = list(CLASSES)

# The floating-point and vector classes (gen_vec.py): name -> operand profile. Their images
# carry the VSRs, FPSCR and VSCR in the state, and run in 64-bit mode only.
import gen_vec  # noqa: E402  (gen_vec uses this module's helpers)
VEC_PROFILE = {}
for _name, (_fn, _profile) in gen_vec.CLASSES.items():
    CLASSES[_name] = _fn
    VEC_PROFILE[_name] = _profile


def make_test(cls, rng, label, mode):
    t = Test(mode)
    if cls == 'branch':
        branches(rng, t, label)
        return t
    fn = CLASSES[cls]
    n = rng.randrange(1, 5)
    written = set()
    for i in range(n):
        fn(rng, t, i == n - 1, written)
    return t


def generate(cls, seed, count, mode=64):
    """The tests of one image, reproducible from (cls, seed, mode)."""
    rng = random.Random('%s:%d' % (cls, seed) if mode == 64 else '%s:%d:%d' % (cls, seed, mode))
    return [make_test(cls, rng, 't%d' % i, mode) for i in range(count)]


def blob(label, t):
    """A test blob: load r0/LR/CTR (dt_run loaded the rest), the body, store r0/LR/CTR."""
    lines = ['%s:' % label,
             'ld 0,%d(0)' % (STATE_IN + ST_LR), 'mtlr 0',
             'ld 0,%d(0)' % (STATE_IN + ST_CTR), 'mtctr 0',
             'ld 0,%d(0)' % STATE_IN,
             '%s_body:' % label]
    lines += t.body[:t.first] + ['%s_first:' % label] + t.body[t.first:]
    lines += ['%s_tail:' % label,
              'std 0,%d(0)' % STATE_OUT, 'mflr 0', 'std 0,%d(0)' % (STATE_OUT + ST_LR),
              'mfctr 0', 'std 0,%d(0)' % (STATE_OUT + ST_CTR), 'ba dt_exit']
    return lines


def assembly(cls, seed, tests, mode=64):
    """The assembly source of an image's tests: blobs, then the table the harness walks."""
    out = ['/* difftest class %s seed %d mode %d: %d tests (generated) */'
           % (cls, seed, mode, len(tests)), '.text', '.p2align 2']
    for i, t in enumerate(tests):
        out += blob('t%d' % i, t)
    out += ['.section .rodata', '.p2align 3',
            '.globl dt_image_seed', 'dt_image_seed: .quad %d' % (seed & (2 ** 64 - 1)),
            '.globl dt_ntests', 'dt_ntests: .long %d' % len(tests),
            '.globl dt_image_mode', 'dt_image_mode: .long %d' % mode,
            '.globl dt_image_vec', 'dt_image_vec: .long %d' % VEC_PROFILE.get(cls, 0),
            '.p2align 4', '.globl dt_tests', 'dt_tests:']
    for i, t in enumerate(tests):
        rule, ra, rb, rt = t.undef
        word = UNDEF[rule] << 24 | ra << 16 | rb << 8 | rt
        out.append('.long t%d, %d, %d, %d' % (i, word, t.flags, t.crmask))
    return '\n'.join(out) + '\n'
