#!/bin/bash
# -sandbox (system/sandbox.c): its option errors against QEMU 7.2, a denied system
# call ending the process with a line naming it, and the allowed paths still working.
. "$(dirname "$0")/lib.sh"
need_oracle

# The same exit status and stderr as QEMU 7.2 for a malformed -sandbox.
for arg in foo help on,bogus=1 off,bogus=1 on,spawn=foo on,spawn= on,spawn=Deny \
    on,obsolete=children on,obsolete=foo on,elevateprivileges=foo on,resourcecontrol=foo \
    on,resourcecontrol=children "on,spawn=deny,elevateprivileges=no"; do
    run -M none -nodefaults -display none -sandbox "$arg"
    ours="$RC $ERR"
    QEMU=$ORACLE run -M none -nodefaults -display none -sandbox "$arg"
    theirs="$RC $ERR"
    if [ "$ours" = "$theirs" ] && [ "${ours:0:2}" = "1 " ]; then
        ok "-sandbox $arg: $ERR"
    else
        not_ok "-sandbox $arg: as QEMU 7.2" "ours:   $ours" "oracle: $theirs"
    fi
done

# Accepted forms run: off, the empty string and off given last change nothing; the
# values are only checked when the sandbox is on.
for arg in off "" enable=off on,enable=off off,spawn=foo on on,obsolete=allow \
    on,elevateprivileges=children on,elevateprivileges=allow,spawn=allow,resourcecontrol=allow \
    on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny; do
    qmp_same "-sandbox '$arg'" -M none -nodefaults -sandbox "$arg" <<'EOF'
{"execute": "query-status"}
{"execute": "query-name"}
EOF
done

# qmp_spawn SANDBOX: migrate to exec:cat from a stopped pseries machine under -sandbox
# SANDBOX; prints the exit status, then the process's stderr.
qmp_spawn() {
    python3 - "$1" "$2" "$TMP/stream" <<'PY'
import json, subprocess, sys, time
qemu, sandbox, out = sys.argv[1:4]
p = subprocess.Popen([qemu, '-M', 'pseries', '-nodefaults', '-display', 'none', '-S',
                      '-sandbox', sandbox, '-qmp', 'stdio'],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                     text=True)
cmds = ['{"execute": "qmp_capabilities"}',
        '{"execute": "migrate", "arguments": {"uri": "exec:cat > %s"}}' % out]
# Ask until the migration is over; the process may be gone by then (spawn=deny).
cmds += ['{"execute": "query-migrate"}'] * 3
try:
    for c in cmds:
        p.stdin.write(c + '\n')
        p.stdin.flush()
    end = time.time() + 60
    while time.time() < end:
        line = p.stdout.readline()
        if not line:
            break
        if '"status": "completed"' in line or '"status": "failed"' in line:
            print('migration ' + json.loads(line)['return']['status'])
            break
        if '"status"' in line:
            time.sleep(0.1)
            p.stdin.write('{"execute": "query-migrate"}\n')
            p.stdin.flush()
    p.stdin.write('{"execute": "quit"}\n')
    p.stdin.flush()
except BrokenPipeError:
    pass
try:
    err = p.communicate(timeout=60)[1]
except subprocess.TimeoutExpired:
    p.kill()
    err = p.communicate()[1] + 'timed out'
print(p.returncode)
sys.stdout.write(err)
PY
}

# spawn=deny: the exec: migration's child is never created; the process dies of
# SIGSYS as QEMU 7.2's does, and says which call.
ours=$(qmp_spawn "$QEMU" on,spawn=deny 2>&1)
theirs=$(qmp_spawn "$ORACLE" on,spawn=deny 2>&1)
status=$(printf '%s\n' "$ours" | grep -E '^-?[0-9]+$')
msg=$(printf '%s\n' "$ours" |
    grep -Ec -- '^qemu-system-ppc64: -sandbox: forbidden system call clone \([0-9]+, denied by -sandbox spawn=deny\); terminating$')
if [ "$status" = -31 ] && [ "$msg" = 1 ] && printf '%s\n' "$theirs" | grep -qx -- -31 &&
   [ ! -e "$TMP/stream" ]; then
    ok "spawn=deny: migrate exec: ends the process (SIGSYS) naming clone"
else
    not_ok "spawn=deny: migrate exec: ends the process (SIGSYS) naming clone" \
        "ours: $ours" "oracle: $theirs"
fi
# The same with the sandbox on but spawning allowed: the stream is written.
rm -f "$TMP/stream"
ours=$(qmp_spawn "$QEMU" on,obsolete=deny,elevateprivileges=deny,resourcecontrol=deny 2>&1)
if [ "$(printf '%s\n' "$ours" | head -2 | tr '\n' ' ')" = "migration completed 0 " ] &&
   [ -s "$TMP/stream" ]; then
    ok "spawn allowed: migrate exec: completes under the sandbox"
else
    not_ok "spawn allowed: migrate exec: completes under the sandbox" "$ours"
fi

# elevateprivileges=deny before -daemonize's setsid (QEMU 7.2 fails there too).
run -M none -nodefaults -display none -sandbox on,elevateprivileges=deny -daemonize
if [ "$RC" = 1 ] && printf '%s' "$ERR" | grep -Exq -- 'qemu-system-ppc64: -sandbox: forbidden system call setsid \([0-9]+, denied by -sandbox elevateprivileges=deny\); terminating'; then
    ok "elevateprivileges=deny -daemonize: setsid named, exit 1"
else
    not_ok "elevateprivileges=deny -daemonize: setsid named, exit 1" "exit $RC, stderr: $ERR"
fi
QEMU=$ORACLE run -M none -nodefaults -display none -sandbox on,elevateprivileges=deny -daemonize
if [ "$RC" = 1 ]; then
    ok "QEMU 7.2 also fails there"
else
    not_ok "QEMU 7.2 also fails there" "exit $RC, stderr: $ERR"
fi

tap_done
