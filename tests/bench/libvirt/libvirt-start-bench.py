#!/usr/bin/env python3
# libvirt start-to-running latency, this build next to QEMU 7.2: the private
# libvirtd of tests/libvirt/libvirt-e2e.py defines the same pseries domain (its
# Debian kernel and busybox initramfs) once with each emulator, then starts and
# destroys it several times.  Per run: `virsh start` until it returns with the
# domain running, and until the first line (a newline) comes out of the serial
# console's pty, opened right after start returns (what the guest printed before
# is lost with the pty's unread output, on both).  Prints each run and the medians.
# A benchmark, not a test: nothing fails on a slow machine.
import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    'libvirt_e2e', os.path.join(HERE, '..', '..', 'libvirt', 'libvirt-e2e.py'))
e2e = importlib.util.module_from_spec(spec)
spec.loader.exec_module(e2e)


def first_line(pty, timeout):
    """Seconds until the console shows a newline (None after timeout seconds)."""
    con = e2e.Console(pty)
    t0 = time.time()
    try:
        while time.time() - t0 < timeout:
            if '\n' in con.text():
                return time.time() - t0
            time.sleep(0.02)
        return None
    finally:
        con.close()


def bench(lv, tag, emulator, kernel, initrd, runs, timeout):
    name = 'lvb-' + tag
    xml = os.path.join(lv.root, name + '.xml')
    with open(xml, 'w') as f:
        f.write(e2e.DOMAIN.format(name=name, maxvcpus=1, current='', kernel=kernel,
                                  initrd=initrd, emulator=emulator))
    rc, out, err = lv.virsh('define', xml)
    if rc != 0:
        print('%s: define failed: %s' % (tag, out + err))
        return None
    running, line = [], []
    try:
        for i in range(runs):
            t0 = time.time()
            rc, out, err = lv.virsh('start', name)
            t_run = time.time() - t0
            if rc != 0 or lv.domstate(name) != 'running':
                print('%s run %d: start failed: %s' % (tag, i + 1,
                                                      (out + err + lv.qemu_log(name))[-1500:]))
                return None
            pty = e2e.console_path(lv, name)
            t_line = first_line(pty, timeout) if pty else None
            if t_line is not None:
                t_line += t_run
            running.append(t_run)
            line.append(t_line)
            print('%-6s run %d: running after %.3f s, first console line after %s' %
                  (tag, i + 1, t_run, '%.3f s' % t_line if t_line is not None else 'none'),
                  flush=True)
            lv.virsh('destroy', name)
    finally:
        lv.virsh('destroy', name, timeout=30)
        lv.virsh('undefine', name, timeout=30)
    lines = [t for t in line if t is not None]
    return statistics.median(running), statistics.median(lines) if lines else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--qemu', required=True, help='this build\'s qemu-system-ppc64')
    ap.add_argument('--oracle', default='/usr/bin/qemu-system-ppc64')
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--timeout', type=int, default=60, help='seconds to wait for a line')
    args = ap.parse_args()
    e2e.ensure_packages()
    kernel, busybox = e2e.fetch_assets()
    root = tempfile.mkdtemp(prefix='libvirt-bench-')
    os.chmod(root, 0o755)
    initrd = os.path.join(root, 'initrd.gz')
    e2e.make_initramfs(initrd, busybox)
    kcopy = os.path.join(root, 'vmlinux')
    shutil.copyfile(kernel, kcopy)
    os.chmod(initrd, 0o644)
    os.chmod(kcopy, 0o644)
    lv = e2e.Libvirt(root)
    results = {}
    try:
        if not lv.start():
            print('the private libvirtd did not start: ' + open(root + '/daemon.out').read())
            return 1
        for tag, emu in [('ours', os.path.abspath(args.qemu)), ('qemu', args.oracle)]:
            results[tag] = bench(lv, tag, emu, kcopy, initrd, args.runs, args.timeout)
    finally:
        lv.stop()
        shutil.rmtree(root, ignore_errors=True)
    print('median of %d runs:' % args.runs)
    for tag, r in results.items():
        if r is None:
            print('  %-6s failed' % tag)
        else:
            print('  %-6s virsh start to running %.3f s, to the first console line %s' %
                  (tag, r[0], '%.3f s' % r[1] if r[1] is not None else 'never'))
    if results.get('ours') and results.get('qemu'):
        print('  ratio (ours / QEMU 7.2): to running %.2f' % (results['ours'][0] / results['qemu'][0]))
    return 0


if __name__ == '__main__':
    sys.exit(main())
