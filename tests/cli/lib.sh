# Helpers for the command-line tests: TAP output and checks on the binary.
# Source it; $QEMU is the binary under test.

tap_n=0
tap_failed=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

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

tap_done() {
    echo "1..$tap_n"
    [ "$tap_failed" = 0 ]
}
