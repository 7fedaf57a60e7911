# Helpers for the command-line tests: TAP output and checks on the binary.
# Source it; $QEMU is the binary under test.

tap_n=0
tap_failed=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The interpreter behind python3, found once: a version manager's shim (pyenv's is a
# shell script that runs several programs) costs ten times the interpreter's own
# start-up at every call, and the helpers below start one for each session. A link
# first on PATH, not a shell function: `python3 ... &` must leave $! the
# interpreter's pid (a function in the background is a subshell, and killing it
# leaves the interpreter running).
PYTHON3=$(command python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PYTHON3=
if [ -n "$PYTHON3" ] && [ "$PYTHON3" != "$(command -v python3)" ]; then
    mkdir -p "$TMP/bin" && ln -s "$PYTHON3" "$TMP/bin/python3" && PATH=$TMP/bin:$PATH
fi

ok() {
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - $1"
}

not_ok() {
    tap_n=$((tap_n + 1))
    tap_failed=$((tap_failed + 1))
    echo "not ok $tap_n - $1"
    shift
    # Diagnostics are TAP comments: every line prefixed, carriage returns dropped.
    printf '%s\n' "$@" | tr -d '\r' | sed 's/^/# /'
}

# fdt_prop TYPE NODE NAME EXPECTED: `fdtget -t TYPE` of the tree in $DTB must print EXPECTED.
fdt_prop() {
    local got
    got=$(fdtget -t "$1" "$DTB" "$2" "$3" 2>&1)
    if [ "$got" = "$4" ]; then
        ok "$2 $3 = $4"
    else
        not_ok "$2 $3 = $4" "got: $got"
    fi
}

# run ARGS...: run the binary (10 s at most, no stdin); sets RC, OUT, ERR.
run() {
    timeout 10 "$QEMU" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
}

# expect_error "PATTERN" ARGS...: exit 1, exactly one stderr line, starting
# with the program name and matching the extended regex PATTERN.
expect_error() {
    local pattern=$1
    shift
    run "$@"
    local lines
    lines=$(printf '%s' "$ERR" | grep -c '')
    if [ "$RC" = 1 ] && [ "$lines" = 1 ] &&
       printf '%s' "$ERR" | grep -Eq "^qemu-system-ppc64: " &&
       printf '%s' "$ERR" | grep -Eq -- "$pattern"; then
        ok "error: $*"
    else
        not_ok "error: $*" "exit $RC, stderr: $ERR" "wanted one line matching: $pattern"
    fi
}

# expect_size_error "PATTERN" ARGS...: as expect_error, followed by the two hint
# lines QEMU 7.2 prints after a size it cannot read.
expect_size_error() {
    local pattern=$1 hint
    shift
    run "$@"
    hint="Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-
and exabytes, respectively."
    if [ "$RC" = 1 ] && [ "$(printf '%s' "$ERR" | grep -c '')" = 3 ] &&
       printf '%s' "$ERR" | head -n 1 | grep -Eq -- "^qemu-system-ppc64: .*$pattern" &&
       [ "$(printf '%s' "$ERR" | tail -n 2)" = "$hint" ]; then
        ok "error: $*"
    else
        not_ok "error: $*" "exit $RC, stderr: $ERR" "wanted a line matching: $pattern, then the size hint"
    fi
}

# expect_error_at_reset "PATTERN" ARGS...: an error found at machine reset, as
# QEMU 7.2 finds the capability errors: exit 1, stderr the TCG capability
# warnings of that reset (test-tcg-caps.sh checks which, against QEMU 7.2),
# then one line starting with the program name and matching PATTERN, then at
# most QEMU's hint line ("Try ...").
expect_error_at_reset() {
    local pattern=$1 rest
    shift
    run "$@"
    rest=$(printf '%s\n' "$ERR" |
        grep -Ev "^qemu-system-ppc64: warning: TCG doesn't support requested feature, cap-(cfpc|sbbc|ibs|ccf-assist)=[a-z-]+$" |
        grep -v '^Try ')
    if [ "$RC" = 1 ] && [ "$(printf '%s' "$rest" | grep -c '')" = 1 ] &&
       printf '%s' "$rest" | grep -Eq "^qemu-system-ppc64: " &&
       printf '%s' "$rest" | grep -Eq -- "$pattern" &&
       [ "$(printf '%s\n' "$ERR" | tail -n +2 | grep -c '^Try ')" -le 1 ]; then
        ok "error at reset: $*"
    else
        not_ok "error at reset: $*" "exit $RC, stderr: $ERR" "wanted, after the TCG warnings: $pattern"
    fi
}

# oracle_stderr ARGS...: QEMU 7.2's stderr for ARGS (with -nodefaults -S
# -display none, which it needs to start here), its exit status dropped.
oracle_stderr() {
    timeout 20 /usr/bin/qemu-system-ppc64 -nodefaults -S -display none "$@" </dev/null 2>&1 >/dev/null
}

# expect_exit0 "PATTERN" ARGS...: exit 0 and stdout matching PATTERN.
expect_exit0() {
    local pattern=$1
    shift
    run "$@"
    if [ "$RC" = 0 ] && printf '%s' "$OUT" | grep -Eq -- "$pattern"; then
        ok "exit 0: $*"
    else
        not_ok "exit 0: $*" "exit $RC, stdout: ${OUT:0:300}" "stderr: $ERR"
    fi
}

# expect_stderr "TEXT" ARGS...: exit 1 and stderr exactly TEXT (which may span
# lines, as QEMU's error-and-hint pairs do), nothing on stdout.
expect_stderr() {
    local want=$1
    shift
    run "$@"
    if [ "$RC" = 1 ] && [ "$ERR" = "$want" ] && [ -z "$OUT" ]; then
        ok "stderr: $*"
    else
        not_ok "stderr: $*" "exit $RC, stderr: $ERR" "wanted: $want"
    fi
}

# qmp_session BINARY ARGS...: the QMP commands on stdin (one JSON object a line) sent
# in order to BINARY ARGS -S -display none -qmp stdio; prints each reply and event
# on a line (keys sorted, time stamps dropped, SHUTDOWN left out).
qmp_session() {
    python3 - "$@" 3<&0 <<'PY'
import json, os, subprocess, sys
cmds = [l for l in os.fdopen(3).read().splitlines() if l.strip()]
text = "".join(c + "\n" for c in ['{"execute": "qmp_capabilities"}'] + cmds +
               ['{"execute": "quit"}'])
try:
    p = subprocess.run(sys.argv[1:] + ["-S", "-display", "none", "-qmp", "stdio"], input=text,
                       capture_output=True, text=True, timeout=120)
except subprocess.TimeoutExpired:
    sys.exit("no answer within 120 s")
sys.stderr.write(p.stderr)
for line in p.stdout.splitlines()[2:]:
    try:
        msg = json.loads(line)
    except ValueError:
        print("not JSON: " + line)
        continue
    if msg.get("event") == "SHUTDOWN":
        continue
    msg.pop("timestamp", None)
    print(json.dumps(msg, sort_keys=True))
PY
}

# same_lines NAME: $TMP/ours has the lines $TMP/theirs (QEMU 7.2's) has, one TAP
# line per line; $TMP/ours-err is shown with a difference.
same_lines() {
    local name=$1 n=0 got want
    while IFS= read -r want; do
        n=$((n + 1))
        got=$(sed -n "${n}p" "$TMP/ours")
        if [ "$got" = "$want" ]; then
            ok "$name $n: ${want:0:150}"
        else
            not_ok "$name $n: as QEMU 7.2" "ours:   $got" "oracle: $want" \
                "our stderr: $(cat "$TMP/ours-err" 2>/dev/null)"
        fi
    done <"$TMP/theirs"
    if [ "$(wc -l <"$TMP/ours")" != "$(wc -l <"$TMP/theirs")" ]; then
        not_ok "$name: as many lines as QEMU 7.2" "$(diff "$TMP/ours" "$TMP/theirs")"
    fi
}

# qmp_same NAME ARGS...: the QMP session on stdin gives the same lines on $QEMU and
# on QEMU 7.2 ($ORACLE, with -vga none); one TAP line per reply or event. With
# QMP_SAME_FILTER set, both sides' lines go through that command first.
qmp_same() {
    local name=$1
    shift
    cat >"$TMP/cmds"
    qmp_session "$QEMU" "$@" <"$TMP/cmds" 2>"$TMP/ours-err" | ${QMP_SAME_FILTER:-cat} >"$TMP/ours"
    qmp_session "${ORACLE:-/usr/bin/qemu-system-ppc64}" -vga none "$@" <"$TMP/cmds" \
        2>"$TMP/theirs-err" | ${QMP_SAME_FILTER:-cat} >"$TMP/theirs"
    if [ ! -s "$TMP/theirs" ]; then
        not_ok "$name: the oracle ran" "$(cat "$TMP/theirs-err")"
        return
    fi
    same_lines "$name"
}

# qmp_sock_session BINARY ARGS...: like qmp_session, but QMP is on a unix socket
# (stdin and stdout stay free for mon:stdio, -nographic); stdin is /dev/null for
# BINARY.  Prints each reply on a line (events dropped), the socket's path as SOCK.
qmp_sock_session() {
    python3 - "$TMP/qmp-$$-$RANDOM.sock" "$@" 3<&0 <<'PY'
import json, os, socket, subprocess, sys, time
path, argv = sys.argv[1], sys.argv[2:]
cmds = [l for l in os.fdopen(3).read().splitlines() if l.strip()]
p = subprocess.Popen(argv + ["-S", "-display", "none", "-qmp", "unix:%s,server=on,wait=off" % path],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
s = None
for _ in range(2400):
    if p.poll() is not None:
        sys.exit("exited %d: %s" % (p.returncode, p.stderr.read().decode()))
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(path)
        break
    except OSError:
        s.close()
        s = None
        time.sleep(0.05)
if s is None:
    p.kill()
    sys.exit("no QMP socket")
r = s.makefile("rb")
r.readline()
for c in ['{"execute": "qmp_capabilities"}'] + cmds + ['{"execute": "quit"}']:
    s.sendall(c.encode() + b"\n")
    while True:
        line = r.readline()
        if not line:
            sys.exit("connection closed after " + c)
        m = json.loads(line)
        if "event" not in m:
            break
    if c not in ('{"execute": "qmp_capabilities"}', '{"execute": "quit"}'):
        print(json.dumps(m, sort_keys=True).replace(path, "SOCK"))
p.wait(60)
PY
}

# qmp_sock_same NAME ARGS...: the QMP session on stdin gives the same replies on
# $QEMU and on QEMU 7.2 ($ORACLE, with -vga none), QMP on a unix socket; one TAP
# line per reply.
qmp_sock_same() {
    local name=$1
    shift
    cat >"$TMP/cmds"
    qmp_sock_session "$QEMU" "$@" <"$TMP/cmds" >"$TMP/ours" 2>"$TMP/ours-err"
    qmp_sock_session "${ORACLE:-/usr/bin/qemu-system-ppc64}" -vga none "$@" <"$TMP/cmds" \
        >"$TMP/theirs" 2>"$TMP/theirs-err"
    if [ ! -s "$TMP/theirs" ]; then
        not_ok "$name: the oracle ran" "$(cat "$TMP/theirs-err")"
        return
    fi
    same_lines "$name"
}

# need_oracle: ORACLE is Debian's QEMU 7.2; without it, one failure and the end.
need_oracle() {
    ORACLE=/usr/bin/qemu-system-ppc64
    if [ ! -x "$ORACLE" ]; then
        not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
        tap_done
        exit
    fi
}

# chardev_norm: a QMP_SAME_FILTER for chardev replies.  QEMU lists chardevs in
# hash order, so query-chardev's list and info chardev's lines are sorted; pty
# numbers and the test's $TMP are masked.
chardev_norm() {
    python3 -c '
import json, re, sys
for line in sys.stdin:
    line = re.sub(r"/dev/pts/[0-9]+", "/dev/pts/N", line.replace(sys.argv[1], "TMP"))
    m = json.loads(line)
    r = m.get("return")
    if isinstance(r, list):
        m["return"] = sorted(r, key=lambda e: e.get("label", ""))
    elif isinstance(r, str) and ": filename=" in r:
        m["return"] = "".join(sorted(r.splitlines(True)))
    print(json.dumps(m, sort_keys=True))
' "$TMP"
}

tap_done() {
    echo "1..$tap_n"
    [ "$tap_failed" = 0 ]
}
