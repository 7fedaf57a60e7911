#!/bin/bash
# -icount: the option's errors against QEMU 7.2 (Debian's qemu-system-ppc64), and
# virtual time counted in instructions: the guest program icount prints the
# time-base ticks over fixed loops and the loop round a decrementer interrupt
# stops; two runs print the same, the JIT and the interpreter print the same,
# and shift=3 gives 8 times the ticks (and an eighth of the rounds) of shift=0.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
IMG=$BUILDDIR/tests/guest/icount-be.bin

# same_error ICOUNT [MORE...]: ours and the oracle exit 1 with the same message.
same_error() {
    local want
    want=$(timeout 10 "$ORACLE" -M pseries -vga none -nodefaults -display none -S \
        -icount "$@" </dev/null 2>&1 >/dev/null | grep -v "warning: TCG doesn't support")
    run -M pseries -nodefaults -display none -S -icount "$@"
    if [ "$RC" = 1 ] && [ -n "$want" ] && [ "$ERR" = "$want" ]; then
        ok "-icount $*: $want"
    else
        not_ok "-icount $*: as the oracle" "ours: exit $RC, $ERR" "oracle: $want"
    fi
}

same_error shift=11
same_error shift=-1
same_error shift=x
same_error shift=
same_error shift=08
same_error shift=1e2
same_error shift=3,align=on,sleep=off
same_error align=on
same_error align=off
same_error shift=3,foo=1
same_error shift=3,sleep=maybe
same_error shift=3,rr=record
same_error 3 -accel tcg,thread=multi

# guest ARGS...: the icount program's "icount:" lines (and its verdict) on ours
# ($BIN overrides the binary, with its own options first).
guest() {
    timeout 60 ${BIN:-"$QEMU"} -M pseries -m 1G -nodefaults -nographic -display none -serial stdio \
        -bios "$IMG" "$@" </dev/null 2>"$TMP/gerr" | tr -d '\r' >"$TMP/gout"
    if grep -q "icount-be: [1-9][0-9]* checks, 0 failed" "$TMP/gout"; then
        grep '^icount:' "$TMP/gout"
    else
        echo "FAILED: $(tr '\n' ' ' <"$TMP/gout") $(tr '\n' ' ' <"$TMP/gerr")"
    fi
}

# Accepted forms run the program to its end.
for form in 3 shift=0x3 "shift= 3" shift=auto shift=auto,align=on shift=auto,sleep=off \
    shift=3,align=on shift=3,sleep=off shift=3,align=off,sleep=on sleep=off ""; do
    out=$(guest -icount "$form")
    if printf '%s' "$out" | grep -q '^icount: decrementer 51200'; then
        ok "-icount '$form' runs"
    else
        not_ok "-icount '$form' runs" "$out"
    fi
done

s0a=$(guest -icount shift=0)
s0b=$(guest -icount shift=0)
s0i=$(guest -icount shift=0 -accel tcg,x-jit=off)
s0s=$(guest -icount shift=0 -smp 2)
s3a=$(guest -icount shift=3,sleep=off)
s3b=$(guest -icount shift=3)
# The same program on QEMU 7.2: the bounds below hold for it too.
s0q=$(BIN="$ORACLE -vga none -accel tcg" guest -icount shift=0)
for pair in "s0a s0b two runs, shift=0" "s0a s0i JIT and interpreter, shift=0" \
    "s0a s0s -smp 2 (round-robin), shift=0" "s3a s3b two runs (sleep=off and on), shift=3"; do
    set -- $pair
    a=${!1}
    b=${!2}
    shift 2
    if [ -n "$a" ] && [ "$a" = "$b" ] && ! printf '%s' "$a" | grep -q FAILED; then
        ok "same output: $*"
    else
        not_ok "same output: $*" "$a" "---" "$b"
    fi
done
printf '%s\n' "$s0a" | sed 's/^/# shift=0: /'
printf '%s\n' "$s3a" | sed 's/^/# shift=3: /'
printf '%s\n' "$s0q" | sed 's/^/# QEMU 7.2, shift=0: /'

# The ticks of "loop N" and the rounds of "decrementer D" in a run's lines.
ticks() { printf '%s\n' "$1" | sed -n "s/^icount: loop $2: \([0-9]*\) ticks$/\1/p"; }
rounds() { printf '%s\n' "$1" | sed -n "s/^icount: decrementer $2: \([0-9]*\) rounds.*/\1/p"; }

# 512 MHz time base: 2^shift ns per instruction is 0.512 * 2^shift ticks; a loop
# of n rounds runs 4n instructions and a few more around it (a tick less when
# the start's fraction of a tick is cut off).
for n in 1000 100000; do
    t3=$(ticks "$s3a" $n)
    lo=$((4 * n * 512 / 1000 - 1))
    hi=$(((4 * n + 64) * 512 / 1000 + 1))
    for who in s0a s0q; do
        t=$(ticks "${!who}" $n)
        if [ -n "$t" ] && [ "$t" -ge "$lo" ] && [ "$t" -le "$hi" ]; then
            ok "$who shift=0: loop $n: $t ticks, 4n instructions at 0.512 ticks each"
        else
            not_ok "$who shift=0: loop $n: $t ticks" "wanted $lo..$hi"
        fi
    done
    t0=$(ticks "$s0a" $n)
    if [ -n "$t3" ] && [ "$t3" -ge $((8 * t0 - 8)) ] && [ "$t3" -le $((8 * t0 + 8)) ]; then
        ok "shift=3: loop $n: $t3 ticks = 8 x $t0"
    else
        not_ok "shift=3: loop $n: $t3 ticks, not 8 x $t0"
    fi
done
# A decrementer of d ticks: d / 0.512 / 2^shift instructions, two per round,
# give or take the few instructions between mtdec and the loop (QEMU 7.2 stops
# one round earlier, ours one later: it charges a block before running it).
for d in 5120 51200; do
    r3=$(rounds "$s3a" $d)
    want0=$((d * 1000 / 512 / 2))
    want3=$((d * 1000 / 512 / 8 / 2))
    for who in s0a s0q; do
        r=$(rounds "${!who}" $d)
        if [ -n "$r" ] && [ "$r" -ge $((want0 - 4)) ] && [ "$r" -le $((want0 + 4)) ]; then
            ok "$who shift=0: decrementer $d after $r rounds (about $want0)"
        else
            not_ok "$who shift=0: decrementer $d after $r rounds" "wanted about $want0"
        fi
    done
    if [ -n "$r3" ] && [ "$r3" -ge $((want3 - 4)) ] && [ "$r3" -le $((want3 + 4)) ]; then
        ok "shift=3: decrementer $d after $r3 rounds (about $want3)"
    else
        not_ok "shift=3: decrementer $d after $r3 rounds" "wanted about $want3"
    fi
done

tap_done
