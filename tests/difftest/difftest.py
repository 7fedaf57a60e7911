#!/usr/bin/env python3
# Difftest driver: builds images of random instruction tests, runs them on the oracle (Debian's
# QEMU) and on our qemu-system-ppc64, compares the per-test hashes and explains a mismatch.
"""Differential testing of the ppc64 CPU against QEMU. See README.rst next to this file."""

import argparse
import glob
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import gen

HERE = os.path.dirname(os.path.abspath(__file__))
GUEST = os.path.join(HERE, 'guest')
CROSS = 'powerpc64le-linux-gnu-'
ORACLE = '/usr/bin/qemu-system-ppc64'
MAX_IMAGE = 4 << 20
CFG_DUMP = 0x180            # guest/layout.h DT_CFG_DUMP, a u32 of the image's byte order
CFG_STATE = 0x188           # DT_CFG_STATE: the FP/vector state moved and compared
# --state: parts (DT_ST_*) and their presets: 'fp' needs only lfd/stfd/mtfsf/mffs of our
# CPU, 'vmx' lvx/stvx/mtvscr/mfvscr, 'vsx' lxvd2x/stxvd2x; 'full' all of them.
STATE_PARTS = {'fpr': 1, 'vr': 2, 'vsr': 4, 'fpscr': 8, 'vscr': 16}
STATE_PRESETS = {'full': 'vsr,fpscr,vscr', 'fp': 'fpr,fpscr', 'vmx': 'vr,vscr', 'vsx': 'vsr'}
NO_DUMP = 0xffffffff
CFLAGS = ['-mabi=elfv2', '-mcpu=power8', '-mno-altivec', '-mno-vsx',
          '-msoft-float', '-mcmodel=medium', '-O2', '-std=gnu11', '-ffreestanding', '-nostdlib',
          '-fno-pic', '-fno-stack-protector', '-fno-asynchronous-unwind-tables',
          '-fno-tree-loop-distribute-patterns', '-Wall', '-Wextra', '-Werror']
ASFLAGS = ['-mabi=elfv2', '-Wa,-mpower9']
# per byte order: compiler flag, linker flag, struct prefix of the image's words
ENDIAN = {'be': ('-mbig-endian', '-EB', '>'), 'le': ('-mlittle-endian', '-EL', '<')}
# bit 10 of the instruction (ISA numbering): the low bit of the RT/RS/BF field
CORRUPT_BIT = 1 << 21


class DifftestError(Exception):
    pass


def run_tool(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise DifftestError('%s failed:\n%s%s' % (' '.join(cmd), r.stdout, r.stderr))
    return r.stdout


def build_runtime(workdir, endian):
    """Compile the start-up code and the harness once per work directory and byte order."""
    objs = []
    for src in ('head.S', 'harness.c'):
        obj = os.path.join(workdir, '%s-%s.o' % (src.replace('.', '_'), endian))
        flags = [ENDIAN[endian][0]] + (ASFLAGS if src.endswith('.S') else CFLAGS)
        sources = [os.path.join(GUEST, f) for f in (src, 'layout.h', 'vec.h')]
        if not os.path.exists(obj) or any(os.path.getmtime(f) > os.path.getmtime(obj)
                                          for f in sources):
            tmp = obj + '.tmp%d' % os.getpid()
            run_tool([CROSS + 'gcc'] + flags + ['-I', GUEST, '-c', os.path.join(GUEST, src),
                                                '-o', tmp])
            os.replace(tmp, obj)
        objs.append(obj)
    return objs


class Image:
    """One image: a class, a seed, its tests, and the built files."""

    def __init__(self, workdir, cls, seed, count, runtime, endian, mode, state=None):
        self.cls, self.seed, self.endian, self.mode = cls, seed, endian, mode
        self.tests = gen.generate(cls, seed, count, mode)
        self.base = os.path.join(workdir, '%s-%d%s%s' % (cls, seed,
                                                         '-le' if endian == 'le' else '',
                                                         '-32' if mode == 32 else ''))
        src = self.base + '.S'
        with open(src, 'w') as f:
            f.write(gen.assembly(cls, seed, self.tests, mode))
        cflag, ldflag, self.order = ENDIAN[endian]
        run_tool([CROSS + 'gcc', cflag] + ASFLAGS + ['-c', src, '-o', self.base + '.o'])
        run_tool([CROSS + 'ld', ldflag, '-T', os.path.join(GUEST, 'image.ld'), '-o',
                  self.base + '.elf'] + runtime + [self.base + '.o'])
        run_tool([CROSS + 'objcopy', '-O', 'binary', self.base + '.elf', self.base + '.bin'])
        if os.path.getsize(self.base + '.bin') > MAX_IMAGE:
            raise DifftestError('%s.bin is larger than 4 MiB: use fewer tests per image'
                                % self.base)
        self.bin = self.base + '.bin'
        if state is not None:
            with open(self.bin, 'r+b') as f:
                f.seek(CFG_STATE)
                f.write(struct.pack(self.order + 'I', state))
        self._symbols = None

    def remove(self):
        # only this image's files: arith-1.S and arith-1-dump-ours.bin, not arith-1-le.S
        base = glob.escape(self.base)
        for path in glob.glob(base + '.*') + glob.glob(base + '-dump-*.bin') + \
                glob.glob(base + '-corrupt.bin'):
            os.remove(path)

    def instructions(self):
        return sum(t.ninsn for t in self.tests)

    def symbol(self, name):
        if self._symbols is None:
            self._symbols = {}
            for line in run_tool([CROSS + 'nm', self.base + '.elf']).splitlines():
                parts = line.split()
                if len(parts) == 3:
                    self._symbols[parts[2]] = int(parts[0], 16)
        return self._symbols[name]

    def variant(self, suffix, dump=NO_DUMP, corrupt=None):
        """A copy of the image that dumps one test and/or has one instruction corrupted."""
        path = '%s-%s.bin' % (self.base, suffix)
        shutil.copyfile(self.bin, path)
        with open(path, 'r+b') as f:
            f.seek(CFG_DUMP)
            f.write(struct.pack(self.order + 'I', dump))
            if corrupt is not None:
                addr = self.symbol('t%d_first' % corrupt)
                f.seek(addr)
                word = struct.unpack(self.order + 'I', f.read(4))[0]
                f.seek(addr)
                f.write(struct.pack(self.order + 'I', word ^ CORRUPT_BIT))
        return path

    def where(self, addr):
        """Name the code at a guest address: symbol+offset and the instruction there."""
        self.symbol('dt_run')
        best = max(((a, n) for n, a in self._symbols.items() if a <= addr and
                    not n.startswith('.')), default=(0, '?'))
        out = run_tool([CROSS + 'objdump', '-d', '-M', 'power9', '--start-address=%d' % addr,
                        '--stop-address=%d' % (addr + 4), self.base + '.elf'])
        insn = [line.split('\t', 2)[-1].strip() for line in out.splitlines() if ':\t' in line]
        return '%s+0x%x (%s)' % (best[1], addr - best[0], insn[0] if insn else '?')

    def disassemble(self, binary, index):
        lo = self.symbol('t%d_body' % index)
        hi = self.symbol('t%d_tail' % index)
        if hi == lo:
            return ['    (empty body)']
        out = run_tool([CROSS + 'objdump', '-D', '-b', 'binary', '-m', 'powerpc:common64',
                        ENDIAN[self.endian][1], '-M', 'power9', '--start-address=%d' % lo,
                        '--stop-address=%d' % hi, binary])
        return ['    ' + line.strip() for line in out.splitlines()
                if ':\t' in line]


def qemu_cmd(binary, image, oracle):
    cmd = [binary, '-M', 'pseries', '-m', '1G', '-nodefaults', '-nographic', '-display', 'none']
    if oracle:
        cmd += ['-accel', 'tcg']
    else:
        # every block compiled when translated, not at its 8th run: the JIT on all the code
        cmd += ['-accel', 'tcg,x-jit-after=1']
    return cmd + ['-serial', 'stdio', '-bios', image]


class Run:
    """The output of one image on one emulator: test lines, dump lines, completion."""

    def __init__(self, binary, image, oracle, timeout):
        start = time.monotonic()
        try:
            r = subprocess.run(qemu_cmd(binary, image, oracle), stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=timeout, check=False)
            out, self.stderr, self.status = r.stdout, r.stderr, r.returncode
            self.timed_out = False
        except subprocess.TimeoutExpired as e:
            out, self.stderr, self.status = e.stdout or b'', e.stderr or b'', None
            self.timed_out = True
        self.seconds = time.monotonic() - start
        self.results, self.dump, self.complete, self.trap = [], [], False, None
        for line in out.decode('latin-1').splitlines():
            fields = line.split()
            if line.startswith('T') and len(fields) == 2:
                self.results.append(line)
            elif line.startswith('D '):
                self.dump.append(fields[1:])
            elif line.startswith('END '):
                self.complete = True
            elif line.startswith('TRAP '):
                self.trap = line

    def why_incomplete(self, img=None):
        if self.timed_out:
            why = 'timed out after %.0f s' % self.seconds
        else:
            why = 'exited with status %s before the END line' % self.status
        if self.trap:
            why += '\n      guest: ' + self.trap
            fields = self.trap.split()
            if img is not None and len(fields) > 4:
                try:
                    why += '\n      at: ' + img.where(int(fields[4], 16))
                except (DifftestError, ValueError):
                    pass
        err = self.stderr.decode('latin-1').strip().splitlines()[-3:]
        return why + ''.join('\n      stderr: ' + e for e in err)


def first_mismatch(a, b):
    for i in range(max(len(a), len(b))):
        if i >= len(a) or i >= len(b) or a[i] != b[i]:
            return i
    return None


def side_by_side(oracle_dump, ours_dump):
    """Registers in, oracle out, ours out; '<<' marks a difference in defined bits."""
    rows = ['    %-8s %-16s  %-16s  %-16s' % ('', 'before', 'oracle', 'ours')]
    ours = {d[0]: d for d in ours_dump}
    names = [d[0] for d in oracle_dump] + [d[0] for d in ours_dump
                                           if d[0] not in {o[0] for o in oracle_dump}]
    theirs = {d[0]: d for d in oracle_dump}
    for name in names:
        o, u = theirs.get(name), ours.get(name)
        before = (o or u)[1]
        # a scratch doubleword one side did not list is unchanged on that side
        unlisted = before if name.startswith('mem') else '-' * len(before)
        ov = o[2] if o else unlisted
        uv = u[2] if u else unlisted
        undef = 0
        for d in (o, u):
            if d and len(d) > 3:
                undef = int(d[3].split(':')[1], 16)
        differ = ov != uv and ('-' in ov + uv or (int(ov, 16) ^ int(uv, 16)) & ~undef)
        note = ' <<' if differ else ''
        if name[:2] == 'vs' and name[2:].isdigit() and not differ and before == ov == uv:
            continue    # 64 VSRs: only those that changed
        if undef:
            note += ' (undefined bits %x)' % undef
        rows.append('    %-8s %-16s  %-16s  %-16s%s' % (name, before, ov, uv, note))
    return rows


def explain(img, index, args, timeout):
    """Re-run one test in dump mode on both sides and print everything about it."""
    oracle_bin = img.variant('dump-oracle', dump=index)
    ours_bin = img.variant('dump-ours', dump=index, corrupt=args.corrupt_insn)
    o = Run(args.oracle, oracle_bin, True, timeout)
    u = Run(args.qemu, ours_bin, args.self_test, timeout)
    print('MISMATCH class %s seed %d test %d' % (img.cls, img.seed, index))
    how = 'self' if args.self_test else 'run --qemu %s' % args.qemu
    print('  reproduce: %s %s --class %s --endian %s --mode %d --seed %d --tests %d '
          '--workdir DIR' % (sys.argv[0], how, img.cls, img.endian, img.mode, img.seed,
                             len(img.tests)))
    print('  source: %s.S, label t%d' % (img.base, index))
    print('  instructions (oracle image):')
    print('\n'.join(img.disassemble(oracle_bin, index)))
    if args.corrupt_insn is not None:
        print('  instructions (ours image, deliberately corrupted):')
        print('\n'.join(img.disassemble(ours_bin, index)))
    print('  state:')
    print('\n'.join(side_by_side(o.dump, u.dump)))
    for name, r in (('oracle', o), ('ours', u)):
        if not r.complete:
            print('  %s dump run %s' % (name, r.why_incomplete()))


def compare(img, o, u, args):
    """None when both runs agree, else the index of the first differing test (or -1)."""
    if args.corrupt_line is not None and args.corrupt_line < len(u.results):
        n, h = u.results[args.corrupt_line].split()
        u.results[args.corrupt_line] = '%s %016x' % (n, int(h, 16) ^ 1)
    if o.complete and u.complete and o.results == u.results:
        return None
    if not o.complete:
        print('ORACLE FAILED class %s seed %d: %s' % (img.cls, img.seed, o.why_incomplete()))
        return -1
    i = first_mismatch(o.results, u.results)
    if i is None or i >= len(u.results):
        print('OURS STOPPED class %s seed %d after %d of %d tests: %s'
              % (img.cls, img.seed, len(u.results), len(img.tests), u.why_incomplete(img)))
        return len(u.results)
    print('first differing line: oracle "%s", ours "%s"' % (o.results[i], u.results[i]))
    return i


def run_image(workdir, runtime, cls, seed, args):
    img = Image(workdir, cls, seed, args.tests, runtime, args.endian, args.mode, args.state)
    timeout = args.timeout or 10 + args.tests // 100
    ours_bin = img.bin
    if args.corrupt_insn is not None:
        ours_bin = img.variant('corrupt', corrupt=args.corrupt_insn)
    with ThreadPoolExecutor(2) as pool:
        fo = pool.submit(Run, args.oracle, img.bin, True, timeout)
        fu = pool.submit(Run, args.qemu, ours_bin, args.self_test, timeout)
        o, u = fo.result(), fu.result()
    return img, o, u, timeout


def campaign(args):
    workdir = args.workdir or tempfile.mkdtemp(prefix='difftest-')
    os.makedirs(workdir, exist_ok=True)
    runtime = build_runtime(workdir, args.endian)
    jobs = [(cls, args.seed + k) for cls in args.classes for k in range(args.images)]
    totals = {}
    failed = False
    with ThreadPoolExecutor(max(1, args.jobs // 2)) as pool:
        futures = [pool.submit(run_image, workdir, runtime, cls, seed, args)
                   for cls, seed in jobs]
        for fut in futures:
            img, o, u, timeout = fut.result()
            t = totals.setdefault(img.cls, [0, 0, 0.0, 0.0])
            t[0] += len(img.tests)
            t[1] += img.instructions()
            t[2] += o.seconds
            t[3] += u.seconds
            bad = compare(img, o, u, args)
            if bad is None:
                if not args.keep:
                    img.remove()
                if args.verbose:
                    print('ok class %s seed %d: %d tests agree' % (img.cls, img.seed,
                                                                  len(img.tests)))
                continue
            failed = True
            if bad >= 0:
                explain(img, bad, args, timeout)
            break
        for fut in futures:
            fut.cancel()
    for cls, (ntests, ninsn, so, su) in totals.items():
        line = '%s%s: %d tests, %d instructions' % (
            cls, ' (32-bit mode)' if args.mode == 32 else '', ntests, ninsn)
        if args.instructions and ninsn < args.instructions and not failed:
            line += ' (fewer than -n %d)' % args.instructions
            failed = True
        if args.ips:
            line += ', oracle %.0f insn/s (%.1f s), ours %.0f insn/s (%.1f s)' % (
                ninsn / so, so, ninsn / su, su)
        print(line)
    if not args.workdir and not failed:
        shutil.rmtree(workdir, ignore_errors=True)
    elif failed:
        print('images kept in %s' % workdir)
    return 1 if failed else 0


def dump_pair(img, index, args, timeout):
    """Both final states of one test, as side_by_side rows."""
    o = Run(args.oracle, img.variant('dump-oracle', dump=index), True, timeout)
    u = Run(args.qemu, img.variant('dump-ours', dump=index, corrupt=args.corrupt_insn),
            args.self_test, timeout)
    return side_by_side(o.dump, u.dump), o, u


def report_campaign(args):
    """Run every image to the end (no stop at the first mismatch) and write a summary for the
    people fixing the CPU: counts, mismatches by mnemonic, and up to --examples distinct
    mismatching tests with the registers that differ."""
    workdir = args.workdir or tempfile.mkdtemp(prefix='difftest-')
    os.makedirs(workdir, exist_ok=True)
    runtime = build_runtime(workdir, args.endian)
    timeout = args.timeout or 10 + args.tests // 100
    lines, bad, ran, stops, images = [], [], 0, [], 0
    total, wrong, ninsn = {}, {}, {}
    for cls in args.classes:
        k = 0
        ninsn[cls] = 0
        # with -n: images (seeds seed, seed+1...) until the class has run that many
        while ninsn[cls] < args.instructions if args.instructions else k < args.images:
            img, o, u, _ = run_image(workdir, runtime, cls, args.seed + k, args)
            k += 1
            images = max(images, k)
            if not o.complete:
                stops.append('oracle failed on %s seed %d: %s' % (cls, img.seed,
                                                                 o.why_incomplete(img)))
                if args.instructions:
                    break
                continue
            n = min(len(o.results), len(u.results))
            ran += n
            ninsn[cls] += sum(t.ninsn for t in img.tests[:n])
            for i in range(n):
                mismatch = o.results[i] != u.results[i]
                for name in set(img.tests[i].names):
                    total[name] = total.get(name, 0) + 1
                    wrong[name] = wrong.get(name, 0) + mismatch
                if mismatch:
                    bad.append((img, i))
            if not u.complete:
                stops.append('ours stopped in %s seed %d after %d of %d tests: %s'
                             % (cls, img.seed, len(u.results), len(img.tests),
                                u.why_incomplete(img)))
    lines.append('tests run: %d (both emulators), mismatching: %d' % (ran, len(bad)))
    lines.append('test instructions in them: %d (seeds %d-%d%s)'
                 % (sum(ninsn.values()), args.seed, args.seed + images - 1,
                    '' if len(ninsn) < 2 else '; ' + ', '.join('%s %d' % x for x in ninsn.items())))
    lines += ['NOTE ' + x for x in stops]
    broken = sorted((n for n in total if wrong[n]), key=lambda n: (-wrong[n] / total[n], n))
    clean = sorted(n for n in total if not wrong[n])
    lines.append('')
    lines.append('mnemonics in mismatching tests (mismatching/tests that hold it): %d'
                 % len(broken))
    lines += ['  %-14s %d/%d' % (n, wrong[n], total[n]) for n in broken]
    lines.append('mnemonics whose every test agrees: %d' % len(clean))
    lines += ['  ' + ' '.join(clean[i:i + 8]) for i in range(0, len(clean), 8)]
    # examples: for each broken mnemonic, the shortest mismatching test that holds it
    chosen, seen = [], set()
    for name in broken:
        cands = [(img.tests[i].ninsn, img.seed, i, img) for img, i in bad
                 if name in img.tests[i].names]
        if not cands:
            continue
        _, _, i, img = min(cands, key=lambda c: c[:3])
        if (img.base, i) not in seen:
            seen.add((img.base, i))
            chosen.append((img, i))
        if len(chosen) >= args.examples:
            break
    lines.append('')
    lines.append('examples (%d): the test, then the registers that differ' % len(chosen))
    for img, i in chosen:
        rows, o, u = dump_pair(img, i, args, timeout)
        t = img.tests[i]
        lines.append('')
        lines.append('%s seed %d test %d (%s, %s-endian): reproduce with difftest.py run '
                     '--class %s --endian %s --seed %d --tests %d, then see label t%d'
                     % (img.cls, img.seed, i, ' ; '.join(t.names), 'big' if img.endian == 'be' else 'little', img.cls,
                        img.endian, img.seed, len(img.tests), i))
        lines += ['    | ' + b for b in t.body]
        lines.append(rows[0])
        lines += [r for r in rows[1:] if '<<' in r]
        if not u.complete:
            lines.append('    ours (dump run) ' + u.why_incomplete(img).strip())
    text = '\n'.join(lines) + '\n'
    with open(args.report, 'w') as f:
        f.write(args.report_header + text if args.report_header else text)
    print(lines[0])
    print(lines[1])
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if bad or stops else 0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('command', choices=['run', 'self'],
                   help='run: oracle vs ours; self: oracle vs oracle (checks the harness)')
    p.add_argument('--qemu', default=os.environ.get('QEMU'),
                   help='our qemu-system-ppc64 (default $QEMU)')
    p.add_argument('--oracle', default=ORACLE)
    p.add_argument('--class', dest='classes',
                   help='comma-separated classes (default: all; in 32-bit mode the '
                        'fixed-point ones): %s' % ', '.join(gen.CLASSES))
    p.add_argument('--endian', choices=sorted(ENDIAN), default='be',
                   help='byte order the tests run in (le: MSR[LE]=1 after the trampoline)')
    p.add_argument('--mode', type=int, choices=gen.MODES, default=64,
                   help='32: the tests run in 32-bit mode (MSR[SF]=0); default 64')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--tests', type=int, default=2000, help='tests per image')
    p.add_argument('--images', type=int, default=1, help='images per class (seeds seed..)')
    p.add_argument('-n', '--instructions', type=int,
                   help='at least this many test instructions per class (sets --images; '
                        'with --report, images are added until each class has run them)')
    p.add_argument('--jobs', type=int, default=2, help='emulators running at once')
    p.add_argument('--timeout', type=int, help='seconds per emulator run')
    p.add_argument('--workdir', help='keep images here (default: a temporary directory)')
    p.add_argument('--keep', action='store_true',
                   help='keep the images of agreeing runs too (in --workdir)')
    p.add_argument('--ips', action='store_true', help='report instructions per second')
    p.add_argument('--corrupt-line', type=int,
                   help='harness check: alter ours\' result line N (must be reported)')
    p.add_argument('--corrupt-insn', type=int,
                   help='harness check: flip a register bit of test N\'s first instruction '
                        'in ours\' image (must be reported)')
    p.add_argument('--state', default='full',
                   help='floating-point/vector state the harness moves and compares: full '
                        '(the default), fp (FPRs and FPSCR: lfd/stfd), vmx (VRs and VSCR: '
                        'lvx/stvx), vsx (the 64 VSRs: lxvd2x/stxvd2x), or parts: '
                        + ','.join(STATE_PARTS))
    p.add_argument('--report', metavar='FILE',
                   help='run every test to the end and write a mismatch summary to FILE')
    p.add_argument('--report-header', default='', help='text that starts the report')
    p.add_argument('--examples', type=int, default=30,
                   help='distinct mismatching tests shown in the report (default 30)')
    p.add_argument('-v', '--verbose', action='store_true')
    args = p.parse_args()
    if args.classes is None:
        args.classes = gen.INT_CLASSES if args.mode == 32 else list(gen.CLASSES)
    else:
        args.classes = args.classes.split(',')
    for c in args.classes:
        if c not in gen.CLASSES:
            p.error('unknown class %s' % c)
        if args.mode == 32 and c in gen.VEC_PROFILE:
            p.error('class %s runs in 64-bit mode only' % c)
        if args.endian == 'le' and c in gen.BE_ONLY:
            p.error('class %s is big-endian only (illegal with MSR[LE]=1)' % c)
    parts = STATE_PRESETS.get(args.state, args.state).split(',')
    if any(x not in STATE_PARTS for x in parts):
        p.error('--state: unknown part in %s' % args.state)
    args.state = sum(STATE_PARTS[x] for x in set(parts))
    args.self_test = args.command == 'self'
    if args.self_test:
        args.qemu = args.oracle
    elif not args.qemu:
        p.error('run needs --qemu or $QEMU')
    if args.instructions:
        # 2.5 test instructions per test on average; count 2 to be sure to reach -n
        args.images = max(1, -(-args.instructions // (2 * args.tests)))
    try:
        if args.report:
            return report_campaign(args)
        return campaign(args)
    except DifftestError as e:
        print('difftest: %s' % e, file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
