#!/bin/bash
# The GDB stub with Debian's gdb-multiarch as the client, in batch mode, against
# gdb-guest (both byte orders): registers (GPR, FPR, VSX, VR, SPR) read and written,
# breakpoints, stepping, a watchpoint, memory by effective address with the radix MMU
# on, Ctrl-C, detach and kill; the same session against Debian's QEMU 7.2 (the
# oracle) must print the same.  Also the -gdb option's errors.
# Environment: QEMU (ours), GDB_GUEST_DIR (the images), ORACLE (default
# /usr/bin/qemu-system-ppc64; empty: no comparison).
set -u
. "$SRCDIR/tests/cli/lib.sh"

GDB=${GDB:-gdb-multiarch}
ORACLE=${ORACLE-/usr/bin/qemu-system-ppc64}
# QEMU 7.2 warns about these caps under TCG; off, its stderr stays clean.
ORACLE_CAPS=cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off

if ! command -v "$GDB" >/dev/null; then
    not_ok "gdb-multiarch is installed (scripts/install-deps.sh installs it)"
    tap_done
    exit 1
fi

# start_qemu BINARY IMAGE [OPTIONS...]: start stopped (-S) with a GDB server on a
# free port; sets PORT and QPID, the console goes to $TMP/console.
start_qemu() {
    local bin=$1 image=$2 machine=pseries
    shift 2
    [ "$bin" = "$ORACLE" ] && machine="pseries,$ORACLE_CAPS"
    for _ in 1 2 3 4 5 6 7 8; do
        PORT=$((20000 + RANDOM % 20000))
        rm -f "$TMP/qerr"
        "$bin" -M "$machine" -m 1G -nodefaults -nographic -display none -vga none \
            -serial "file:$TMP/console" -S -gdb "tcp:127.0.0.1:$PORT" -bios "$image" "$@" \
            </dev/null >"$TMP/qout" 2>"$TMP/qerr" &
        QPID=$!
        for _ in $(seq 50); do
            if ! kill -0 "$QPID" 2>/dev/null; then
                break
            fi
            if (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
                return 0
            fi
            sleep 0.1
        done
        kill "$QPID" 2>/dev/null
        wait "$QPID" 2>/dev/null
    done
    return 1
}

# wait_qemu SECONDS: wait for QEMU to end; sets QRC (124: it did not).
wait_qemu() {
    local i
    for ((i = 0; i < $1 * 10; i++)); do
        if ! kill -0 "$QPID" 2>/dev/null; then
            wait "$QPID"
            QRC=$?
            return
        fi
        sleep 0.1
    done
    kill "$QPID" 2>/dev/null
    wait "$QPID" 2>/dev/null
    QRC=124
}

# run_gdb ELF OUT [-ex CMD]...: a batch session; a command "INTERRUPT" is replaced
# by a continue that is interrupted (SIGINT to GDB, which sends Ctrl-C) after 1 s.
run_gdb() {
    local elf=$1 out=$2
    shift 2
    local args=(-q -batch -nx -ex "set confirm off" -ex "set pagination off"
        -ex "file $elf" -ex "target remote 127.0.0.1:$PORT")
    local interrupt=0
    while [ $# -gt 0 ]; do
        if [ "$2" = INTERRUPT ]; then
            args+=(-ex continue)
            interrupt=1
        else
            args+=("$1" "$2")
        fi
        shift 2
    done
    timeout -k 5 60 "$GDB" "${args[@]}" >"$out" 2>&1 &
    local gpid=$!
    if [ $interrupt = 1 ]; then
        # gdb-multiarch is the child of timeout; SIGINT it once the guest spins.
        for _ in $(seq 100); do
            grep -q "spinning" "$TMP/console" 2>/dev/null && break
            sleep 0.1
        done
        sleep 1
        pkill -INT -P "$gpid" -x "$(basename "$GDB")"
    fi
    wait "$gpid"
}

# The session: everything it prints is deterministic except where Ctrl-C lands.
# "show LABEL EXPR" prints "LABEL: $N = VALUE".
SESSION=()
cmd() { SESSION+=(-ex "$1"); }
show() { SESSION+=(-ex "echo $1:\\040" -ex "p${3-} $2"); }
show entry-pc '$pc' /x
cmd "break gdb_regs_ready"
cmd continue
show f1 '$f1'
show vs1 '$vs1.uint128' /x
show vr2 '$vr2.uint128' /x
show vr2-words '$vr2.v4_int32' /x
show msr-sf-se '$msr & 0x8000000000000400' /x
show pvr '$pvr' /x
show cr-xer '$cr == ($cr & 0xffffffff) && $xer == ($xer & 0xffffffff)'
cmd 'set var $f2 = 2.25'
cmd 'set var $vs3.uint128 = 0xfeedface'
cmd 'set var $r20 = 0x1234'
cmd 'set var $ctr = 77'
show f2 '$f2'
show vs3 '$vs3.uint128' /x
show r20 '$r20' /x
show ctr '$ctr'
show values-1 'gdb_values[1]' /x
cmd "x/4gx gdb_values"
cmd delete
cmd "break gdb_marker"
cmd continue
show first-n n
cmd continue
show second-n n
cmd delete
cmd 'set $before = $pc'
cmd stepi
show stepi-1 '$pc - $before' /x
cmd stepi
show stepi-2 '$pc - $before' /x
cmd finish
cmd "watch gdb_watched"
cmd continue
cmd delete
cmd "break gdb_marker"
cmd continue
show mmu-n n
show msr-ir-dr '$msr & 0x30' /x
cmd "x/gx 0x80000000"
show alias '*(long *)0x80000000' /x
cmd delete
cmd "set var *(long *)0x80000008 = 0x77"
cmd "x/gx 0x2400008"
cmd INTERRUPT
show spun 'gdb_counter > 106'
cmd "info threads"
cmd "set var gdb_release = 1"
cmd detach

# Lines that depend on where Ctrl-C stopped the loop: the address goes.
normalise() {
    sed -E -e 's/0x[0-9a-f]+ in main/ADDR in main/' -e '/^[0-9]+\s+in .*gdb-guest.c/d' \
        -e 's/^\* 1    Thread .*/* 1    Thread 1 (the vCPU)/' "$1"
}

for endian in be le; do
    elf=$GDB_GUEST_DIR/gdb-guest-$endian.elf
    bin=$GDB_GUEST_DIR/gdb-guest-$endian.bin
    for impl in ours oracle; do
        [ $impl = oracle ] && [ -z "$ORACLE" ] && continue
        q=$QEMU
        [ $impl = oracle ] && q=$ORACLE
        rm -f "$TMP/console"
        if ! start_qemu "$q" "$bin"; then
            not_ok "$endian $impl: the GDB server listens" "$(cat "$TMP/qerr")"
            continue
        fi
        run_gdb "$elf" "$TMP/gdb-$impl" "${SESSION[@]}"
        wait_qemu 20
        out=$(cat "$TMP/gdb-$impl")
        console=$(cat "$TMP/console")
        if [ $impl = oracle ]; then
            normalise "$TMP/gdb-ours-$endian" >"$TMP/a"
            normalise "$TMP/gdb-oracle" >"$TMP/b"
            if diff -u "$TMP/b" "$TMP/a" >"$TMP/diff"; then
                ok "$endian: the session prints what it prints against QEMU 7.2"
            else
                not_ok "$endian: the session prints what it prints against QEMU 7.2" \
                    "$(cat "$TMP/diff")"
            fi
            continue
        fi
        cp "$TMP/gdb-ours" "$TMP/gdb-ours-$endian"
        check() {
            if printf '%s\n' "$out" | grep -Eq -- "$2"; then
                ok "$endian: $1"
            else
                not_ok "$endian: $1" "wanted: $2" "gdb said:" "$out"
            fi
        }
        # Registers come in the byte order of the moment: at the entry point MSR[LE]
        # is 0, so a little-endian GDB sees 0x100 byte-swapped (as with QEMU 7.2).
        entry=0x100
        [ $endian = le ] && entry=0x1000000000000
        check "stopped at the entry point (-S)" "^entry-pc: \\\$[0-9]+ = $entry\$"
        check "breakpoint in gdb_regs_ready" '^Breakpoint 1, gdb_regs_ready'
        check "FPR f1" '^f1: \$[0-9]+ = 1\.5$'
        check "VSR vs1 (f1 and vs1h)" '^vs1: \$[0-9]+ = 0x3ff80000000000000123456789abcdef$'
        check "VR vr2 as 128 bits" '^vr2: \$[0-9]+ = 0x112233445566778899aabbccddeeff$'
        check "MSR: SF set, SE clear" '^msr-sf-se: \$[0-9]+ = 0x8000000000000000$'
        check "the PVR (SPR feature)" '^pvr: \$[0-9]+ = 0x4e1200$'
        check "CR and XER are 32 bits" '^cr-xer: \$[0-9]+ = 1$'
        check "FPR written" '^f2: \$[0-9]+ = 2\.25$'
        check "VSR written" '^vs3: \$[0-9]+ = 0xfeedface$'
        check "GPR written" '^r20: \$[0-9]+ = 0x1234$'
        check "CTR written" '^ctr: \$[0-9]+ = 77$'
        check "memory read by symbol" '^values-1: \$[0-9]+ = 0x123456789abcdef$'
        check "breakpoint hit, argument read" '^first-n: \$[0-9]+ = 1$'
        check "breakpoint hit again" '^second-n: \$[0-9]+ = 2$'
        check "stepi advances by one instruction" '^stepi-1: \$[0-9]+ = 0x4$'
        check "second stepi" '^stepi-2: \$[0-9]+ = 0x8$'
        check "watchpoint on a store" 'New value = 23130'
        check "breakpoint with the MMU on" '^mmu-n: \$[0-9]+ = 100$'
        check "IR and DR on" '^msr-ir-dr: \$[0-9]+ = 0x30$'
        check "memory by effective address (radix)" '^alias: \$[0-9]+ = 0xfeedfacecafebeef$'
        check "memory write by effective address" '0x2400008:\s+0x0*77$'
        check "Ctrl-C stops the running guest" 'SIGINT'
        check "the guest ran until interrupted" '^spun: \$[0-9]+ = 1$'
        check "one thread per vCPU" '^\* 1 +Thread '
        check "detach" '^\[Inferior 1 \(process 1\) detached\]$'
        if [ "$QRC" = 0 ] &&
           printf '%s\n' "$console" | grep -q 'f2 0x4002000000000000 vs3h 0x00000000feedface' &&
           printf '%s\n' "$console" | grep -q 'counter 6 watched 0x5a5a' &&
           printf '%s\n' "$console" | grep -q 'gdb-guest: released'; then
            ok "$endian: the guest saw the registers written and ran on after detach"
        else
            not_ok "$endian: the guest saw the registers written and ran on after detach" \
                "exit $QRC" "console: $console" "stderr: $(cat "$TMP/qerr")"
        fi
    done
done

# kill: QEMU ends at once, status 0, with its message.
if start_qemu "$QEMU" "$GDB_GUEST_DIR/gdb-guest-le.bin"; then
    run_gdb "$GDB_GUEST_DIR/gdb-guest-le.elf" "$TMP/gdb-kill" -ex "break gdb_marker" \
        -ex "continue" -ex "kill"
    wait_qemu 10
    if [ "$QRC" = 0 ] && grep -q "^qemu-system-ppc64: QEMU: Terminated via GDBstub$" "$TMP/qerr"; then
        ok "kill ends QEMU with status 0"
    else
        not_ok "kill ends QEMU with status 0" "exit $QRC" "$(cat "$TMP/qerr")" "$(cat "$TMP/gdb-kill")"
    fi
else
    not_ok "kill: the GDB server listens" "$(cat "$TMP/qerr")"
fi

# The option's errors, as QEMU 7.2 words them.
expect_stderr "qemu-system-ppc64: -gdb: requires an argument" -gdb
expect_error_at_reset "^qemu-system-ppc64: -gdb foo: 'foo' is not a valid char driver$" \
    -M pseries -S -gdb foo
expect_error_at_reset "^qemu-system-ppc64: -gdb unix:$TMP/no/such: Failed to connect to '$TMP/no/such'" \
    -M pseries -S -gdb "unix:$TMP/no/such"

tap_done
