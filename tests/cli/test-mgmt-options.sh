# The options libvirt generates: -object (secret, memory backends, rng-random,
# iothread; keyval and JSON), -machine memory-backend=, -audiodev, -add-fd,
# -chardev pty and socket fd=, with QEMU 7.2's messages, and what QMP shows of them.
. "$(dirname "$0")/lib.sh"

Q="-display none -S -nodefaults"

# qmp ARGS... < commands: run with a QMP monitor on stdio, replies in $OUT.
qmp() {
    timeout 20 "$QEMU" $Q "$@" -qmp stdio >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
}

# has TEXT NAME: $OUT contains TEXT.
has() {
    if printf '%s' "$OUT" | grep -qF -- "$1"; then
        ok "$2"
    else
        not_ok "$2" "wanted: $1" "got: ${OUT:0:600}" "stderr: $ERR"
    fi
}

# -object: checked while the options are read, with the option in the message.
expect_stderr "qemu-system-ppc64: -object memory-backend-ram,id=r: Parameter 'size' is missing" \
    $Q -object memory-backend-ram,id=r
expect_stderr "qemu-system-ppc64: -object memory-backend-ram,id=r,bogus=1: Parameter 'size' is missing" \
    $Q -object memory-backend-ram,id=r,bogus=1
expect_stderr "qemu-system-ppc64: -object memory-backend-ram,id=r,size=512M,bogus=1: Invalid parameter 'bogus'" \
    $Q -object memory-backend-ram,id=r,size=512M,bogus=1
expect_stderr "qemu-system-ppc64: -object memory-backend-ram,size=1G: Parameter 'id' is missing" \
    $Q -object memory-backend-ram,size=1G
expect_stderr "qemu-system-ppc64: -object memory-backend-ram,id=r,size=1x: Parameter 'size' expects a size value" \
    $Q -object memory-backend-ram,id=r,size=1x
expect_stderr "qemu-system-ppc64: -object memory-backend-ram,id=r,size=1G,share=maybe: Parameter 'share' expects 'on' or 'off'" \
    $Q -object memory-backend-ram,id=r,size=1G,share=maybe
expect_stderr "qemu-system-ppc64: -object iothread,id=i,poll-max-ns=abc: Parameter 'poll-max-ns' expects an int64 value" \
    $Q -object iothread,id=i,poll-max-ns=abc
expect_stderr "qemu-system-ppc64: -object foo,id=x: Parameter 'qom-type' does not accept value 'foo'" \
    $Q -object foo,id=x
expect_stderr "qemu-system-ppc64: -object iothread: Parameter 'id' is missing" $Q -object iothread
expect_stderr "qemu-system-ppc64: -object secret,id=i,data=x: Duplicate ID 'i' for object" \
    $Q -object iothread,id=i -object secret,id=i,data=x
expect_stderr "qemu-system-ppc64: -object iothread,id=9x: Parameter 'id' expects an identifier
Identifiers consist of letters, digits, '-', '.', '_', starting with a letter." \
    $Q -object iothread,id=9x
expect_stderr "qemu-system-ppc64: -object {\"qom-type\":\"secret\",\"id\":\"s\",\"data\":1}: Invalid parameter type for 'data', expected: string" \
    $Q -object '{"qom-type":"secret","id":"s","data":1}'
expect_stderr "qemu-system-ppc64: -object {\"qom-type\":\"secret\",\"id\":\"s\",\"data\":\"x\",\"bad\":1}: Parameter 'bad' is unexpected" \
    $Q -object '{"qom-type":"secret","id":"s","data":"x","bad":1}'
expect_stderr "qemu-system-ppc64: -object {\"qom-type\":\"memory-backend-ram\",\"id\":\"r\",\"size\":\"5\"}: Parameter 'size' expects uint64" \
    $Q -object '{"qom-type":"memory-backend-ram","id":"r","size":"5"}'

# Created after the accelerator: no option in the message.
expect_stderr "qemu-system-ppc64: Either 'file' or 'data' must be provided" $Q -object secret,id=s
expect_stderr "qemu-system-ppc64: Base64 data contains invalid characters" \
    $Q -object secret,id=s,data=!!,format=base64
expect_error "^qemu-system-ppc64: Unable to read $TMP/nonexist: " $Q -object secret,id=s,file=$TMP/nonexist
expect_stderr "qemu-system-ppc64: Could not open '$TMP/nonexist': No such file or directory" \
    $Q -object rng-random,id=rng0,filename=$TMP/nonexist
expect_stderr "qemu-system-ppc64: can't open backing store $TMP/no/x for guest RAM: No such file or directory" \
    $Q -object memory-backend-file,id=r,size=512M,mem-path=$TMP/no/x -machine pseries,memory-backend=r
expect_stderr "qemu-system-ppc64: Machine memory size does not match the size of the memory backend" \
    $Q -m 512 -object memory-backend-ram,id=r,size=1G -machine pseries,memory-backend=r
expect_stderr "qemu-system-ppc64: Memory backend 'r' not found" $Q -machine pseries,memory-backend=r

# -object help lists what can be created.
expect_exit0 "^List of user creatable objects:" -object help
expect_exit0 "^secret options:" -object secret,help

# The backend's size becomes the RAM size; libvirt's JSON form with a secret file.
echo -n topsecret >"$TMP/key"
qmp -object "{\"qom-type\":\"secret\",\"id\":\"masterKey0\",\"format\":\"raw\",\"file\":\"$TMP/key\"}" \
    -machine pseries,usb=off,dump-guest-core=off,memory-backend=ppc_spapr.ram \
    -object '{"qom-type":"memory-backend-ram","id":"ppc_spapr.ram","size":1073741824}' \
    -object iothread,id=io1 <<'EOT'
{"execute":"qmp_capabilities"}
{"execute":"query-memory-size-summary"}
{"execute":"query-iothreads"}
{"execute":"object-add","arguments":{"qom-type":"iothread","id":"io2","poll-max-ns":100}}
{"execute":"object-add","arguments":{"qom-type":"iothread","id":"io2"}}
{"execute":"query-iothreads"}
{"execute":"object-del","arguments":{"id":"io1"}}
{"execute":"object-del","arguments":{"id":"io1"}}
{"execute":"object-del","arguments":{"id":"ppc_spapr.ram"}}
{"execute":"object-add","arguments":{"qom-type":"secret","id":"s2"}}
{"execute":"quit"}
EOT
has '{"return": {"base-memory": 1073741824, ' "memory-backend=: RAM has the backend's size"
has '"id": "io1"' "query-iothreads lists -object iothread"
has '{"poll-shrink": 0, "thread-id": ' "object-add iothread"
has '"aio-max-batch": 0, "poll-grow": 0, "poll-max-ns": 100, "id": "io2"}' "object-add iothread: its properties, in QEMU 7.2's order"
has "attempt to add duplicate property 'io2' to object (type 'container')" "object-add: duplicate id"
has "object 'io1' not found" "object-del removed io1"
has "object 'ppc_spapr.ram' is in use, can not be deleted" "object-del refuses the RAM backend"
has "Either 'file' or 'data' must be provided" "object-add: secret errors"

# memory-backend-file and memfd with share=on map guest RAM from the backend.
qmp -m 512M -object memory-backend-file,id=f,size=512M,mem-path=$TMP/ram,share=on \
    -machine pseries,memory-backend=f <<'EOT'
{"execute":"qmp_capabilities"}
{"execute":"quit"}
EOT
if [ "$RC" = 0 ] && [ "$(stat -c %s "$TMP/ram")" = 536870912 ]; then
    ok "memory-backend-file: the file has the RAM's size"
else
    not_ok "memory-backend-file: the file has the RAM's size" "exit $RC: $ERR" "$(ls -l "$TMP/ram")"
fi

# -audiodev: libvirt's none driver, keyval and JSON.
run $Q -audiodev '{"id":"audio1","driver":"none"}' -audiodev none,id=a2
[ "$RC" = 124 ] || [ "$RC" = 0 ] && ok "-audiodev none accepted" || not_ok "-audiodev none" "$ERR"
expect_stderr "qemu-system-ppc64: -audiodev none: Parameter 'id' is missing" $Q -audiodev none
expect_stderr "qemu-system-ppc64: -audiodev foo,id=a: Parameter 'driver' does not accept value 'foo'" \
    $Q -audiodev foo,id=a

# -add-fd checks the fd it is given.
expect_stderr "qemu-system-ppc64: -add-fd fd=1,set=2: fd cannot be a standard I/O stream" \
    $Q -add-fd fd=1,set=2
expect_stderr "qemu-system-ppc64: -add-fd fd=77,set=2: fd is not valid or already in use" \
    $Q -add-fd fd=77,set=2
expect_stderr "qemu-system-ppc64: -add-fd set=2: fd option is required and must be non-negative" \
    $Q -add-fd set=2

# -chardev pty: the path on stdout as QEMU 7.2 prints it, and in query-chardev;
# socket fd=: libvirt hands the monitor over as a listening socket.
cat >"$TMP/pty.py" <<'EOT'
import json, os, socket, subprocess, sys, time
qemu, tmp = sys.argv[1], sys.argv[2]
ls = socket.socket(socket.AF_UNIX)
ls.bind(tmp + '/mon.sock')
ls.listen(1)
fd = os.dup(ls.fileno())
os.set_inheritable(fd, True)
p = subprocess.Popen([qemu, '-display', 'none', '-S', '-nodefaults',
                      '-chardev', 'socket,id=charmonitor,fd=%d,server=on,wait=off' % fd,
                      '-mon', 'chardev=charmonitor,id=monitor,mode=control',
                      '-chardev', 'pty,id=charserial0',
                      '-device', '{"driver":"spapr-vty","chardev":"charserial0","id":"serial0","reg":805306368}'],
                     pass_fds=(fd,), stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
os.close(fd)
line = p.stdout.readline().decode()
def check(cond, what, detail=''):
    print(('PASS %s' if cond else 'FAIL %s') % what)
    if not cond:
        print('DETAIL ' + str(detail))
check(line.startswith('char device redirected to /dev/pts/') and line.endswith(' (label charserial0)\n'),
      'pty: stdout names the pty', line)
pts = line.split()[4] if len(line.split()) > 4 else ''
c = socket.socket(socket.AF_UNIX)
c.connect(tmp + '/mon.sock')
f = c.makefile('rw')
greet = json.loads(f.readline())
check('QMP' in greet, 'QMP greeting on the inherited socket', greet)
def cmd(c, args=None):
    f.write(json.dumps({'execute': c, 'arguments': args or {}}) + '\n')
    f.flush()
    while True:
        r = json.loads(f.readline())
        if 'event' not in r:
            return r
cmd('qmp_capabilities')
chardevs = {d['label']: d for d in cmd('query-chardev')['return']}
check(chardevs.get('charserial0', {}).get('filename') == 'pty:' + pts,
      'query-chardev: pty filename', chardevs)
check(chardevs.get('charserial0', {}).get('frontend-open') is True,
      'query-chardev: the vty is the pty\'s frontend', chardevs)
check(chardevs.get('charmonitor', {}).get('filename') == 'unix:%s/mon.sock,server=on' % tmp,
      'query-chardev: the monitor socket, connected', chardevs)
cmd('quit')
p.wait(10)
EOT
checks=0
while read -r word rest; do
    case $word in
    PASS) ok "$rest" ;;
    FAIL) not_ok "$rest" ;;
    *) echo "# $word $rest" ;;
    esac
    case $word in PASS | FAIL) checks=$((checks + 1)) ;; esac
done < <(timeout 30 python3 "$TMP/pty.py" "$QEMU" "$TMP" 2>&1)
[ "$checks" = 5 ] && ok "the pty/socket script ran to its end" ||
    not_ok "the pty/socket script ran to its end" "$checks of 5 checks ran"
# The human monitor over a socket (-monitor), and device_add/device_del over QMP.
cat >"$TMP/hmp.py" <<'EOT'
import json, os, socket, subprocess, sys, time
qemu, tmp = sys.argv[1], sys.argv[2]
p = subprocess.Popen([qemu, '-display', 'none', '-S', '-nodefaults', '-smp', '2',
                      '-name', 'hmpguest', '-uuid', '5b1d2a6e-0c3f-4d2c-9b6a-1f2e3d4c5b6a',
                      '-monitor', 'unix:%s/hmp.sock,server=on,wait=off' % tmp,
                      '-qmp', 'unix:%s/qmp.sock,server=on,wait=off' % tmp,
                      '-chardev', 'null,id=c0',
                      '-device', 'spapr-vty,chardev=c0,id=vty0'],
                     stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
def check(cond, what, detail=''):
    print(('PASS %s' if cond else 'FAIL %s') % what)
    if not cond:
        print('DETAIL ' + repr(detail))
def connect(path):
    for _ in range(100):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(path)
            return s
        except OSError:
            time.sleep(0.1)
    raise SystemExit('cannot connect to ' + path)
h = connect(tmp + '/hmp.sock')
h.settimeout(10)
buf = b''
def until_prompt():
    global buf
    while b'(qemu) ' not in buf:
        buf += h.recv(4096)
    out, _, buf = buf.partition(b'(qemu) ')
    return out.decode()
banner = until_prompt()
check(banner == "QEMU 7.2.22 monitor - type 'help' for more information\r\n", 'HMP banner', banner)
def hmp(line):
    h.sendall(line.encode() + b'\r')
    out = until_prompt()
    # The line editor redraws the line as QEMU's does; the output follows its CR LF.
    return out.split('\r\n', 1)[1] if '\r\n' in out else 'NO ECHO: ' + out
q = connect(tmp + '/qmp.sock')
qf = q.makefile('rw')
qf.readline()
def qmp(cmd, args=None):
    qf.write(json.dumps({'execute': cmd, 'arguments': args or {}}) + '\n')
    qf.flush()
    while True:
        r = json.loads(qf.readline())
        if 'event' not in r:
            return r
qmp('qmp_capabilities')
for line, want in [('info status', 'VM status: paused (prelaunch)\r\n'),
                   ('cont', ''), ('info status', 'VM status: running\r\n'),
                   ('stop', ''), ('info status', 'VM status: paused\r\n'),
                   ('info name', 'hmpguest\r\n'),
                   ('info uuid', '5b1d2a6e-0c3f-4d2c-9b6a-1f2e3d4c5b6a\r\n'),
                   ('info kvm', 'kvm support: not compiled\r\n'),
                   ('help stop', 'stop|s  -- stop emulation\r\n'),
                   ('help info status', 'info status  -- show the current VM status (running|paused)\r\n'),
                   ('bogus', "unknown command: 'bogus'\r\n"),
                   ('info bogus', "unknown command: 'info bogus'\r\n"),
                   ('stop x', 'stop|s: extraneous characters at the end of line\r\nTry "help stop" for more information\r\n'),
                   ('info status x', 'status: extraneous characters at the end of line\r\nTry "help info status" for more information\r\n'),
                   ('', '')]:
    got = hmp(line)
    check(got == want, 'HMP %r' % line, got)
got = hmp('info cpus')
check(got.startswith('* CPU #0: thread_id=') and '\r\n  CPU #1: thread_id=' in got, 'HMP info cpus', got)
got = hmp('info chardev')
check('c0: filename=null\r\n' in got and 'compat_monitor0: filename=unix:' in got, 'HMP info chardev', got)
got = hmp('info version')
check(got.startswith('7.2.22') and got.endswith('\r\n'), 'HMP info version', got)
got = hmp('help')
check('cont|c  -- resume emulation\r\n' in got and 'info [subcommand] -- ' in got, 'HMP help', got)
h.sendall(b'info stax\x7ftus\r')
got = until_prompt()
check('VM status: paused' in got, 'HMP: backspace edits the line', got)
r = qmp('human-monitor-command', {'command-line': 'info cpus', 'cpu-index': 1})
check(r.get('return', '').startswith('  CPU #0') and '* CPU #1' in r.get('return', ''),
      'human-monitor-command cpu-index marks the current CPU', r)
r = qmp('human-monitor-command', {'command-line': 'info cpus', 'cpu-index': 5})
check(r.get('error', {}).get('desc') == "Parameter 'cpu-index' expects a CPU number",
      'human-monitor-command: a bad cpu-index', r)
for args, cls, desc in [
        ({'driver': 'spapr-vty', 'id': 'v1'}, 'GenericError', "Bus 'spapr-vio' does not support hotplugging"),
        ({'driver': 'nope'}, 'GenericError', "'nope' is not a valid device model name"),
        ({'id': 'x'}, 'GenericError', "Parameter 'driver' is missing")]:
    r = qmp('device_add', args)
    check(r.get('error') == {'class': cls, 'desc': desc}, 'device_add %s' % args, r)
for dev, cls, desc in [('vty0', 'GenericError', "Bus 'spapr-vio' does not support hotplugging"),
                       ('nope', 'DeviceNotFound', "Device 'nope' not found")]:
    r = qmp('device_del', {'id': dev})
    check(r.get('error') == {'class': cls, 'desc': desc}, 'device_del %s' % dev, r)
h.sendall(b'quit\r')
try:
    rc = p.wait(10)
except subprocess.TimeoutExpired:
    p.kill()
    rc = 'still running'
check(rc == 0, 'HMP quit ends the process with status 0', rc)
EOT
checks=0
while read -r word rest; do
    case $word in
    PASS) ok "$rest" ;;
    FAIL) not_ok "$rest" ;;
    *) echo "# $word $rest" ;;
    esac
    case $word in PASS | FAIL) checks=$((checks + 1)) ;; esac
done < <(timeout 60 python3 "$TMP/hmp.py" "$QEMU" "$TMP" 2>&1)
[ "$checks" = 29 ] && ok "the HMP script ran to its end" ||
    not_ok "the HMP script ran to its end" "$checks of 29 checks ran"

tap_done
