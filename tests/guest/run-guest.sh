#!/bin/bash
# Run one guest test image on a pseries machine and check how it ended; prints TAP.
# Usage: run-guest.sh QEMU IMAGE NAME [pass|fail]
#   NAME is the image's name as its summary line prints it ("arith-be").
#   pass: exit status 0, summary "NAME: N checks, 0 failed" (N > 0), no os-term.
#   fail: the CHECK failure is reported, and the machine ends through ibm,os-term
#         (QEMU 7.2's default panic action powers off: status 0, not a timeout).
# Environment: GUEST_QEMU overrides QEMU; GUEST_ORACLE=1 means QEMU is Debian's
# QEMU (adds -accel tcg and -name guest-oracle); GUEST_TIMEOUT is the time limit in seconds (default 20;
# GUEST_TIMEOUT_SCALE multiplies it);
# GUEST_EXTRA holds more options for ours (e.g. "-accel tcg,x-jit=off": the interpreter);
# ours compiles blocks when translated (x-jit-after=1 is added to its -accel).
# GUEST_MACHINE holds machine properties appended to -M pseries, for ours AND the oracle
# (e.g. "cap-hpt-max-page-size=16M"); GUEST_ARGS more options for both (e.g. "-smp 4"). GUEST_EXPECT_LINE, an extended regex, adds a check
# that a line of the guest's output matches it (a program saying what it found).
# GUEST_INPUT is typed on the console once the guest prints a line matching
# GUEST_INPUT_AFTER (an extended regex); stdin stays open until the guest ends.
set -u

qemu=${GUEST_QEMU:-$1}
image=$2
name=$3
expect=${4:-pass}
limit=${GUEST_TIMEOUT:-20}
# GUEST_TIMEOUT_SCALE multiplies it (slow builds: make check-tsan).
limit=$((limit * ${GUEST_TIMEOUT_SCALE:-1}))
extra=()
if [ "${GUEST_ORACLE:-0}" = 1 ]; then
    # The program can tell (guest_oracle()), for QEMU's known departures.
    extra=(-accel tcg -name guest-oracle)
fi
# GUEST_ARGS first: an option in GUEST_EXTRA given again (-smp) overrides it on ours.
if [ -n "${GUEST_ARGS:-}" ]; then
    read -ra both <<<"$GUEST_ARGS"
    extra+=("${both[@]}")
fi
if [ -n "${GUEST_EXTRA:-}" ] && [ "${GUEST_ORACLE:-0}" != 1 ]; then
    read -ra more <<<"$GUEST_EXTRA"
    extra+=("${more[@]}")
fi

# Ours compiles every block when it is translated (-accel tcg,x-jit-after=1), not at its
# 8th run as by default: these programs test the JIT on all their code, and the
# interpreter where GUEST_EXTRA says x-jit=off.
if [ "${GUEST_ORACLE:-0}" != 1 ]; then
    accel_given=0
    for i in "${!extra[@]}"; do
        if [ "${extra[$i]}" = -accel ] && [ $((i + 1)) -lt ${#extra[@]} ]; then
            case "${extra[$((i + 1))]}" in
            tcg,*x-jit-after=*) ;;
            tcg | tcg,*) extra[i + 1]+=",x-jit-after=1" ;;
            esac
            accel_given=1
        fi
    done
    if [ "$accel_given" = 0 ]; then
        extra+=(-accel tcg,x-jit-after=1)
    fi
fi

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

machine=pseries
if [ -n "${GUEST_MACHINE:-}" ]; then
    machine+=",$GUEST_MACHINE"
fi

run_qemu() {
    timeout -k 5 "$limit" "$qemu" -M "$machine" -m 1G -nodefaults -nographic -display none \
        -serial stdio "${extra[@]}" -bios "$image" >"$out" 2>"$err"
}

if [ -z "${GUEST_INPUT:-}" ]; then
    run_qemu </dev/null
    status=$?
else
    # The console reads a fifo the script writes once the guest is ready.
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    trap 'rm -f "$out" "$err" "$fifo"' EXIT
    run_qemu <"$fifo" &
    pid=$!
    exec 3>"$fifo"
    while kill -0 "$pid" 2>/dev/null && ! grep -Eq "${GUEST_INPUT_AFTER:-.}" "$out"; do
        sleep 0.1
    done
    printf '%s' "$GUEST_INPUT" >&3
    wait "$pid"
    status=$?
    exec 3>&-
fi

n=0
fails=0
report() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n - $name: $2"
    else
        echo "not ok $n - $name: $2"
        fails=$((fails + 1))
    fi
}
has_line() {
    grep -Eq "$1" "$out"
    echo $?
}
has_text() {
    grep -Fq "$1" "$err"
    echo $?
}

if [ "$expect" = pass ]; then
    if [ -n "${GUEST_EXPECT_LINE:-}" ]; then
        echo "1..4"
    else
        echo "1..3"
    fi
    report "$([ "$status" = 0 ]; echo $?)" "exit status 0 (got $status)"
    report "$(has_line "^$name: [1-9][0-9]* checks, 0 failed\$")" "summary line with 0 failed"
    report "$([ "$(has_text "OS terminated")" != 0 ]; echo $?)" "no ibm,os-term"
    if [ -n "${GUEST_EXPECT_LINE:-}" ]; then
        report "$(has_line "$GUEST_EXPECT_LINE")" "a line matching $GUEST_EXPECT_LINE"
    fi
else
    echo "1..4"
    report "$(has_line "^FAIL [a-z0-9_]+\.c:[0-9]+: CHECK")" "the false CHECK is reported"
    report "$(has_line "^$name: [1-9][0-9]* checks, [1-9][0-9]* failed\$")" \
        "summary line counts the failure"
    report "$(has_text "OS terminated: $name: checks failed")" "ends through ibm,os-term"
    # The default panic action (shutdown) powers off with status 0, as QEMU 7.2's.
    report "$([ "$status" = 0 ]; echo $?)" "powered off by the panic, status 0 (got $status)"
fi

if [ "$fails" != 0 ]; then
    echo "# exit status $status; guest output:"
    sed 's/^/# /' "$out"
    echo "# stderr:"
    sed 's/^/# /' "$err"
fi
exit 0
