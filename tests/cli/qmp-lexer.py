#!/usr/bin/env python3
# qmp-lexer.py BINARY [oracle]: a garbage battery for the QMP JSON lexer,
# streamer and parser, and the envelope and exec-oob rules, over a unix
# socket.  Each case's bytes are sent raw, then a sync command; everything
# the monitor wrote before the sync's reply is printed byte for byte, so the
# test diffs ours against QEMU 7.2.
import os
import socket
import subprocess
import sys
import tempfile
import time

qemu = sys.argv[1]
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, 'qmp.sock')
args = [qemu, '-display', 'none', '-M', 'pseries', '-S', '-nodefaults',
        '-qmp', 'unix:%s,server=on,wait=off' % path]
if 'oracle' in sys.argv[2:]:
    args += ['-vga', 'none']
def connect():
    for _ in range(400):
        try:
            c = socket.socket(socket.AF_UNIX)
            c.connect(path)
            return c
        except OSError:
            time.sleep(0.05)
    raise SystemExit('cannot connect to ' + path)


proc = subprocess.Popen(args, stderr=subprocess.DEVNULL)
for _ in range(400):
    if os.path.exists(path):
        break
    time.sleep(0.05)
sock = connect()
sock.settimeout(20)
buf = b''
seq = 0


def read_until(marker):
    global buf
    while marker not in buf:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            data = b''
        if not data:
            out, buf = buf, b''
            return out + b' <no sync reply>'
        buf += data
    end = buf.index(marker) + len(marker)
    end = buf.index(b'\r\n', end) + 2
    out, buf = buf[:end], buf[end:]
    return out


def case(name, data):
    """Send DATA, then a sync command; print what came back before its reply."""
    global seq
    seq += 1
    sync = b'{"execute": "query-name", "id": "sync-%d"}' % seq
    sock.sendall(data)
    sock.sendall(sync)
    t0 = time.time()
    got = read_until(b'"sync-%d"' % seq)
    if os.environ.get('QMP_LEXER_TIMES'):
        sys.stderr.write('%.2f %s\n' % (time.time() - t0, name))
    lines = got.split(b'\r\n')[:-2]
    print('%s: %d replies' % (name, len(lines)))
    # A run of equal replies is printed once, with its length.
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j] == lines[i]:
            j += 1
        print('    ' + lines[i].decode('latin-1') + ('' if j - i == 1 else ' (x%d)' % (j - i)))
        i = j


print('greeting', read_until(b'"capabilities"')[:7].decode())
# Before negotiation: garbage gets parse errors, commands the negotiation error.
sock.sendall(b'\x01')
case('pre-negotiation control byte', b'')
case('pre-negotiation command', b'{"execute": "query-status"}')
case('pre-negotiation exec-oob', b'{"exec-oob": "qmp_capabilities"}')
case('pre-negotiation non-object', b'[1]')
case('negotiate', b'{"execute": "qmp_capabilities"}')

for c in list(range(0, 9)) + [11, 12] + list(range(14, 32)) + [127]:
    case('control byte 0x%02x' % c, bytes([c]))
case('control bytes in a row', b'\x01\x02\x03\t\x04')
case('tab and newline are white space', b'\t\n\r \n')
for c in (0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xf5, 0xfe, 0xff):
    case('byte 0x%02x outside a string' % c, bytes([c]))
case('0xff run', b'\xff\xff\xff')
case('invalid UTF-8 in a string', b'{"execute": "qu\xc3\x28ery"}')
case('overlong UTF-8 in a string', b'{"execute": "\xc0\xafx"}')
case('modified UTF-8 NUL in a string', b'{"execute": "a\xc0\x80b"}')
case('surrogate in UTF-8', b'{"execute": "\xed\xa0\x80"}')
case('noncharacter U+FFFE', b'{"execute": "\xef\xbf\xbe"}')
case('5-byte sequence', b'{"execute": "\xf8\x88\x80\x80\x80"}')
case('truncated sequence', b'{"execute": "\xe2\x82"}')
case('valid UTF-8 name', b'{"execute": "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"}')
case('0xfe in a string', b'{"execute": "ab\xfecd"}')
case('0xff in a string', b'{"execute": "ab\xffcd"}')
case('control byte in a string', b'{"execute": "ab\x01cd", "id": 1}')
case('newline in a string', b'{"execute": "query-status\n", "id": 2}')
case('escapes', b'{"execute": "\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\\ud83d\\ude00\\\'"}')
case('bad escape', b'{"execute": "\\x41"}')
case('bad unicode escape', b'{"execute": "\\u12g4"}')
case('lone high surrogate', b'{"execute": "\\ud800x"}')
case('lone low surrogate', b'{"execute": "\\udc00"}')
case('surrogate then non-surrogate', b'{"execute": "\\ud800\\u0041"}')
case('\\u0000', b'{"execute": "a\\u0000b"}')
case('\\uFFFF', b'{"execute": "\\uffff"}')
case('single-quoted strings', b"{'execute': 'query-status', 'id': 'it\\'s \"q\"'}")
case('bare integer', b'42')
case('bare negative', b'-7 ')
case('bare float', b'1.5e3 ')
case('bare string', b'"hello"')
case('bare keywords', b'true false null ')
case('unknown keyword', b'nul ')
case('upper-case keyword', b'True ')
case('keyword with digits', b'abc1 ')
case('number then letters', b'12ab ')
case('leading zero', b'0123 ')
case('minus alone', b'- ')
case('dot number', b'.5 ')
case('exponent without digits', b'1e ')
case('plus sign', b'+1 ')
case('hex', b'0x10 ')
case('overlong integer', b'{"execute": "query-status", "id": 123456789012345678901234567890}')
case('int64 min id', b'{"execute": "query-status", "id": -9223372036854775808}')
case('below int64', b'{"execute": "query-status", "id": -9223372036854775809}')
case('float ids', b'{"execute": "query-status", "id": [0.1, 1e300, 1e400, -0.0, 2.5e-8, 100.0, 1E2]}')
case('long digit string', b'{"execute": "query-status", "id": ' + b'9' * 400 + b'}')
case('long string id', b'{"execute": "query-status", "id": "' + b'x' * 70000 + b'"}')
case('stray closers', b'}]')
case('stray colon and comma', b': , ')
case('trailing comma in object', b'{"execute": "query-status",}')
case('trailing comma in array', b'{"execute": "query-status", "id": [1,]}')
case('double comma', b'{"a": [1, 2,, 3]}')
case('missing colon', b'{"execute" "query-status"}')
case('missing value', b'{"execute": }')
case('non-string key', b'{1: 2}')
case('mismatched bracket', b'{"execute": "query-status"]')
case('mismatched brace', b'[1, 2}')
case('missing comma', b'{"execute": "query-status" "id": 1}')
case('array separator', b'[1 2]')
case('duplicate key', b'{"execute": "query-status", "execute": "stop"}')
case('empty object', b'{}')
case('empty array', b'[]')
case('nested non-object', b'[{"execute": "query-status"}]')
case('deep nesting 1024', b'[' * 1024 + b']' * 1024)
case('deep nesting 1025', b'[' * 1025 + b']' * 1025)
case('deep object nesting', b'{"a":' * 1100 + b'1' + b'}' * 1100)
case('unterminated string then command',
     b'{"execute": "query-status", "id": "abc\n{"execute": "query-kvm", "id": "after"}')
case('unterminated object then 0xff then command',
     b'{"execute": "query-sta\xff{"execute": "query-kvm", "id": "after"}')
case('unterminated array then 0xff', b'{"execute": "query-status", "id": [1, 2\xff')
case('garbage between commands',
     b'{"execute": "query-kvm", "id": 1}@#{"execute": "query-kvm", "id": 2}\x01'
     b'{"execute": "query-kvm", "id": 3}xyz{"execute": "query-kvm", "id": 4}')
case('garbage inside an object',
     b'{"execute": "query-kvm", @ "id": 5}')
case('control byte inside an object', b'{"a": \x01, "execute": "query-status"}')
case('recovery skips to a structural character', b'@abc def{"execute": "query-kvm", "id": 6}')
case('two commands in one write', b'{"execute": "query-kvm", "id": 7}{"execute": "query-kvm", "id": 8}')
case('percent sign', b'{"execute": "query-status", "id": %d}')
case('backslash outside a string', b'\\n ')
case('NUL bytes', b'\x00\x00{"execute": "query-kvm", "id": 9}')
# The envelope, checked in QEMU's (hash table) member order.
case('not an object', b'[1, 2]')
case('lacks execute', b'{"arguments": {}}')
case('execute not a string', b'{"execute": ["stop"]}')
case('arguments not an object', b'{"execute": "stop", "arguments": 3}')
case('unexpected member', b'{"execute": "stop", "extra": 1}')
case('two unexpected members', b'{"zzz": 1, "execute": "stop", "aaa": 2, "mmm": 3}')
case('two unexpected members, other order', b'{"mmm": 3, "aaa": 2, "zzz": 1, "execute": "stop"}')
case('unexpected and bad arguments', b'{"arguments": 1, "execute": "stop", "b": 1}')
case('unexpected arguments members',
     b'{"execute": "query-status", "arguments": {"x": 1, "y": 2, "b": 3, "abc": 4}}')
case('unknown command', b'{"execute": "no-such-command", "id": {"a": [1, "x"]}}')
case('id kinds', b'{"execute": "query-kvm", "id": {"b": 1, "a": [true, null, "s"]}}')
case('exec-oob without the capability', b'{"exec-oob": "query-yank", "id": 1}')
case('qmp_capabilities again', b'{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}')
case('execute and exec-oob', b'{"execute": "query-kvm", "exec-oob": "query-yank"}')
proc.kill()
proc.wait()

# A second session on a fresh process: OOB negotiated.
os.unlink(path)
proc = subprocess.Popen(args, stderr=subprocess.DEVNULL)
for _ in range(400):
    if os.path.exists(path):
        break
    time.sleep(0.05)
sock = connect()
sock.settimeout(20)
buf = b''
read_until(b'"capabilities"')
case('bad capability', b'{"execute": "qmp_capabilities", "arguments": {"enable": ["xyz"]}}')
case('capabilities not a list', b'{"execute": "qmp_capabilities", "arguments": {"enable": "oob"}}')
case('negotiate with oob', b'{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}')
case('exec-oob allowed', b'{"exec-oob": "query-yank", "id": "oob-1"}')
case('exec-oob not allowed', b'{"exec-oob": "query-status", "id": "oob-2"}')
case('exec-oob unknown', b'{"exec-oob": "no-such", "id": "oob-3"}')
case('exec-oob not a string', b'{"exec-oob": 1}')
case('execute and exec-oob', b'{"execute": "query-kvm", "exec-oob": "query-yank"}')
case('exec-oob yank', b'{"exec-oob": "yank", "arguments": {"instances": []}, "id": "oob-4"}')
case('exec-oob yank bad', b'{"exec-oob": "yank", "arguments": {"instances": [{"type": "chardev", "id": "nope"}]}}')
case('exec-oob qmp_capabilities', b'{"exec-oob": "qmp_capabilities"}')
proc.kill()
proc.wait()
