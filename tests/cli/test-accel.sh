#!/bin/bash
# The accelerator choice (system/vl.c) against QEMU 7.2 on a host without KVM
# for ppc64: -accel kvm, -enable-kvm and -machine accel=kvm fail with QEMU's
# messages and exit 1; accel=kvm:tcg and -accel kvm -accel tcg fall back to
# TCG; -accel and accel= together are refused.
. "$(dirname "$0")/lib.sh"
need_oracle

case "$(uname -m)" in
ppc64*)
    # A POWER host's build has KVM: these cases describe the others.
    echo "1..0 # SKIP the binary has KVM on a ppc64 host (docs/system/ppc-kvm.rst)"
    exit 0 ;;
esac

# accel BINARY ARGS...: stderr (QEMU's TCG capability warnings dropped) and
# the exit status of a machine that is built, its tree written, and exit 0.
accel() {
    local q=$1
    shift
    timeout 20 "$q" -M pseries,dumpdtb="$TMP/t.dtb" -display none -nodefaults "$@" \
        </dev/null >/dev/null 2>"$TMP/err"
    local rc=$?
    grep -v "TCG doesn't support requested feature" "$TMP/err"
    echo "exit $rc"
}

while IFS= read -r args; do
    # shellcheck disable=SC2086
    ours=$(accel "$QEMU" $args)
    # shellcheck disable=SC2086
    theirs=$(accel "$ORACLE" $args)
    if [ "$ours" = "$theirs" ]; then
        ok "$args: as QEMU 7.2 ($(echo "$theirs" | tr '\n' ' '))"
    else
        not_ok "$args: as QEMU 7.2" "ours:" "$ours" "QEMU 7.2:" "$theirs"
    fi
done <<'CASES'
-accel kvm
-enable-kvm
-machine accel=kvm
-machine accel=kvm:tcg
-machine accel=tcg:kvm
-machine accel=kvm:kvm
-machine accel=kvm:tcg:tcg
-machine accel=:tcg
-machine accel=
-machine accel=hvf:tcg
-machine accel=xen
-machine accel=foo
-machine accel=kvm:foo
-machine accel=tcg,accel=kvm
-machine accel=kvm,accel=tcg
-machine accel=kvm -enable-kvm
-machine accel=tcg -enable-kvm
-enable-kvm -machine accel=tcg
-accel kvm -accel tcg
-accel tcg -accel kvm
-accel kvm -accel kvm
-accel kvm,kernel-irqchip=on
-accel kvm,foo=bar
-accel kvm,thread=single
-accel kvm -accel tcg,thread=bogus
-accel kvm -accel tcg,foo=1
-accel tcg,thread=bogus -accel kvm
-accel hvf
-accel whpx
-accel xen
-accel foo
-accel kvm -machine accel=tcg
-accel kvm -enable-kvm
-enable-kvm -accel tcg
-machine accel= -accel tcg
-accel kvm -machine accel=
-accel tcg -accel tcg
-machine accel=tcg:tcg
-accel kvm -qtest null
-machine accel=kvm -qtest null
-accel kvm -cpu foo
-accel kvm -bogus
CASES

# The list: QEMU 7.2's has only tcg (Debian builds no qtest accelerator);
# ours adds qtest, and neither has kvm.
run -accel help
if [ "$RC" = 0 ] && [ "$(printf '%s' "$OUT" | head -2)" = "Accelerators supported in QEMU binary:
tcg" ] && ! printf '%s' "$OUT" | grep -qx kvm; then
    ok "-accel help: tcg listed, kvm not"
else
    not_ok "-accel help: tcg listed, kvm not" "exit $RC" "$OUT"
fi
# Ours: x-jit-after=N (compile a block at its Nth run) takes 1 to 65536; anything else is
# refused in one line.
for bad in 0 -1 65537 8x '' ' 8' 0x10 99999999999999999999; do
    expect_error "^qemu-system-ppc64: -accel tcg,x-jit-after=$bad: Parameter 'x-jit-after' expects a number of runs from 1 to 65536$" \
        -M pseries -display none -nodefaults -accel "tcg,x-jit-after=$bad"
done
for good in 1 8 65536; do
    run -M pseries,dumpdtb="$TMP/t.dtb" -display none -nodefaults -accel "tcg,x-jit-after=$good"
    [ "$RC" = 0 ] && ok "-accel tcg,x-jit-after=$good accepted" ||
        not_ok "-accel tcg,x-jit-after=$good accepted" "exit $RC" "$ERR"
done
run -accel thread=single
[ "$RC" = 0 ] && printf '%s' "$OUT" | grep -qx tcg && ok "-accel without a name lists them, as QEMU 7.2" ||
    not_ok "-accel without a name lists them" "exit $RC" "$OUT" "$ERR"

tap_done
