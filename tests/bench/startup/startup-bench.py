#!/usr/bin/env python3
"""Start-up to the first guest instruction, ours against QEMU 7.2 (`make bench`).

The guest is a bare-metal image (-bios, loaded at 0, entered at 0x100 in
big-endian 64-bit mode) whose first four instructions make the RTAS
power-off call through the private hypercall KVMPPC_H_RTAS: the whole run is
start-up, one hypercall and the exit.  Each emulator runs RUNS times; the
figures are the best wall time and the best CPU time (user + system, from
wait4(), so the load of other processes counts less), and the peak RSS.
Not a test: nothing here fails on a slow machine, but a run that does not
power off (exit 0) is reported as a failure.
"""
import argparse
import os
import struct
import sys
import tempfile
import time

KVMPPC_H_RTAS = 0xf000
RTAS_POWER_OFF = 0x2003  # RTAS_TOKEN_BASE + 3, as both emulators assign it
ARGS = 0x200


def image():
    """The image: lis r3,0; ori r3,r3,0xf000; li r4,ARGS; sc 1; b . and, at ARGS,
    the RTAS argument buffer (token, 2 inputs, 1 output)."""
    img = bytearray(0x300)
    code = [0x3c600000, 0x60630000 | KVMPPC_H_RTAS, 0x38800000 | ARGS, 0x44000022, 0x48000000]
    for i, w in enumerate(code):
        struct.pack_into('>I', img, 0x100 + 4 * i, w)
    for i, w in enumerate([RTAS_POWER_OFF, 2, 1, 0, 0, 0xffffffff]):
        struct.pack_into('>I', img, ARGS + 4 * i, w)
    return bytes(img)


def measure(qemu, img, extra, runs):
    best_wall = best_cpu = None
    rss = 0
    for _ in range(runs):
        t0 = time.monotonic()
        pid = os.posix_spawn(qemu, [qemu] + extra + [
            '-M', 'pseries', '-m', '1G', '-nodefaults', '-nographic', '-display', 'none',
            '-bios', img], os.environ, file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
        _, status, ru = os.wait4(pid, 0)
        wall = time.monotonic() - t0
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            return 'exit status %d (no power-off)' % code
        cpu = ru.ru_utime + ru.ru_stime
        best_wall = wall if best_wall is None else min(best_wall, wall)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        rss = max(rss, ru.ru_maxrss)
    return best_wall, best_cpu, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--qemu', required=True)
    ap.add_argument('--oracle-qemu', default='/usr/bin/qemu-system-ppc64')
    ap.add_argument('--runs', type=int, default=10)
    args = ap.parse_args()
    print('== start-up: a -bios image whose first instructions power off (H_RTAS), '
          'best of %d runs' % args.runs)
    with tempfile.TemporaryDirectory(prefix='startup-') as tmp:
        img = os.path.join(tmp, 'poweroff.img')
        with open(img, 'wb') as f:
            f.write(image())
        res = {}
        for tag, qemu, extra in [('QEMU 7.2 TCG', args.oracle_qemu, ['-accel', 'tcg']),
                                 ('ours', args.qemu, [])]:
            if not os.access(qemu, os.X_OK):
                print('  %-13s %s is missing' % (tag + ':', qemu))
                continue
            r = measure(qemu, img, extra, args.runs)
            if isinstance(r, str):
                print('  %-13s FAILED: %s' % (tag + ':', r))
                continue
            res[tag] = r
            print('  %-13s wall %.1f ms  CPU %.1f ms  peak RSS %.1f MiB' %
                  (tag + ':', r[0] * 1e3, r[1] * 1e3, r[2] / 1024))
        if len(res) == 2:
            o, q = res['ours'], res['QEMU 7.2 TCG']
            print('  ratio ours/QEMU: wall %.2f, CPU %.2f, peak RSS %.2f' %
                  (o[0] / q[0], o[1] / q[1], o[2] / q[2]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
