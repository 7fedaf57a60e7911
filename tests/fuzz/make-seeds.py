#!/usr/bin/env python3
"""Write the seed corpora of tests/fuzz/corpus (run from the source tree;
the qcow2 seeds need qemu-img, the migration ones a built qemu-system-ppc64:
$QEMU, default build/qemu-system-ppc64).  The layouts are the targets'
(fuzz-*.c)."""
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
WINDOW = 0x10000


def put(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def hcall(opcode, args=(), cpu=0, addr_mask=0):
    """One call record: a raw opcode (selector 0xff), the CPU, r4..r12."""
    args = list(args) + [0] * (9 - len(args))
    return struct.pack('>BHBH9Q', 0xff, opcode, cpu, addr_mask, *args)


def hcall_input(ram, *calls):
    # fuzz-hcall's MAX_CALLS: calls past the eighth would be ignored silently.
    assert len(calls) <= 8, 'fuzz-hcall runs at most 8 calls an input'
    return struct.pack('>H', len(ram)) + ram + b''.join(calls)


def hcall_seeds():
    H_REMOVE, H_ENTER, H_READ, H_PAGE_INIT = 0x04, 0x08, 0x0c, 0x2c
    H_LOGICAL_CI_LOAD, H_PUT_TERM_CHAR, H_GET_TERM_CHAR = 0x3c, 0x58, 0x54
    H_EOI, H_CPPR, H_IPI, H_XIRR = 0x64, 0x68, 0x6c, 0x74
    H_REGISTER_VPA, H_PROD, H_SET_MODE, H_RANDOM = 0xdc, 0xe8, 0x31c, 0x300
    H_GET_CPU_CHARACTERISTICS, H_REGISTER_PROC_TBL = 0x1c8, 0x37c
    H_PUT_TCE, H_GET_TCE, H_STUFF_TCE = 0x20, 0x1c, 0x138
    H_RTAS, H_LOGICAL_MEMOP, H_CAS, H_VOF_CLIENT = 0xf000, 0xf001, 0xf002, 0xf005
    page = WINDOW
    put('hcall', 'hpt', hcall_input(b'',
        hcall(H_ENTER, [0, 0, 0x4000000000000001, 0x1000 | 0x192]),
        hcall(H_READ, [0, 0]), hcall(H_REMOVE, [0, 0, 0])))
    put('hcall', 'page-init', hcall_input(b'\x5a' * 4096,
        hcall(H_PAGE_INIT, [1 << 15, page + 0x1000, page]),
        hcall(H_PAGE_INIT, [1 << 14, 0x100000, 0])))
    put('hcall', 'console', hcall_input(b'',
        hcall(H_PUT_TERM_CHAR, [0x71000000, 5, 0x68656c6c6f000000]),
        hcall(H_GET_TERM_CHAR, [0x71000000])))
    put('hcall', 'xics', hcall_input(b'',
        hcall(H_CPPR, [0xff]), hcall(H_IPI, [1, 5]), hcall(H_XIRR, [], 1),
        hcall(H_EOI, [0xff000002], 1)))
    vpa = struct.pack('>IIH', 0, 0, 640) + bytes(640 - 10)
    put('hcall', 'vpa', hcall_input(vpa,
        hcall(H_REGISTER_VPA, [1 << 45, 0, page], 0, 4),
        hcall(H_PROD, [1]), hcall(H_REGISTER_VPA, [5 << 45, 0, 0])))
    put('hcall', 'mode', hcall_input(b'',
        hcall(H_SET_MODE, [0, 3]), hcall(H_SET_MODE, [1, 4]),
        hcall(H_GET_CPU_CHARACTERISTICS), hcall(H_RANDOM),
        hcall(H_REGISTER_PROC_TBL, [0x18, 0, 0, 0])))
    put('hcall', 'tce', hcall_input(b'',
        hcall(H_PUT_TCE, [0x80000000, 0, page | 3]), hcall(H_GET_TCE, [0x80000000, 0]),
        hcall(H_STUFF_TCE, [0x80000000, 0, 0, 16])))
    put('hcall', 'ci-load', hcall_input(b'', hcall(H_LOGICAL_CI_LOAD, [8, 0x10000])))
    rtas = struct.pack('>III', 0x2001, 0, 8)
    put('hcall', 'rtas', hcall_input(rtas, hcall(H_RTAS, [page], 0, 1)))
    put('hcall', 'memop', hcall_input(b'\x11' * 256,
        hcall(H_LOGICAL_MEMOP, [page + 0x1000, page, 32, 0], 0, 3)))
    # H_CAS: an empty option vector list (one vector 1 of length 1).
    put('hcall', 'cas', hcall_input(struct.pack('>IIIBB', 0x004e0000, 0xffffffff, 0, 0, 0),
        hcall(H_CAS, [page, page + 0x1000, 0x8000], 0, 3)))
    # VOF: "finddevice" of "/" (service name, nargs 1, nret 1, the path).
    svc, path = page + 0x100, page + 0x200
    ci = struct.pack('>QQQQQ', svc, 1, 1, path, 0)
    ram = ci.ljust(0x100, b'\0') + b'finddevice\0'.ljust(0x100, b'\0') + b'/\0'
    put('hcall', 'vof', hcall_input(ram, hcall(H_VOF_CLIENT, [page], 0, 1)))
    # HPT resizing (at most 8 calls an input): bolted entries of 256M and 1T
    # segments rehashed into a smaller and a larger table, a repeated prepare,
    # a cancel, and the refusals.
    H_RESIZE_HPT_PREPARE, H_RESIZE_HPT_COMMIT, H_WATCHDOG = 0x36c, 0x370, 0x45c
    # (H_ENTER refuses the third, a large page, with H_PARAMETER)
    bolted = [hcall(H_ENTER, [0, 8 * i, v, r | 0x192])
              for i, (v, r) in enumerate([(0x0000000000001011, 0), (0x4000000000002011, 0x2000),
                                          (0x0000000001234015, 0x1000000),
                                          (0x4000000fffff0019, 0x6000)])]
    put('hcall', 'hpt-resize', hcall_input(b'', *bolted[:2],
        hcall(H_RESIZE_HPT_PREPARE, [0, 20]), hcall(H_RESIZE_HPT_PREPARE, [0, 20]),
        hcall(H_RESIZE_HPT_COMMIT, [0, 20]), hcall(H_READ, [0, 0]),
        hcall(H_RESIZE_HPT_PREPARE, [0, 22]), hcall(H_RESIZE_HPT_COMMIT, [0, 22])))
    put('hcall', 'hpt-resize-large', hcall_input(b'', *bolted[2:],
        hcall(H_RESIZE_HPT_PREPARE, [0, 18]), hcall(H_RESIZE_HPT_COMMIT, [0, 18]),
        hcall(H_READ, [4, 8]), hcall(H_RESIZE_HPT_PREPARE, [0, 19]),
        hcall(H_RESIZE_HPT_PREPARE, [0, 0]), hcall(H_RESIZE_HPT_COMMIT, [0, 19])))
    put('hcall', 'hpt-resize-errors', hcall_input(b'',
        hcall(H_RESIZE_HPT_PREPARE, [1, 20]), hcall(H_RESIZE_HPT_PREPARE, [0, 17]),
        hcall(H_RESIZE_HPT_PREPARE, [0, 40]), hcall(H_RESIZE_HPT_PREPARE, [0, 23]),
        hcall(H_RESIZE_HPT_COMMIT, [0, 19]), hcall(H_RESIZE_HPT_PREPARE, [0, 18]),
        hcall(H_RESIZE_HPT_COMMIT, [1, 18]), hcall(H_RESIZE_HPT_COMMIT, [0, 20])))
    put('hcall', 'hpt-resize-radix', hcall_input(b'',
        hcall(H_RESIZE_HPT_PREPARE, [0, 20]), hcall(H_REGISTER_PROC_TBL, [0x18, 0, 0, 0]),
        hcall(H_RESIZE_HPT_COMMIT, [0, 20]), hcall(H_RESIZE_HPT_PREPARE, [0, 20])))
    # The watchdog: query, start each of the four with each action, stop one and all.
    wd = lambda op, action=0: (op << 8) | action
    put('hcall', 'watchdog', hcall_input(b'',
        hcall(H_WATCHDOG, [wd(3)]), hcall(H_WATCHDOG, [wd(4)]),
        hcall(H_WATCHDOG, [wd(1, 1), 1, 10]), hcall(H_WATCHDOG, [wd(1, 2) | 1 << 16, 2, 500]),
        hcall(H_WATCHDOG, [wd(1, 3), 3, 1 << 62]), hcall(H_WATCHDOG, [wd(2), 1]),
        hcall(H_WATCHDOG, [wd(2), 1]), hcall(H_WATCHDOG, [wd(2), 0xffffffffffffffff])))
    put('hcall', 'watchdog-errors', hcall_input(b'',
        hcall(H_WATCHDOG, [1 << 17]), hcall(H_WATCHDOG, [wd(1, 1), 0, 10]),
        hcall(H_WATCHDOG, [wd(1, 1), 5, 10]), hcall(H_WATCHDOG, [wd(1, 1), 1, 1]),
        hcall(H_WATCHDOG, [wd(1, 0), 1, 10]), hcall(H_WATCHDOG, [wd(1, 4), 1, 10]),
        hcall(H_WATCHDOG, [wd(2), 7]), hcall(H_WATCHDOG, [wd(9)])))


def rtas(token, args, nret, mask=0, nargs=None):
    nargs = len(args) if nargs is None else nargs
    return (struct.pack('>BIBBH', 0xff, token, nargs, nret, mask) +
            b''.join(struct.pack('>I', a) for a in args) + b'\0')


def rtas_seeds():
    B = 0x2000
    put('rtas', 'time', rtas(B + 1, [], 8) + rtas(B + 2, [2026, 12, 6, 15, 0, 0, 0], 1))
    put('rtas', 'cpus', rtas(B + 5, [1], 2) + rtas(B + 6, [1, 0x100, 0], 1) + rtas(B + 5, [1], 2))
    put('rtas', 'sysparm', rtas(B + 8, [20, 0x1000, 64], 1, 0b010) +
        rtas(B + 8, [45, 0x1000, 64], 1, 0b010))
    put('rtas', 'xive', rtas(B + 10, [0x1000, 0, 5], 1) + rtas(B + 11, [0x1000], 3) +
        rtas(B + 12, [0x1000], 1) + rtas(B + 13, [0x1000], 1))
    put('rtas', 'nvram', rtas(B + 19, [16, 0x2000, 32], 2, 0b010) +
        rtas(B + 18, [16, 0x2000, 32], 2, 0b010))
    put('rtas', 'pci-config', rtas(B + 22, [0, 0, 0, 4], 2) + rtas(B + 20, [0, 4], 2))
    put('rtas', 'events', rtas(B + 15, [0xffffffff, 0, 0x1000, 1024], 1, 0b0100) +
        rtas(B + 14, [0, 0, 0xffffffff, 0x1000, 1024], 1, 0b01000))
    put('rtas', 'sensors', rtas(B + 29, [9001, 0], 2) + rtas(B + 26, [9001, 0, 0], 1))
    put('rtas', 'display', rtas(B, [0x41], 1))
    put('rtas', 'bad-counts', rtas(B + 1, [], 0xff) + rtas(B + 1, [1, 2, 3], 0))


QMP = [
    ('caps', 0, b'{"execute": "qmp_capabilities"}'),
    ('status', 1, b'{"execute": "query-status"}\n{"execute": "query-cpus-fast"}'),
    ('qom', 1, b'{"execute": "qom-list", "arguments": {"path": "/machine"}}'
               b'{"execute": "qom-get", "arguments": {"path": "/machine", "property": "type"}}'),
    ('schema', 1, b'{"execute": "query-qmp-schema", "id": 1}'),
    ('bad-json', 1, b'{"execute": "query-status", "arguments": {]}\r\n["x"]\n'),
    ('oob', 0, b'{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}'
               b'{"exec-oob": "query-status", "id": "a"}'),
    ('stop-reset', 1, b'{"execute": "stop"}{"execute": "system_reset"}'
                      b'{"execute": "query-status"}'),
    ('devprops', 1, b'{"execute": "device-list-properties", '
                    b'"arguments": {"typename": "spapr-vty"}}'),
    ('machines', 1, b'{"execute": "query-machines"}{"execute": "query-block"}'
                    b'{"execute": "query-chardev"}{"execute": "query-hotpluggable-cpus"}'),
    ('numbers', 1, b'{"execute": "balloon", "arguments": {"value": 1e400}}'
                   b'{"execute": "balloon", "arguments": {"value": -9223372036854775809}}'
                   b'{"execute": "query-status", "id": "\\u0000\\ud800"}'),
]


def qmp_seeds():
    for name, flags, text in QMP:
        put('qmp', name, bytes([flags]) + text)


def qcow2_seeds():
    ops = b''.join(struct.pack('>BIH', k, s, c) for k, s, c in
                   [(0, 0, 8), (2, 1, 3), (0, 0, 8), (3, 64, 16), (1, 60, 20), (2, 2047, 1),
                    (0, 2040, 8), (0, 4096, 1)])
    with tempfile.TemporaryDirectory() as tmp:
        for name, opts in [('v3-512', 'cluster_size=512'),
                           ('v2-512', 'compat=0.10,cluster_size=512'),
                           ('rc1-512', 'refcount_bits=1,cluster_size=512')]:
            img = os.path.join(tmp, name)
            subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-o', opts, img, '1M'],
                           check=True)
            subprocess.run(['qemu-io', '-f', 'qcow2', '-c', 'write -P 0x5a 0 4k',
                            '-c', 'write -z 64k 4k', img], check=True,
                           stdout=subprocess.DEVNULL)
            if name == 'v3-512':
                subprocess.run(['qemu-img', 'snapshot', '-c', 'snap1', img], check=True)
            with open(img, 'rb') as f:
                put('qcow2', name, ops + f.read())


def save_stream(path):
    """A real stream: the fuzz machine's command line, migrate "exec:cat > path"."""
    qemu = os.environ.get('QEMU', os.path.join(HERE, '..', '..', 'build', 'qemu-system-ppc64'))
    p = subprocess.Popen([qemu, '-M', 'pseries,x-vof=on', '-accel', 'qtest', '-nodefaults',
                          '-smp', '2', '-m', '256M', '-display', 'none', '-qmp', 'stdio'],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def cmd(name, **args):
        p.stdin.write(json.dumps({'execute': name, 'arguments': args}) + '\n')
        p.stdin.flush()
        while True:
            msg = json.loads(p.stdout.readline())
            if 'return' in msg or 'error' in msg:
                return msg

    json.loads(p.stdout.readline())  # the greeting
    cmd('qmp_capabilities')
    assert 'return' in cmd('migrate', uri='exec:cat > ' + path)
    while cmd('query-migrate')['return'].get('status') not in ('completed', 'failed'):
        time.sleep(0.1)
    assert cmd('query-migrate')['return']['status'] == 'completed'
    cmd('quit')
    p.wait()
    with open(path, 'rb') as f:
        return f.read()


def sections(stream):
    """The header's bytes, then (tag, payload) for each section."""
    tlen = struct.unpack('>I', stream[12:16])[0]
    pos = 16 + tlen + 16
    header, out = stream[:pos], []
    while pos < len(stream):
        tag, n = struct.unpack('>4sQ', stream[pos:pos + 12])
        out.append((tag, stream[pos + 12:pos + 12 + n]))
        pos += 12 + n
    return header, out


def stream_of(header, secs):
    """Sections after the header, then END with the CRC-32 of what precedes it."""
    body = header + b''.join(struct.pack('>4sQ', t, len(d)) + d for t, d in secs)
    body += struct.pack('>4sQ', b'END ', 4)
    return body + struct.pack('>I', zlib.crc32(body))


def trim_ram(secs):
    """RAM sections cut to the first page with data (and 3 zero pages after it)."""
    out = []
    for tag, d in secs:
        if tag != b'RAM ':
            out.append((tag, d))
            continue
        addr, n = struct.unpack('>QI', d[:12])
        flags = d[12:12 + n]
        if 1 in flags and not any(t == b'RAM ' for t, _ in out):
            i = flags.index(1)
            data = d[12 + n:12 + n + 4096]
            out.append((tag, struct.pack('>QI', addr + i * 4096, 4) + b'\1\0\0\0' + data))
    return out


def migration_seeds():
    with tempfile.TemporaryDirectory() as tmp:
        stream = save_stream(os.path.join(tmp, 'stream'))
    header, secs = sections(stream)
    assert secs[-1][0] == b'END ' and stream_of(header, secs[:-1]) == stream
    state = trim_ram(secs[:-1])
    # Flags byte 1: the target recomputes the last 4 bytes (the END CRC).
    put('migration', 'trimmed', b'\1' + stream_of(header, state))
    put('migration', 'trimmed-crc-as-is', b'\0' + stream_of(header, state))
    put('migration', 'no-ram', b'\1' + stream_of(header, [s for s in state if s[0] != b'RAM ']))
    put('migration', 'header-end', b'\1' + stream_of(header, []))
    put('migration', 'truncated', b'\0' + stream_of(header, state)[:len(header) + 40])


HMP = [
    ('info', b'info status\ninfo version\ninfo name\ninfo uuid\ninfo cpus\ninfo registers\n'),
    ('info-tree', b'info qtree\ninfo qom-tree\ninfo mtree -f\ninfo irq\ninfo pic\ninfo roms\n'),
    ('info-more', b'info balloon\ninfo block\ninfo chardev\ninfo network\ninfo numa\n'
     b'info hotpluggable-cpus\ninfo memory_size_summary\ninfo tlb\ninfo kvm\ninfo pci\n'
     b'info migrate\ninfo migrate_capabilities\ninfo migrate_parameters\ninfo snapshots\n'),
    ('memory', b'x /4x 0x10000\nxp /8xb 0x10000\nx /2g $pc\nxp /3i 0x100\n'
     b'x /s 0x10000\nxp /4dh 0x10000+8*2\nxp /c (0x10000|0x10)\n'),
    ('cpu', b'cpu 1\ninfo registers\nx /1x $r1\ncpu 7\nnmi\n'),
    ('help', b'help\nhelp info\nhelp x\n? stop\nhelp log\nhelp nosuch\n'),
    ('run', b'stop\nsystem_reset\nsystem_powerdown\ninfo status\n'),
    ('migrate-set', b'migrate_set_parameter max-bandwidth 100M\n'
     b'migrate_set_capability xbzrle on\nmigrate_set_parameter downtime-limit 1\n'
     b'migrate_cancel\ninfo migrate_parameters\n'),
    ('errors', b'x\nxp /z 0\nnosuch\ninfo nosuch\nballoon\nballoon 0\nset_link nic0 off\n'
     b'eject nodrive\nringbuf_read r 5\nannounce_self\ncpu x\n'),
    # Tab completion, history (up/down arrows), cursor keys and deletions.
    ('readline', b'inf\t\nhelp in\t st\t\n\x1b[A\x1b[A\n\x1b[D\x1b[C\x7f\x01\x05\x0b\n'
     b'info stat\x1b[Ds\n\x1bOA\x1b[3~\x1b[1~\x1b[4~\n'),
]


def hmp_seeds():
    for name, text in HMP:
        put('hmp', name, text)


QTEST = [
    ('memory', b'writeb 0x10000 0x5a\nreadb 0x10000\nwritew 0x10002 0x1234\nreadw 0x10002\n'
     b'writel 0x10004 0xdeadbeef\nreadl 0x10004\nwriteq 0x10008 0x0123456789abcdef\n'
     b'readq 0x10008\n'),
    ('buffers', b'write 0x10000 4 0xdeadbeef\nread 0x10000 4\nb64write 0x10010 4 3q2+7w==\n'
     b'b64read 0x10010 4\nmemset 0x10020 16 0x5a\nread 0x10020 16\n'),
    ('clock', b'clock_step\nclock_step 1000000\nclock_set 5000000000\nclock_step\n'),
    ('calls', b'hcall 0x58 0x71000000 5 0x68656c6c6f000000\nhcall 0x2c0 0\n'
     b'writel 0x10000 0\nrtas get-time-of-day 0 0x10000 8 0x10010\n'
     b'rtas ibm,get-system-parameter 3 0x10000 1 0x10020\n'),
    ('ports', b'endianness\ninb 0x10\ninw 0x10\ninl 0x10\noutb 0x10 1\noutw 2 3\noutl 4 5\n'),
    ('errors', b'\n \nnosuch\nreadb\nreadb 0x\nreadb -1\nread 0x10000 0\n'
     b'write 0x10000 2 0x123\nb64write 0x10000 4 !!!!\nmemset 0 0 0\nclock_set 0\n'
     b'readb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\nreadq 0xffffffffffffffff\n'),
    ('partial', b'readb 0x10000\r\nread 0x1'),
]


def qtest_seeds():
    for name, text in QTEST:
        put('qtest', name, text)


VOF_SERVICES = ['finddevice', 'getprop', 'getproplen', 'setprop', 'nextprop', 'peer', 'child',
                'parent', 'instance-to-package', 'package-to-path', 'instance-to-path', 'canon',
                'open', 'close', 'read', 'write', 'seek', 'claim', 'release', 'call-method',
                'interpret', 'milliseconds', 'quiesce', 'exit', 'boot', 'test', 'no-such-service']
VOF_DATA = WINDOW + 0x200


class VofData:
    """The bytes fuzz-vof copies to DATA: strings and buffers, by offset."""

    def __init__(self):
        self.data = b''

    def add(self, b):
        off = len(self.data)
        self.data += b
        return off

    def s(self, text):
        return self.add(text.encode() + b'\0')

    def buf(self, n):
        return self.add(bytes(n))


def raw(v):
    return (0, v)


def addr(off):
    return (1, off)


def small(v):
    return (2, v)


def prev(i):
    return (3, i)


def vcall(service, args, nret, where=b'\0'):
    """One fuzz-vof call: service (a name of the table, or bytes: a raw name), arguments."""
    if isinstance(service, bytes):
        head = struct.pack('>BB', 0xf0, len(service)) + service
    else:
        head = bytes([VOF_SERVICES.index(service)])
    modes = sum(m << (2 * i) for i, (m, _) in enumerate(args))
    cells = b''.join(struct.pack(['>I', '>H', '>B', '>B'][m], v) for m, v in args)
    return head + bytes([len(args) | nret << 4]) + struct.pack('>I', modes) + cells + where


def vof_input(d, *calls):
    return struct.pack('>H', len(d.data)) + d.data + b''.join(calls)


def cas_vectors(ov5, pvrs=((0xffff0000, 0x004e0000), (0xffffffff, 0x0f000005)), isa3=True):
    """A PVR list (terminated) and option vectors 1 to 5, vector 5 given as bytes 1..n."""
    out = b''.join(struct.pack('>II', m, v) for m, v in pvrs) + struct.pack('>II', 0, 0xffffffff)
    vecs = [bytes([0, 0, 0x80 if isa3 else 0]), b'\0', b'\0', b'\0', ov5]
    out += bytes([len(vecs) - 1])
    return out + b''.join(bytes([len(v) - 1]) + v for v in vecs)


def ov5_bytes(**set_bytes):
    """Vector 5 of 26 bytes with byte N (1-based) as given by b<N>=value."""
    b = bytearray(26)
    for k, v in set_bytes.items():
        b[int(k[1:]) - 1] = v
    return bytes(b)


def vof_seeds():
    d = VofData()
    root, name, compat, buf = d.s('/'), d.s('name'), d.s('compatible'), d.buf(256)
    empty = d.s('')
    put('vof', 'tree', vof_input(d,
        vcall('finddevice', [addr(root)], 1),
        vcall('getprop', [prev(0), addr(name), addr(buf), raw(64)], 1),
        vcall('finddevice', [addr(root)], 1),
        vcall('nextprop', [prev(0), addr(empty), addr(buf)], 1),
        vcall('finddevice', [addr(root)], 1),
        vcall('child', [prev(0)], 1),
        vcall('peer', [prev(0)], 1),
        vcall('parent', [prev(0)], 1),
        vcall('package-to-path', [prev(0), addr(buf), raw(256)], 1),
        vcall('finddevice', [addr(root)], 1),
        vcall('getproplen', [prev(0), addr(compat)], 1)))
    d = VofData()
    chosen, bootargs, val = d.s('/chosen'), d.s('bootargs'), d.s('console=hvc0')
    start, end, buf = d.s('linux,initrd-start'), d.s('linux,initrd-end'), d.buf(64)
    cells = d.add(struct.pack('>II', 0x1000000, 0x1100000))
    put('vof', 'setprop', vof_input(d,
        vcall('finddevice', [addr(chosen)], 1),
        vcall('setprop', [prev(0), addr(bootargs), addr(val), raw(13)], 1),
        vcall('finddevice', [addr(chosen)], 1),
        vcall('getprop', [prev(0), addr(bootargs), addr(buf), raw(64)], 1),
        vcall('finddevice', [addr(chosen)], 1),
        vcall('setprop', [prev(0), addr(start), addr(cells), raw(4)], 1),
        vcall('finddevice', [addr(chosen)], 1),
        vcall('setprop', [prev(0), addr(end), addr(cells + 4), raw(4)], 1)))
    d = VofData()
    root, buf = d.s('/'), d.buf(256)
    put('vof', 'instances', vof_input(d,
        vcall('open', [addr(root)], 1),
        vcall('instance-to-package', [prev(0)], 1),
        vcall('open', [addr(root)], 1),
        vcall('instance-to-path', [prev(0), addr(buf), raw(256)], 1),
        vcall('read', [small(1), addr(buf), raw(16)], 1),
        vcall('write', [small(1), addr(buf), raw(5)], 1),
        vcall('seek', [small(1), raw(0), raw(0)], 1),
        vcall('close', [small(1)], 0),
        vcall('close', [small(1)], 1)))
    d = VofData()
    mem, avail, buf = d.s('/memory@0'), d.s('available'), d.buf(128)
    put('vof', 'claim', vof_input(d,
        vcall('claim', [raw(0x1000000), raw(0x10000), raw(0)], 1),
        vcall('claim', [raw(0), raw(0x10000), raw(0x10000)], 1),
        vcall('claim', [raw(0x1000000), raw(0x1000), raw(0)], 1),
        vcall('release', [raw(0x1000000), raw(0x10000)], 0),
        vcall('finddevice', [addr(mem)], 1),
        vcall('getprop', [prev(0), addr(avail), addr(buf), raw(128)], 1)))
    d = VofData()
    rtas, method = d.s('/rtas'), d.s('instantiate-rtas')
    put('vof', 'rtas', vof_input(d,
        vcall('claim', [raw(0x2000000), raw(0x1000), raw(0)], 1),
        vcall('open', [addr(rtas)], 1),
        vcall('call-method', [addr(method), prev(0), raw(0x2000000)], 2)))
    d = VofData()
    root, method = d.s('/'), d.s('ibm,client-architecture-support')
    vec = d.add(cas_vectors(ov5_bytes(b24=0x40, b26=0x40)))
    put('vof', 'cas', vof_input(d,
        vcall('open', [addr(root)], 1),
        vcall('call-method', [addr(method), prev(0), raw(VOF_DATA + vec)], 2),
        vcall('milliseconds', [], 1)))
    d = VofData()
    svc, nosvc, vdev, word, spec, buf = (d.s('finddevice'), d.s('nosuch'), d.s('/vdevice'),
                                         d.s('1 2 +'), d.s('disk'), d.buf(256))
    put('vof', 'misc', vof_input(d,
        vcall('test', [addr(svc)], 1), vcall('test', [addr(nosvc)], 1),
        vcall('canon', [addr(vdev), addr(buf), raw(256)], 1),
        vcall('interpret', [addr(word)], 2), vcall('milliseconds', [], 1),
        vcall('quiesce', [], 0), vcall('boot', [addr(spec)], 0), vcall('exit', [], 0)))
    d = VofData()
    root = d.s('/')
    put('vof', 'errors', vof_input(d,
        vcall(b'finddevice', [addr(root)], 1),
        vcall(b'x' * 80, [], 1),
        vcall('finddevice', [addr(root)] * 10, 5),
        vcall('finddevice', [addr(root)], 1, b'\xfe\x04'),
        vcall('finddevice', [addr(root)], 1, b'\xff' + struct.pack('>Q', 0xf000000000010000)),
        vcall('getprop', [raw(0xffffffff), raw(0xffffffff), raw(0xfffffff0), raw(0x100)], 1)))


def cas_call(cpu=0, offset=0, top=0, buf=None, size=None):
    """One fuzz-cas call; buf/size: a raw buffer address and 64-bit size."""
    if buf is None and size is None:
        return struct.pack('>BHBB', cpu, offset, top, 0)
    sel = 0xf0 | (1 if buf is not None else 0) | 2
    return (struct.pack('>BHBB', cpu, offset, top, sel) +
            (struct.pack('>Q', buf) if buf is not None else b'') + struct.pack('>Q', size))


def cas_input(ram, *calls):
    return struct.pack('>H', len(ram)) + ram + b''.join(calls)


def cas_seeds():
    radix, hash_ = ov5_bytes(b24=0x40, b26=0x40), ov5_bytes(b6=0x01)
    put('cas', 'radix', cas_input(cas_vectors(radix), cas_call()))
    put('cas', 'hash', cas_input(cas_vectors(hash_), cas_call()))
    two = cas_vectors(radix)
    put('cas', 'radix-then-hash', cas_input(two + cas_vectors(hash_),
                                            cas_call(), cas_call(offset=len(two))))
    put('cas', 'compat-2.07', cas_input(cas_vectors(hash_, ((0xffffffff, 0x0f000004),),
                                                    isa3=False), cas_call(top=0xfc)))
    put('cas', 'xive', cas_input(cas_vectors(ov5_bytes(b23=0x40)), cas_call()))
    put('cas', 'both-mmus', cas_input(cas_vectors(ov5_bytes(b24=0x80)), cas_call()))
    put('cas', 'small-buffers', cas_input(cas_vectors(radix), cas_call(size=0x100),
                                          cas_call(buf=0x0ffff000, size=0x100000),
                                          cas_call(size=2)))
    put('cas', 'other-cpu', cas_input(cas_vectors(radix), cas_call(cpu=1)))
    # Only vector 1: the table's count byte says one vector.
    pvrs = cas_vectors(radix)[:24]
    put('cas', 'no-ov5', cas_input(pvrs + b'\x00\x02\x00\x00\x80', cas_call()))


def nv_range(v):
    """An offset or length of fuzz-nvram: inside (16 bits) or any 32-bit value."""
    return struct.pack('>BH', 0, v) if v < 0x10000 else struct.pack('>BI', 0xff, v)


def nv_call(store, offset, length, buf=0, data=b'', nargs=None, nret=None, raw_buf=None):
    kind = (1 if store else 0) | (0x80 if nargs is not None else 0) | (0x40 if nret is not None else 0)
    out = bytes([kind])
    out += bytes([nargs]) if nargs is not None else b''
    out += bytes([nret]) if nret is not None else b''
    out += nv_range(offset) + nv_range(length)
    out += struct.pack('>BI', 0xff, raw_buf) if raw_buf is not None else struct.pack('>BH', 0, buf)
    return out + data


def nv_layout(size_sel, variables):
    out = struct.pack('>IB', size_sel, len(variables))
    for v in variables:
        out += bytes([len(v)]) + v
    return out


def nvram_seeds():
    put('nvram', 'fetch-store', b'\0' + nv_call(False, 0, 64) +
        nv_call(True, 16, 8, 0x100, b'ABCDEFGH') + nv_call(False, 0, 32, 0x200))
    put('nvram', 'bounds', b'\0' + nv_call(False, 0xfff0, 16) + nv_call(False, 0xfff0, 17) +
        nv_call(True, 0x10000, 0) + nv_call(True, 0xffffffff, 2) +
        nv_call(False, 0, 0xffffffff) + nv_call(False, 0, 16, raw_buf=0x0ffffff8))
    put('nvram', 'counts', b'\0' + nv_call(False, 0, 8, nargs=2) + nv_call(True, 0, 8, nret=1) +
        nv_call(True, 0, 8, nargs=3, nret=0))
    put('nvram', 'store-block', b'\0' + nv_call(True, 0x100, 0x40, raw_buf=WINDOW) +
        nv_call(False, 0x100, 0x40, raw_buf=WINDOW))
    put('nvram', 'layout-64k', b'\1' + nv_layout(1, [b'boot-device=disk', b'auto-boot?=false',
                                                   b'diag-switch?=true', b'=', b'']))
    put('nvram', 'layout-8k-full', b'\1' + nv_layout(0, [b'x' * 250] * 32) + nv_call(False, 0, 16))
    put('nvram', 'layout-odd', b'\1' + nv_layout(2 * 1000 + 0, [b'a=b']))


# fuzz-xics: operation records (opcode, CPU, values); see fuzz-xics.c.
X_CPPR, X_IPI, X_XIRR, X_XIRR_X, X_EOI, X_IPOLL = range(6)
X_SET, X_GET, X_OFF, X_ON, X_LINE, X_PULSE = range(6, 12)
LSI0, MSI0 = 0x80, 0x86  # the target's own sources (bit 7: own, then the index)


def x_prio(p):
    return bytes([0xc0, p])


def x_src(k):
    return bytes([0, k])


def x_cppr(cpu, p):
    return bytes([X_CPPR, cpu, 0]) + x_prio(p)


def x_ipi(cpu, server, p):
    return bytes([X_IPI, cpu, 0, server]) + x_prio(p)


def x_op(op, cpu):
    return bytes([op, cpu])


def x_eoi(cpu, how, src=None, cppr=None):
    """how: 0 what the CPU has in service, 1 a source, 2 the IPI, 3 raw."""
    sel = how | (0x80 if cppr is not None else 0)
    out = bytes([X_EOI, cpu, sel])
    if cppr is not None:
        out += x_prio(cppr)
    if how == 1:
        out += x_src(src)
    if how == 3:
        out += struct.pack('>I', src)
    return out


def x_set(cpu, src, server, p, counts=0):
    return bytes([X_SET, cpu, counts]) + x_src(src) + bytes([server, 0]) + x_prio(p)


def x_rtas(op, cpu, src, counts=0):
    return bytes([op, cpu, counts]) + x_src(src)


def x_line(src, level):
    return bytes([X_LINE, 0, src, level])


def x_pulse(src):
    return bytes([X_PULSE, 0, src])


def xics_seeds():
    put('xics', 'ipi', x_cppr(1, 0xff) + x_ipi(0, 1, 5) + x_op(X_XIRR, 1) + x_ipi(1, 1, 0xff) +
        x_eoi(1, 2))
    put('xics', 'msi', x_set(0, MSI0, 2, 5) + x_cppr(2, 0xff) + x_pulse(MSI0) +
        x_op(X_XIRR, 2) + x_eoi(2, 1, MSI0))
    put('xics', 'lsi', x_set(0, LSI0, 1, 5) + x_cppr(1, 0xff) + x_line(LSI0, 1) +
        x_op(X_XIRR, 1) + x_line(LSI0, 0) + x_eoi(1, 0))
    # Still asserted at the EOI: presented again.
    put('xics', 'lsi-held', x_set(0, LSI0 + 1, 3, 6) + x_cppr(3, 0xff) + x_line(LSI0 + 1, 1) +
        x_op(X_XIRR_X, 3) + x_eoi(3, 0) + x_op(X_IPOLL, 3) + x_op(X_XIRR, 3))
    # Fired while masked: presented at int-on.
    put('xics', 'masked', x_set(0, MSI0 + 1, 0, 5) + x_rtas(X_OFF, 0, MSI0 + 1) +
        x_cppr(0, 0xff) + x_pulse(MSI0 + 1) + x_rtas(X_GET, 1, MSI0 + 1) +
        x_rtas(X_ON, 0, MSI0 + 1) + x_op(X_XIRR, 0))
    # Refused at CPPR 0, resent when the CPPR opens.
    put('xics', 'resend', x_set(0, MSI0 + 2, 0, 5) + x_pulse(MSI0 + 2) + x_set(0, LSI0 + 2, 0, 5) +
        x_line(LSI0 + 2, 1) + x_cppr(0, 0xff) + x_op(X_XIRR, 0) + x_eoi(0, 1, MSI0 + 2, 0xff) +
        x_op(X_XIRR, 0))
    # A more favoured source displaces the pending one; the IPI in between.
    put('xics', 'priorities', x_cppr(1, 0xff) + x_set(0, MSI0 + 3, 1, 6) +
        x_set(0, MSI0 + 4, 1, 2) + x_pulse(MSI0 + 3) + x_ipi(2, 1, 4) + x_pulse(MSI0 + 4) +
        x_op(X_XIRR, 1) + x_cppr(1, 3) + x_eoi(1, 1, MSI0 + 4, 0xff) + x_op(X_XIRR, 1))
    # Wrong counts, unknown sources and servers, raw EOIs.
    put('xics', 'bad', x_rtas(X_GET, 0, MSI0, counts=0xf5) + x_set(0, LSI0, 0, 5, counts=0xff) +
        bytes([X_SET, 0, 0, 0xf0]) + struct.pack('>I', 0x7fffffff) + bytes([0, 0]) + x_prio(5) +
        bytes([X_SET, 0, 0, 0, MSI0, 0xf0]) + struct.pack('>I', 0x1000) + bytes([0]) + x_prio(5) +
        bytes([X_IPI, 0, 0xf0]) + struct.pack('>Q', 0x100000001) + x_prio(5) +
        x_eoi(0, 3, 0xffffff, 0) + x_eoi(0, 1, LSI0 + 3))


# fuzz-crq: a flags byte, then operation records; see fuzz-crq.c.
(C_REG, C_FREE, C_ENABLE, C_RAW, C_IU, C_LOGIN, C_CMD, C_TSK, C_MAD, C_PUT_TCE, C_STUFF_TCE,
 C_GET_TCE, C_SIGNAL, C_BYPASS, C_COPY_RDMA, C_DRAIN, C_POKE) = range(17)
CDB_OPS = [0x00, 0x03, 0x12, 0x1a, 0x25, 0x28, 0x2a, 0x35, 0x9e, 0xa0, 0x88, 0x8a,
           0x08, 0x0a, 0x42, 0x41, 0x2f, 0x5a, 0x55, 0x1b, 0x1e, 0x93, 0x15, 0x8f]


def c_cdb(op, rest=b''):
    return (bytes([CDB_OPS.index(op)]) + rest).ljust(16, b'\0')


def c_direct(cdb, page, sectors, write=False, lun=0, slot=1):
    """A command with one direct descriptor: page of the default mapping, sectors * 512 bytes."""
    how = 2 if write else 1
    return bytes([C_CMD, how, lun, 0]) + cdb + bytes([page, 0, 0, sectors, 0, slot])


def c_nodata(cdb, lun=0, slot=1):
    return bytes([C_CMD, 0, lun, 0]) + cdb + bytes([0, slot])


def c_mad(type_sel, length, page, slot=2):
    return bytes([C_MAD, type_sel, 0, length, page, 0, slot])


def crq_seeds():
    read10 = lambda lba, n: c_cdb(0x28, bytes([0, 0, 0, 0, lba, 0, 0, n]))
    write10 = lambda lba, n: c_cdb(0x2a, bytes([0, 0, 0, 0, lba, 0, 0, n]))
    put('crq', 'login-mad', b'\0' + bytes([C_LOGIN, 0, 6, 0]) + c_mad(2, 148, 2) +
        c_mad(4, 92, 3, 3) + c_mad(0, 32, 4, 4) + c_mad(0xff, 24, 5, 5))
    put('crq', 'inquiry', b'\0' + c_direct(c_cdb(0x12, bytes([0, 0, 0, 36])), 2, 1) +
        c_direct(c_cdb(0x12, bytes([1, 0x83, 0, 0xff])), 3, 1, slot=2) +
        c_direct(c_cdb(0x12, bytes([0, 0, 0, 36])), 4, 1, lun=0xc5, slot=3) + bytes([C_DRAIN]))
    put('crq', 'read', b'\0' + c_direct(read10(3, 2), 2, 2) + c_direct(c_cdb(0x25), 4, 1, slot=2) +
        bytes([C_DRAIN]))
    put('crq', 'write-read', b'\0' + c_direct(write10(5, 1), 2, 1, write=True) + bytes([C_DRAIN]) +
        c_direct(read10(5, 1), 3, 1, slot=2) + c_nodata(c_cdb(0x35), slot=3) + bytes([C_DRAIN]))
    put('crq', 'report-luns', b'\0' + c_direct(c_cdb(0xa0, bytes([0, 0, 0, 0, 0, 1, 0])), 2, 1,
                                                lun=0xf0) + c_nodata(c_cdb(0x00)) + bytes([C_DRAIN]))
    # Two descriptors in the IU, then a table in memory (count 1 < 2).
    table = struct.pack('>QIIQII', 0x9000, 0, 0x200, 0xa000, 0, 0x200)
    put('crq', 'indirect', b'\0' + bytes([C_CMD, 0x13, 0, 0]) + read10(0, 4) +
        bytes([2, 0, 0x80, 4, 0, 4, 0, 6, 0, 4, 0, 0, 1]) +
        bytes([C_POKE]) + struct.pack('>HB', 0x8000, len(table)) + table +
        bytes([C_CMD, 0x13, 0, 0]) + read10(8, 2) + bytes([8, 0, 0, 1, 9, 0, 2, 0, 10, 0, 2, 0, 0, 2]) +
        bytes([C_DRAIN]))
    put('crq', 'tsk-mgmt', b'\0' + c_direct(read10(1, 8), 2, 8) + bytes([C_TSK, 0, 0, 0, 3]) +
        bytes([C_TSK, 3, 0, 0, 4]) + bytes([C_TSK, 4, 0, 0, 5]) + bytes([C_DRAIN]))
    put('crq', 'queue', b'\0' + bytes([C_REG, 0, 1, 0, 0]) + bytes([C_SIGNAL, 0, 0, 1]) +
        c_nodata(c_cdb(0x00)) + bytes([C_FREE, 0]) + c_nodata(c_cdb(0x00), slot=2) +
        bytes([C_REG, 0, 1, 0, 0]) + bytes([C_RAW, 0]) + struct.pack('>QQ', 0xc001 << 48, 0) +
        bytes([C_ENABLE, 0xe1]) + bytes([C_COPY_RDMA, 0, 16]) + struct.pack('>Q', 0x2000))
    put('crq', 'tce', b'\0' + bytes([C_PUT_TCE, 0, 0, 0, 1, 0xf0]) + struct.pack('>Q', 0) +
        bytes([C_LOGIN, 0, 0, 0]) + bytes([C_GET_TCE, 0, 0, 0, 2, 0, 0]) +
        bytes([C_STUFF_TCE, 0, 0, 0, 4, 5, 1, 0, 3]) + c_direct(read10(0, 1), 4, 1, slot=3) +
        bytes([C_BYPASS, 0, 0, 1]) + c_direct(read10(0, 1), 0x10, 1, slot=4) + bytes([C_DRAIN]))


# fuzz-mmio (fuzz-mmio.c): devices in fuzz-pci.c's order.
BLK, BLK2, NET, SER, RNG, SCSI, BALLOON, TESTDEV = range(8)
M_CFGW, M_CFGR, M_LOAD, M_STORE, M_HCALL, M_BYTES, M_MAPALL, M_BAR, M_MSI = range(9)


def m_cfg(dev, reg, size=4):
    """A config address of a present device, register reg; the size selector."""
    return struct.pack('>BHBB', 0, reg, dev, {1: 0, 2: 1, 4: 2}[size])


def m_bar(dev, bar, off):
    """An address relative to BAR bar of dev (off within +-32 KiB)."""
    return struct.pack('>BBBh', 0, dev, bar, off)


def m_win(w, off):
    return struct.pack('>BBQ', 1, w, off)


def m_load(where, size, be=0):
    return struct.pack('>BB', M_LOAD, be) + where + bytes([{1: 0, 2: 1, 4: 2, 8: 3}[size]])


def m_store(where, size, val, be=0):
    return (struct.pack('>BB', M_STORE, be) + where + bytes([{1: 0, 2: 1, 4: 2, 8: 3}[size]]) +
            struct.pack('>Q', val))


def mmio_seeds():
    common = [m_load(m_bar(BLK, 4, off), 4) for off in (0, 4, 8, 0xc)]
    common += [m_load(m_bar(BLK, 4, off), 2) for off in (0x10, 0x12, 0x16, 0x18)]
    common += [m_load(m_bar(BLK, 4, 0x14), 1), m_load(m_bar(BLK, 4, 0x1000), 1),
               m_load(m_bar(BLK, 4, 0x2000), 8), m_store(m_bar(BLK, 4, 0x3000), 2, 0)]
    put('mmio', 'firmware', b'\1' + b''.join(common))
    cfg = [bytes([M_CFGR]) + m_cfg(d, 0) for d in range(8)]
    cfg += [bytes([M_CFGW]) + m_cfg(BLK, 0x10) + struct.pack('>I', 0xffffffff),
            bytes([M_CFGR]) + m_cfg(BLK, 0x10),
            bytes([M_CFGW]) + m_cfg(BLK, 0x20) + struct.pack('>I', 0x80004000),
            bytes([M_CFGW]) + m_cfg(BLK, 0x24) + struct.pack('>I', 0),
            bytes([M_CFGW]) + m_cfg(BLK, 4, 2) + struct.pack('>I', 7),
            bytes([M_CFGR]) + m_cfg(BLK, 0x34, 1), bytes([M_CFGR]) + m_cfg(NET, 0x100, 4),
            m_load(m_bar(BLK, 4, 0), 4)]
    put('mmio', 'config', b'\0' + b''.join(cfg))
    # Two devices' BARs on top of each other, then accesses to both.
    put('mmio', 'overlap', b'\1' +
        struct.pack('>BBBIB', M_BAR, TESTDEV, 0, 0x4000, 0b1011) + struct.pack('>I', 0) +
        m_load(m_bar(BLK, 4, 0x10), 4) + m_store(m_bar(TESTDEV, 0, 8), 4, 0x12345678) +
        struct.pack('>BBBIB', M_BAR, RNG, 4, 0x4000, 0b1011) + struct.pack('>I', 0) +
        m_load(m_bar(RNG, 4, 0), 8))
    holes = [m_load(m_win(w, off), size) for w, off, size in
             ((0, 0, 1), (1, 0x7ffffff8, 8), (2, 12345678, 4), (1, 0x100000, 2))]
    holes += [m_store(m_win(1, 0x200000), 8, 1), m_load(b'\2' + struct.pack('>Q', 1 << 62), 4),
              m_load(b'\3' + struct.pack('>H', 0x10), 4),
              m_store(b'\3' + struct.pack('>H', 0), 4, 0x1234),
              m_load(b'\4' + b'\3', 8), m_load(b'\5' + bytes([2, 1, 0xfe]), 4),
              m_load(b'\5' + bytes([3, 0, 0xff]), 2)]
    put('mmio', 'unassigned', b'\1' + b''.join(holes))
    H = struct.pack('>BBB', M_HCALL, 0, 2) + m_bar(BLK, 4, 0) + struct.pack('>Q', 0)
    HS = struct.pack('>BBB', M_HCALL, 1, 1) + m_bar(BLK, 4, 0x16) + struct.pack('>Q', 1)
    HBAD = struct.pack('>BBB', M_HCALL, 0x80, 0xf3) + m_bar(BLK, 4, 1) + struct.pack('>Q', 0)
    put('mmio', 'hcall', b'\1' + H + HS + HBAD)
    # MSI-X on virtio-blk, a table entry, then a kick that signals it.
    msix = (bytes([M_MSI]) + m_cfg(BLK, 0)[:-1] + bytes([4, 2, 1]) +
            m_store(m_bar(BLK, 1, 0), 8, 0x40000000000, 0) + m_store(m_bar(BLK, 1, 8), 4, 0) +
            m_store(m_bar(BLK, 4, 0x10), 2, 0) + m_store(m_bar(BLK, 4, 0x3000), 2, 0) +
            m_load(m_bar(BLK, 1, 0x800), 8) + m_store(m_bar(BLK, 1, 12), 4, 1))
    put('mmio', 'msix', b'\1' + msix)
    legacy = [m_load(m_bar(d, 0, off), size) for d, off, size in
              ((BLK, 0, 4), (BLK, 12, 2), (BLK, 18, 1), (BLK, 19, 1), (NET, 20, 1), (SER, 24, 4),
               (BLK, 3, 4))]
    legacy += [m_store(m_bar(BLK, 0, 18), 1, 3), m_store(m_bar(BLK, 0, 14), 2, 0),
               m_store(m_bar(BLK, 0, 8), 4, 0x10), m_store(m_bar(BLK, 0, 16), 2, 0)]
    put('mmio', 'legacy', b'\1' + b''.join(legacy))
    td = [m_load(m_bar(TESTDEV, n, off), size) for n, off, size in
          ((0, 0, 1), (0, 4, 4), (1, 0, 4), (0, 0xffc, 4))]
    td += [m_store(m_bar(TESTDEV, 0, 0), 4, 0), m_store(m_bar(TESTDEV, 1, 0), 2, 0x55)]
    put('mmio', 'testdev', b'\1' + b''.join(td))
    put('mmio', 'bytes', b'\1' +
        struct.pack('>BB', M_BYTES, 0) + m_bar(BLK, 4, -8) + bytes([31]) +
        struct.pack('>BB', M_BYTES, 3) + m_bar(BLK, 4, 0x3ff8) + bytes([15]) + b'\xaa' * 16 +
        struct.pack('>BB', M_BYTES, 2) + b'\4\x10' + bytes([63]) +
        struct.pack('>BB', M_BYTES, 1) + m_bar(SCSI, 4, 0x1ffe) + bytes([7]) + b'\x55' * 8)


# fuzz-virtio (fuzz-virtio.c): the driver's operations.
(V_INIT, V_QUEUE, V_DRIVER_OK, V_DESC, V_AVAIL, V_KICK, V_RAW, V_CONFIG, V_TCE, V_MAP_WINDOW,
 V_POLL, V_QRESET, V_ISR) = range(13)
V_WIN = 0x10000
V_BUF = V_WIN + 3 * 0x3000
ALL = (1 << 64) - 1
NOT_IOMMU = ALL & ~(1 << 33)
F_NEXT, F_WRITE, F_INDIRECT = 1, 2, 4


def v_init(dev, mask=ALL, legacy=False):
    return struct.pack('>BBQ', V_INIT, dev | (0x10 if legacy else 0), mask)


def v_queue(q, size_sel=4):
    return struct.pack('>BBBB', V_QUEUE, q, size_sel, 0)


def v_desc(q, idx, off, length, flags=0, nxt=0, indirect_slot=False):
    """A descriptor of a buffer at offset off of the buffer area."""
    return struct.pack('>BBBHBHHHH', V_DESC, 1 if indirect_slot else 0, q, idx, 0, off, length,
                       flags, nxt)


def v_avail(q, head):
    return struct.pack('>BBBH', V_AVAIL, 0, q, head)


def v_kick(q):
    return struct.pack('>BB', V_KICK, q)


def v_raw(buf_off, data):
    off = V_BUF - V_WIN + buf_off
    return struct.pack('>BHB', V_RAW, off, len(data)) + data


def v_chain(q, parts, head=0):
    """Descriptors head.. for parts (offset, length, writable), then offered and kicked."""
    out = b''
    for i, (off, length, w) in enumerate(parts):
        last = i == len(parts) - 1
        out += v_desc(q, head + i, off, length, (F_WRITE if w else 0) | (0 if last else F_NEXT),
                      0 if last else head + i + 1)
    return out + v_avail(q, head) + v_kick(q)


def v_start(dev, queues, mask=ALL, legacy=False, iommu=False):
    out = v_init(dev, mask, legacy)
    if iommu:
        out += bytes([V_MAP_WINDOW])
    for q in queues:
        out += v_queue(q)
    return out + bytes([V_DRIVER_OK])


def blk_req(typ, sector, be=False):
    return struct.pack('>IIQ' if be else '<IIQ', typ, 0, sector)


def virtio_seeds():
    read = v_raw(0, blk_req(0, 0)) + v_chain(0, [(0, 16, 0), (0x100, 512, 1), (0x400, 1, 1)])
    put('virtio', 'blk-read', v_start(BLK, [0]) + read)
    write = (v_raw(0, blk_req(1, 8)) + v_raw(0x100, b'\x5a' * 64) +
             v_chain(0, [(0, 16, 0), (0x100, 512, 0), (0x400, 1, 1)]))
    put('virtio', 'blk-write-flush-id', v_start(BLK, [0]) + write +
        v_raw(0x800, blk_req(4, 0)) + v_chain(0, [(0x800, 16, 0), (0x810, 1, 1)], 4) +
        v_raw(0xa00, blk_req(8, 0)) + v_chain(0, [(0xa00, 16, 0), (0xb00, 20, 1)], 6))
    # An indirect table of three entries in buffer-area slots 0x80..0x82 (offset 0x800).
    ind = (v_raw(0, blk_req(0, 1)) +
           v_desc(0, 0x80, 0, 16, F_NEXT, 1, True) +
           v_desc(0, 0x81, 0x100, 512, F_NEXT | F_WRITE, 2, True) +
           v_desc(0, 0x82, 0x400, 1, F_WRITE, 0, True) +
           v_desc(0, 0, 0x800, 48, F_INDIRECT) + v_avail(0, 0) + v_kick(0))
    put('virtio', 'blk-indirect', v_start(BLK, [0]) + ind)
    # Legacy interface: big-endian rings and header on this big-endian guest.
    put('virtio', 'blk-legacy', v_start(BLK, [0], ALL, True) + v_raw(0, blk_req(0, 0, True)) +
        v_chain(0, [(0, 16, 0), (0x100, 512, 1), (0x400, 1, 1)]))
    put('virtio', 'blk-iommu', v_start(BLK2, [0], ALL, False, True) + read)
    tces = (struct.pack('>BBBBB', V_TCE, 0, 0, 0, 0x31) +
            struct.pack('>BBBBB', V_TCE, 1, 0, 1, 4) + bytes([0x32, 0x33, 0x34, 0x35]) +
            struct.pack('>BBBBBB', V_TCE, 2, 0, 5, 0x36, 3) +
            struct.pack('>BBBIBB', V_TCE, 0, 0xff, 0x80000001, 0, 0x31) +
            struct.pack('>BBBBB', V_TCE, 0x82, 0, 1, 2) + bytes([0x31, 0x32]) +
            struct.pack('>Q', 0xfff00000))
    # The TCEs put by hand leave the rings unmapped; the whole window then maps them.
    put('virtio', 'tce-ops', v_init(BLK2) + tces + v_queue(0) + bytes([V_DRIVER_OK]) + read +
        bytes([V_MAP_WINDOW]) + v_kick(0))
    eth = b'\xff' * 6 + b'\x52\x54\x00\x12\x34\x56' + b'\x08\x06' + bytes(28)
    put('virtio', 'net-tx', v_start(NET, [0, 1, 2], ALL, False, True) + v_raw(0, bytes(12) + eth) +
        v_chain(1, [(0, 12 + len(eth), 0)]) + v_chain(0, [(0x1000, 1526, 1)], 4) +
        v_raw(0x2000, bytes([0, 0, 1])) + v_chain(2, [(0x2000, 3, 0), (0x2010, 1, 1)], 8))
    put('virtio', 'net-legacy', v_start(NET, [0, 1], NOT_IOMMU, True) +
        v_raw(0, bytes(10) + eth) + v_chain(1, [(0, 10 + len(eth), 0)]))
    # virtio-serial: control queue (3) PORT_READY for port 0, then data on port 0's tx (1).
    ctrl = struct.pack('<IHH', 0, 3, 1)
    put('virtio', 'serial', v_start(SER, [0, 1, 2, 3]) + v_chain(2, [(0x1000, 64, 1)]) +
        v_raw(0, struct.pack('<IHH', 0, 0, 1)) + v_chain(3, [(0, 8, 0)], 0) +
        v_raw(0x100, ctrl) + v_chain(3, [(0x100, 8, 0)], 2) +
        v_raw(0x200, b'hello\n') + v_chain(1, [(0x200, 6, 0)]) + v_chain(0, [(0x300, 64, 1)]))
    put('virtio', 'rng', v_start(RNG, [0], ALL, False, True) + v_chain(0, [(0, 64, 1)]) +
        bytes([V_POLL]) + v_chain(0, [(0x100, 16, 1), (0x200, 16, 1)], 1))
    lun = bytes([1, 0, 0, 0]) + bytes(4)
    inquiry = bytes([0x12, 0, 0, 0, 96, 0]) + bytes(26)
    req = lun + struct.pack('<QBBB', 1, 0, 0, 0) + inquiry
    put('virtio', 'scsi', v_start(SCSI, [0, 1, 2]) + v_raw(0, req) +
        v_chain(2, [(0, len(req), 0), (0x100, 108, 1), (0x200, 96, 1)]) +
        v_raw(0x400, struct.pack('<II', 0, 0) + lun + struct.pack('<Q', 1)) +
        v_chain(0, [(0x400, 24, 0), (0x500, 1, 1)], 4) + v_chain(1, [(0x600, 16, 1)], 6))
    put('virtio', 'balloon', v_start(BALLOON, [0, 1, 2]) +
        v_raw(0, struct.pack('<4I', 0x100, 0x101, 0x102, 0xffffffff)) +
        v_chain(0, [(0, 16, 0)]) + v_chain(1, [(0, 8, 0)], 2) +
        v_raw(0x100, struct.pack('<HQ', 0, 1)) + v_chain(2, [(0x100, 10, 0)], 4))
    put('virtio', 'config-isr-reset', v_init(BLK) +
        struct.pack('>BBBI', V_CONFIG, 2, 0, 0) + struct.pack('>BBBI', V_CONFIG, 8, 20, 1) +
        v_queue(0) + struct.pack('>BB', V_QRESET, 0) + bytes([V_ISR]) +
        v_queue(0) + bytes([V_DRIVER_OK]) + read + bytes([V_ISR]) + v_init(BLK) + read)


CMDLINE = [
    ('libvirt', ['-machine', 'pseries-7.2,usb=off,dump-guest-core=off,cap-cfpc=broken',
                 '-accel', 'tcg', '-cpu', 'POWER9', '-m', 'size=1048576k', '-smp',
                 '2,sockets=2,cores=1,threads=1', '-name', 'guest=vm1,debug-threads=on',
                 '-uuid', 'c7a5fdbd-cdaf-9455-926a-d65c16db1809', '-no-user-config',
                 '-nodefaults', '-rtc', 'base=utc', '-no-shutdown', '-boot', 'strict=on',
                 '-sandbox', 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,'
                 'resourcecontrol=deny', '-msg', 'timestamp=on', '-S']),
    ('json', ['-M', 'pseries', '-nodefaults', '-blockdev',
              '{"driver":"null-co","node-name":"n0","size":1048576}', '-device',
              '{"driver":"spapr-vscsi","id":"scsi0"}', '-object',
              '{"qom-type":"secret","id":"sec0","data":"x"}', '-netdev',
              'user,id=net0', '-chardev', 'socket,id=c0,host=::1,port=4444,server=on,'
              'wait=off', '-mon', 'chardev=c0,mode=control,pretty=on']),
    ('numa', ['-M', 'pseries-5.0', '-m', '2G,slots=4,maxmem=8G', '-smp', '4,maxcpus=8,cores=2,threads=2',
              '-numa', 'node,nodeid=0,cpus=0-3,mem=1G', '-numa', 'node,nodeid=1,cpus=4-7,mem=1G',
              '-numa', 'dist,src=0,dst=1,val=20', '-numa', 'cpu,node-id=1,socket-id=1']),
    ('drives', ['-drive', 'if=none,id=d0,driver=null-co,read-only=on', '-drive',
                'if=scsi,media=cdrom,index=3', '-device', 'virtio-blk-pci,drive=d0,id=vd0,bootindex=1',
                '-global', 'spapr-nvram.drive=d0', '-snapshot', '-incoming', 'defer']),
    ('options', ['-icount', 'shift=auto,sleep=off', '-accel', 'qtest', '-accel', 'tcg,thread=single',
                 '-action', 'panic=pause,reboot=shutdown', '-prom-env', 'boot-command=boot',
                 '-echr', '0x14', '-L', '.', '-display', 'none', '-serial', 'mon:stdio',
                 '-monitor', 'none', '-qmp', 'unix:sock,server=on,wait=off', '-d', 'int,guest_errors',
                 '-machine', 'smp.cpus=2,smp.maxcpus=4,kvm-type=HV']),
    ('errors', ['-m', '0', '-smp', 'cpus=x', '-machine', 'type=nope,,', '-rtc', 'base=2026-13-40',
                '-nic', 'user,model=help', '-M', 'pseries,help', '-bogus']),
    ('help', ['-device', 'spapr-vty,help']),
]


def cmdline_seeds():
    for name, args in CMDLINE:
        put('cmdline', name, '\n'.join(args).encode())


def gdb_packet(text):
    """One packet of GDB's remote protocol with its checksum, and GDB's ack after it."""
    return b'$' + text + b'#' + b'%02x' % (sum(text) & 0xff) + b'+'


GDBSTUB = [
    ('connect', [b'qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;xmlRegisters=i386',
                 b'qXfer:features:read:target.xml:0,ffb', b'qXfer:features:read:power64-core.xml:0,ffb',
                 b'?', b'Hg0', b'qfThreadInfo', b'qsThreadInfo', b'qsThreadInfo', b'qC',
                 b'qAttached:1', b'qThreadExtraInfo,p01.02', b'g', b'p40', b'vCont?']),
    ('registers', [b'qXfer:features:read:target.xml:0,ffb', b'Hgp01.02', b'g',
                   b'G' + b'00' * 8 * 32 + b'11' * 8, b'P40=0000000000001000', b'p40', b'P1=ff',
                   b'p1000', b'Hg1', b'g']),
    ('memory', [b'm10000,10', b'M10000,4:deadbeef', b'm10000,4', b'm0fffffff0,20',
                b'M10010,2:1', b'mffffffffffffffff,1', b'X10000,0:']),
    ('breakpoints', [b'Z0,100,4', b'Z1,200,4', b'Z2,10000,8', b'Z3,10008,4', b'Z4,10010,1',
                     b'z0,100,4', b'z2,10000,8', b'z0,300,4', b'Z5,0,0', b'Hc2', b's', b'c']),
    ('vcont', [b'vCont;s:p1.1;c', b'vCont;c:2', b'vCont;S05', b'vCont;x', b'C05', b'S05',
               b'D', b'Tp01.01', b'T9', b'vMustReplyEmpty', b'qOffsets']),
]


def gdbstub_seeds():
    for name, packets in GDBSTUB:
        put('gdbstub', name, b'\x01+' + b''.join(gdb_packet(p) for p in packets))
    # The reader itself: a wrong checksum ('-'), an escape, a resend request, Ctrl-C.
    put('gdbstub', 'stream', b'\x00$g#00-$m}\x5d10000,4#00+\x03$?#3f-+$c#63\x03$?#3f')


# fuzz-vlan: a flags byte, then operation records; see fuzz-vlan.c.  Device 0 keeps its
# buffers in pools, device 1 in the buffer-list page.  Bus page n maps window page n.
(V_REG, V_FREE, V_ADD, V_SEND, V_MCAST, V_MAC, V_SIGNAL, V_RECV, V_TCE, V_POKE) = range(10)


def v_ioba(page, off=0):
    """pick_ioba: a page of the 32, with an offset when off is not 0."""
    if not off:
        return bytes([page])
    return bytes([0xb0 + (page - 16) % 32]) + struct.pack('>H', off)


def v_bd(page, off=0, length=None, valid=True):
    """pick_bd: the target's default length, or one given (a multiple of 4 below 16 KiB)."""
    if length is None:
        return bytes([0 if valid else 0x10]) + v_ioba(page, off)
    return bytes([0x80 if valid else 0x90]) + v_ioba(page, off) + struct.pack('>H', length)


def v_reg(dev, buf_page=0, rxq_page=2, entries=4, filter_page=1, rxq=None):
    return (bytes([V_REG, dev, entries - 1]) + v_ioba(buf_page) + (rxq or v_bd(rxq_page)) +
            v_ioba(filter_page) + struct.pack('>Q', 0x525400123456))


def v_add(dev, page, off=0, size_idx=31, length=None):
    """A receive buffer: 64 * (size_idx + 1) bytes, or length."""
    return bytes([V_ADD, dev, size_idx]) + v_bd(page, off, length)


def v_recv(dev, length):
    if 14 <= length < 1514:
        return bytes([V_RECV, dev, 0]) + struct.pack('>H', length - 14)
    return bytes([V_RECV, dev, 0xe0]) + struct.pack('>I', length)


def v_send(dev, bds, cont=None):
    bds = list(bds) + [v_bd(0, valid=False)] * (6 - len(bds))
    tail = struct.pack('>Q', cont) if cont else b''
    return bytes([V_SEND, dev, 0xf0 if cont else 0]) + b''.join(bds) + tail


def vlan_seeds():
    for dev, name in ((0, 'pools-rx'), (1, 'page-rx')):
        put('vlan', name, b'\0' + v_reg(dev) + v_add(dev, 3) + v_add(dev, 3, 0x800) +
            v_add(dev, 4, size_idx=3) + v_add(dev, 4, 0x800, size_idx=7) +
            bytes([V_SIGNAL, dev, 0, 1]) + v_recv(dev, 60) + v_recv(dev, 1500) +
            v_recv(dev, 200) + v_recv(dev, 1600) + v_add(dev, 5, length=4092) +
            v_recv(dev, 64) + v_add(dev, 6, size_idx=0) + bytes([V_FREE, dev]) + v_recv(dev, 64))
    # Frames before registration and while no buffer fits wait in order.
    put('vlan', 'closed-rx', b'\0' + v_recv(0, 100) + v_recv(0, 1200) + v_reg(0) +
        v_add(0, 3, size_idx=3) + v_add(0, 4) + v_add(0, 5) + v_recv(1, 80) + v_reg(1, 8, 10, 2, 9) +
        v_add(1, 11))
    # A two-entry queue wraps and flips its toggle.
    put('vlan', 'wrap', b'\0' + v_reg(1, entries=2) + b''.join(
        v_add(1, 3 + i) + v_recv(1, 60 + i) for i in range(5)) + bytes([V_SIGNAL, 1, 0, 0]))
    put('vlan', 'send', b'\0' + v_send(1, [v_bd(3)]) + v_reg(0) +
        bytes([V_POKE]) + struct.pack('>HB', 0x3000, 16) + bytes(range(16)) +
        v_send(0, [v_bd(3), v_bd(3, 0x10, 100), v_bd(4, length=1400)]) + v_send(0, []) +
        v_send(0, [v_bd(20)]) + v_send(0, [v_bd(3)], cont=1) +
        v_send(0, [v_bd(3, length=0x3ffc)] * 6))
    put('vlan', 'errors', b'\0' + bytes([V_FREE, 0]) + v_add(0, 3) +
        v_reg(0, rxq=v_bd(2, valid=False)) + v_reg(0, buf_page=20) +
        bytes([V_REG, 0, 3]) + v_ioba(0, 8) + v_bd(2) + v_ioba(1) + struct.pack('>Q', 0) +
        v_reg(0, rxq=v_bd(2, 4)) + bytes([V_REG, 0xf5, 3, 0, 0, 2, 1]) + struct.pack('>Q', 0) +
        v_reg(0) + v_reg(0) + v_add(0, 3, 2) + v_add(0, 3, length=6) + v_add(0, 21) +
        bytes([V_MCAST, 0, 0, 1]) + struct.pack('>Q', 0x01005e000001) +
        bytes([V_MAC, 0]) + struct.pack('>Q', 0x525400abcdef) + bytes([V_MAC, 0xff]) +
        struct.pack('>QQ', 0x12345678, 0) + bytes([V_SIGNAL, 0, 0, 1, V_SIGNAL, 0, 0xf0]) +
        struct.pack('>Q', 2) + bytes([V_FREE, 0, V_FREE, 0]))
    # Read-only and unmapped pages are refused; a remap while open frees the model.
    put('vlan', 'tce', b'\0' + bytes([V_TCE, 0, 0, 2, 2, 1]) + v_reg(0) +
        bytes([V_TCE, 0, 0, 2, 2, 0]) + v_reg(0) + bytes([V_TCE, 0, 0, 2, 7, 3]) + v_reg(0) +
        v_add(0, 3) + bytes([V_TCE, 0, 0, 3, 12, 3]) + v_recv(0, 90) +
        bytes([V_TCE, 1, 0xf1, 4, 4, 3]) + struct.pack('>I', 0x1234) +
        bytes([V_TCE, 1, 0xf0, 4, 4, 3]))
    # Both devices at once, each with its own pages.
    put('vlan', 'both', b'\0' + v_reg(0) + v_reg(1, 8, 10, 4, 9) + v_add(0, 3) + v_add(1, 11) +
        v_recv(0, 70) + v_recv(1, 71) + v_send(1, [v_bd(12)]) + v_recv(1, 72) + v_add(1, 12))


# fuzz-insn: the MSR bits of its first byte.
I_SF, I_LE, I_FP, I_VEC, I_VSX, I_PR, I_FE0, I_FE1 = 1, 2, 4, 8, 16, 32, 64, 128


def insn_input(bits, words, cr=0, xer=0, bc=0, lr=0, ctr=0, fpscr=0, vscr=0, gprs=None,
               vsrs=None):
    """A fuzz-insn input: the register state, then the instruction words."""
    gprs, vsrs = gprs or {}, vsrs or {}
    d = struct.pack('>BIBBQQIB', bits, cr, xer, bc, lr, ctr, fpscr, vscr)
    d += struct.pack('>I', sum(1 << i for i in gprs))
    d += b''.join(struct.pack('>Q', gprs[i]) for i in sorted(gprs))
    d += struct.pack('>Q', sum(1 << i for i in vsrs))
    d += b''.join(struct.pack('>QQ', *vsrs[i]) for i in sorted(vsrs))
    return d + b''.join(struct.pack('>I', w) for w in words)


def dbl(x):
    return struct.unpack('>Q', struct.pack('>d', x))[0]


def insn_seeds():
    # add 3,4,5; addc. 6,7,8; adde 9,10,11; subfo. 12,13,14; mulld 15,3,6; divw. 16,15,17;
    # divdu 18,3,4; rlwinm. 19,3,5,3,27; rldicl 20,3,17,9; sradi. 21,3,63; cntlzd 22,20;
    # popcntw 23,3; cmpd 1,3,4; cmplw 7,5,6; isel 24,3,4,29; extsw. 25,16; neg 26,21;
    # mulhwu 27,3,4; srawi 28,3,9; andi. 29,28,0xf0
    integer = [0x7c642a14, 0x7cc74015, 0x7d2a5914, 0x7d8d7451, 0x7de331d2, 0x7e0f8bd7,
               0x7e432392, 0x547328f7, 0x78748a40, 0x7c75fe77, 0x7e960074, 0x7c7702f4,
               0x7ca32000, 0x7f853040, 0x7f03275e, 0x7e1907b5, 0x7f5500d0, 0x7f632016,
               0x7c7c4e70, 0x739d00f0]
    edges = {4: 0x8000000000000000, 5: 0xffffffff, 7: 0x7fffffffffffffff, 8: 1,
             11: 0xffffffff80000000, 14: 0x100000000, 17: 0}
    put('insn', 'integer', insn_input(I_SF, integer, cr=0x12345678, xer=0b10101, gprs=edges))
    put('insn', 'integer-32', insn_input(0, integer, xer=0b00100, gprs=edges))
    # ld 3,8(4); lwz 5,4(6); lha 7,2(8); lbzu 9,1(10); stdu 3,-16(11); stw 5,12(12);
    # sth 7,6(13); stb 9,3(14); ldx 15,4,16; stwx 15,17,0; lhbrx 18,4,19; stdbrx 18,20,0;
    # lwarx 21,0,22; stwcx. 21,0,22; ldarx 23,0,24; stdcx. 25,0,26; dcbz 0,29;
    # lwa 30,4(31); lmw 27,0(28) (an alignment interrupt little-endian)
    ldst = [0xe8640008, 0x80a60004, 0xa8e80002, 0x8d2a0001, 0xf86bfff1, 0x90ac000c,
            0xb0ed0006, 0x992e0003, 0x7de4802a, 0x7df1012e, 0x7e449e2c, 0x7e540528,
            0x7ea0b028, 0x7ea0b12d, 0x7ee0c0a8, 0x7f20d1ad, 0x7c00efec, 0xebdf0006,
            0xbb7c0000]
    offsets = {0: 0x10, 16: 0x18, 19: 0x22}
    put('insn', 'load-store', insn_input(I_SF, ldst, gprs=offsets))
    put('insn', 'load-store-le', insn_input(I_SF | I_LE, ldst, gprs=offsets))
    put('insn', 'load-store-32', insn_input(0, ldst, gprs={
        **offsets, 4: 0xffffffff00020200, 6: 0x1234567800020300}))
    # li 3,5; mtctr 3; 1: addi 4,4,1; bdnz 1b; cmpwi 4,0; beq 2f; addi 5,5,1;
    # 2: bl 3f; mflr 6; b 4f; 3: mflr 7; blr; 4: crxor 6,1,2; mcrf 2,0;
    # mtctr 4 (r4 = 0x10040 + 8); bctr... to the sc 1 after the block
    branch = [0x38600005, 0x7c6903a6, 0x38840001, 0x4200fffc, 0x2c040000, 0x41820008,
              0x38a50001, 0x4800000d, 0x7cc802a6, 0x4800000c, 0x7ce802a6, 0x4e800020,
              0x4cc11182, 0x4d000000, 0x7c8903a6, 0x4e800420]
    put('insn', 'branch', insn_input(I_SF, branch, cr=0x20000000, gprs={4: 0x1003c}))
    # b . : the slice bounds it; then a counted loop of 3000 turns (bdnz .)
    put('insn', 'loop-forever', insn_input(I_SF, [0x38a50001, 0x48000000]))
    put('insn', 'loop-ctr', insn_input(I_SF, [0x38a50001, 0x4200fffc, 0x38c60001], ctr=3000))
    # lfd 1,0(3); lfs 2,8(4); fadd 3,1,2; fmul 4,3,1; fmadd 5,1,2,3; fdiv. 6,1,2;
    # fsub 7,2,1; fcmpu 3,1,2; fctiwz 8,6; frsp 9,6; fsqrt 10,2; fsel 11,1,2,3;
    # stfd 4,16(5); stfs 5,24(6); mffs 12; fneg 13,1; fabs 14,13; fcfid 15,14;
    # mtfsfi 7,3; fctid 16,4
    fp = [0xc8230000, 0xc0440008, 0xfc61102a, 0xfc830072, 0xfca118ba, 0xfcc11025,
          0xfce20828, 0xfd811000, 0xfd00301e, 0xfd203018, 0xfd40102c, 0xfd6118ae,
          0xd8850010, 0xd0a60018, 0xfd80048e, 0xfda00850, 0xfdc06a10, 0xfde0769c,
          0xff80310c, 0xfe00265c]
    put('insn', 'fp', insn_input(I_SF | I_FP, fp))
    specials = {2: (dbl(0.0), 0), 3: (0x7ff8000000000001, 0), 6: (dbl(float('inf')), 0),
                7: (0x0000000000000001, 0), 13: (dbl(-1e308), 0)}
    put('insn', 'fp-special', insn_input(I_SF | I_FP, fp[2:], fpscr=0x000000f8, vsrs=specials))
    # enabled exceptions (VE, ZE) with FE0|FE1: a zero divide is a program interrupt
    put('insn', 'fp-trap', insn_input(I_SF | I_FP | I_FE0 | I_FE1, fp[2:], fpscr=0x000000f0,
                                      vsrs=specials))
    put('insn', 'fp-off', insn_input(I_SF, fp))
    # lvx 2,3,4; lvx 3,5,0; vaddubm 4,2,3; vadduwm 5,2,3; vand 6,2,3; vperm 7,2,3,4;
    # vcmpequw. 8,2,2; vmaxsw 9,2,3; vsldoi 10,2,3,5; vaddfp 11,2,3; vmaddfp 12,2,3,11;
    # vsubsws 13,2,3; vspltw 14,3,2; vmuluwm 15,2,3; stvx 4,6,0; stvx 7,7,0;
    # mfvscr 16; vsum4ubs 17,2,3
    vmx = [0x7c4320ce, 0x7c6500ce, 0x10821800, 0x10a21880, 0x10c21c04, 0x10e2192b,
           0x11021486, 0x11221982, 0x1142196c, 0x1162180a, 0x118258ee, 0x11a21f80,
           0x11c21a8c, 0x11e21889, 0x7c8601ce, 0x7ce701ce, 0x12000604, 0x12221e08]
    put('insn', 'vmx', insn_input(I_SF | I_VEC, vmx, vscr=1, gprs={0: 0x20}))
    put('insn', 'vmx-le', insn_input(I_SF | I_LE | I_VEC, vmx, gprs={0: 0x30}))
    # lxvd2x 34,3,0; lxvw4x 35,4,0; xxlxor 36,34,35; xvadddp 37,34,35; xsadddp 1,2,3;
    # xvmuldp 38,34,35; xxpermdi 39,34,35,2; xscvdpsp 40,1; xvcmpeqdp. 41,34,34;
    # xxsel 42,34,35,36; stxvd2x 37,5,0; stxvw4x 38,6,0; mfvsrd 9,1; mtvsrd 4,8;
    # xsmaddadp 5,6,7; lxvx 43,3,0; stxvx 43,7,0; xxspltw 44,35,1; xvcvspdp 45,35
    vsx = [0x7c430699, 0x7c640619, 0xf0821cd7, 0xf0a21b07, 0xf0221900, 0xf0c21b87,
           0xf0e21a57, 0xf1000c25, 0xf122171f, 0xf142193f, 0x7ca50799, 0x7cc60719,
           0x7c290066, 0x7c880166, 0xf0a63908, 0x7d630219, 0x7d670319, 0xf1811a93,
           0xf1a01f27]
    put('insn', 'vsx', insn_input(I_SF | I_FP | I_VEC | I_VSX, vsx, gprs={0: 0x8}))
    put('insn', 'vsx-le', insn_input(I_SF | I_LE | I_FP | I_VEC | I_VSX, vsx, vsrs=specials))
    put('insn', 'vsx-off', insn_input(I_SF | I_FP | I_VEC, vsx))
    # Exceptions: a misaligned lwarx (alignment), trap (program), a load past RAM,
    # mfmsr in problem state (privileged), word 0 (illegal)
    put('insn', 'align', insn_input(I_SF, [0x80640000, 0x90650001, 0x7cc03828],
                                    gprs={7: 0x20002}))
    put('insn', 'trap', insn_input(I_SF, [0x38a50001, 0x7fe00008]))
    put('insn', 'past-ram', insn_input(I_SF, [0x80640000, 0x38a50001], gprs={4: 0x7000000}))
    put('insn', 'privileged', insn_input(I_SF | I_PR, [0x38a50001, 0x7c6000a6]))
    put('insn', 'illegal', insn_input(I_SF | I_LE, [0x38a50001, 0]))

SEEDS = {'hcall': hcall_seeds, 'rtas': rtas_seeds, 'qmp': qmp_seeds, 'qcow2': qcow2_seeds,
         'migration': migration_seeds, 'hmp': hmp_seeds, 'qtest': qtest_seeds,
         'vof': vof_seeds, 'cas': cas_seeds, 'nvram': nvram_seeds,
         'xics': xics_seeds, 'crq': crq_seeds, 'mmio': mmio_seeds, 'virtio': virtio_seeds,
         'cmdline': cmdline_seeds, 'gdbstub': gdbstub_seeds, 'vlan': vlan_seeds,
         'insn': insn_seeds}

if __name__ == '__main__':
    # make-seeds.py [TARGET...]: those targets' seeds only (default: all).
    for target in sys.argv[1:] or SEEDS:
        SEEDS[target]()
