#!/usr/bin/env python3
"""Split a boot's CPU time into phases by its console lines.

    scripts/boot-phases.py [--log FILE] [--phase NAME=TEXT ...] -- COMMAND [ARG...]

Runs COMMAND (an emulator with its console on stdout) and, at each line it
prints, reads the CPU time of every thread of the process
(/proc/PID/task/*/schedstat) and, for its busiest thread other than the main
one (the vCPU of a one-CPU guest), the time it ran and waited for a core.  A
phase ends at the first line holding its TEXT, after the previous phase's
line; for each, the table gives the process's CPU seconds, the vCPU's running
and waiting seconds and the rest of the wall time, when the vCPU slept
(an idle guest).  Without --phase, the milestones of a Linux boot to
power-off (docs/devel/profiling.rst, "Linux boot profile, December 2026 (2)").
--log writes every line with its stamps (wall, process CPU, vCPU run, vCPU
wait, the line).  Exits with COMMAND's status.
"""
import argparse
import glob
import os
import subprocess
import sys
import time

LINUX = [
    ('start to the kernel console', 'radix-mmu: Page sizes'),
    ('setup_arch to the memory map', 'ftrace: allocating'),
    ('ftrace patching', 'ftrace: allocated'),
    ('RCU, IRQ, time init', 'time_init:'),
    ('scheduler, LSM, SMP, devtmpfs', 'devtmpfs: initialized'),
    ('core initcalls, PCI probe', 'Switched to clocksource'),
    ('clocksource switch to VFS', 'VFS: Disk quotas'),
    ('network initcalls', 'Trying to unpack rootfs'),
    ('initramfs unpacking', 'Freeing initrd memory'),
    ('device initcalls', 'evm: HMAC attrs'),
    ('late initcalls to /init', 'Run /init'),
    ('/init to its first line', 'FUNCTEST start'),
    ('userspace', 'reboot: Power down'),
]


class Stamps:
    """The CPU times of a process's threads, kept after a thread ends."""

    def __init__(self, pid):
        self.pid = pid
        self.run = {}
        self.wait = {}

    def read(self):
        for f in glob.glob('/proc/%d/task/*/schedstat' % self.pid):
            try:
                with open(f) as fh:
                    v = fh.read().split()
            except OSError:
                continue  # the thread ended
            tid = int(f.split('/')[4])
            self.run[tid] = int(v[0]) / 1e9
            self.wait[tid] = int(v[1]) / 1e9

    def cpu(self):
        return sum(self.run.values())

    def vcpu(self):
        """(run, wait) of the busiest thread but the main one, or zeros."""
        others = [t for t in self.run if t != self.pid]
        if not others:
            return 0.0, 0.0
        t = max(others, key=lambda t: self.run[t])
        return self.run[t], self.wait[t]


def parse_phase(text):
    name, sep, marker = text.partition('=')
    if not sep or not name or not marker:
        raise argparse.ArgumentTypeError('expected NAME=TEXT, got %r' % text)
    return name, marker


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--log', help='write every console line with its stamps here')
    ap.add_argument('--phase', action='append', type=parse_phase, default=[],
                    metavar='NAME=TEXT', help='a phase ending at the line holding TEXT')
    ap.add_argument('command', nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if args.command[:1] == ['--']:
        args.command = args.command[1:]
    if not args.command:
        ap.error('no command to run (put it after --)')
    phases = args.phase or LINUX
    log = open(args.log, 'w') if args.log else None
    try:
        proc = subprocess.Popen(args.command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    except OSError as e:
        sys.exit('boot-phases: cannot run %s: %s' % (args.command[0], e.strerror))
    t0 = time.monotonic()
    st = Stamps(proc.pid)
    ends = [None] * len(phases)  # (wall, cpu, run, wait) at each phase's line
    k = 0
    buf = b''
    while True:
        data = os.read(proc.stdout.fileno(), 65536)
        if not data:
            break
        st.read()
        stamp = (time.monotonic() - t0, st.cpu()) + st.vcpu()
        buf += data
        while b'\n' in buf:
            raw, buf = buf.split(b'\n', 1)
            line = raw.decode('latin-1').rstrip('\r')
            if log:
                log.write('%.3f\t%.3f\t%.3f\t%.3f\t%s\n' % (stamp + (line,)))
            for j in range(k, len(phases)):
                if phases[j][1] in line:
                    ends[j] = stamp
                    k = j + 1
                    break
    st.read()
    last = (time.monotonic() - t0, st.cpu()) + st.vcpu()
    status = proc.wait()
    if log:
        log.close()
    print('%-32s %8s %8s %8s %8s' % ('phase', 'cpu', 'vcpu-run', 'waiting', 'asleep'))
    prev = (0.0, 0.0, 0.0, 0.0)
    for (name, _), end in zip(phases + [('to the exit', None)], ends + [last]):
        if end is None:
            print('%-32s %8s' % (name, '-'))
            continue
        d = [a - b for a, b in zip(end, prev)]
        if prev == (0.0, 0.0, 0.0, 0.0):
            # the first phase holds the start, before the vCPU thread: no sleep figure
            print('%-32s %8.3f %8.3f %8.3f %8s' % (name, d[1], d[2], d[3], '-'))
        else:
            asleep = max(0.0, d[0] - d[2] - d[3])
            print('%-32s %8.3f %8.3f %8.3f %8.3f' % (name, d[1], d[2], d[3], asleep))
        prev = end
    print('%-32s %8.3f %8.3f %8.3f   (wall %.3f s, exit status %d)' %
          ('total', last[1], last[2], last[3], last[0], status))
    sys.exit(status if status >= 0 else 128 - status)


if __name__ == '__main__':
    main()
