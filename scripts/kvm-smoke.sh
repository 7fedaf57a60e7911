#!/bin/sh
# Smoke test of KVM on a POWER host (docs/system/ppc-kvm.rst): boot the
# functional suite's Linux guest with -accel kvm, check that /init ran its
# checks and powered off, then boot it under TCG; print both times.
# Usage: scripts/kvm-smoke.sh [QEMU] [BUILD_DIR]
set -u
cd "$(dirname "$0")/.."
qemu=${1:-build/qemu-system-ppc64}
build=${2:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

fail() {
    echo "kvm-smoke: FAIL: $*"
    exit 1
}

case "$(uname -m)" in
ppc64*) ;;
*) fail "this host is $(uname -m); KVM runs pseries guests only on a ppc64 host" ;;
esac
[ -r /dev/kvm ] && [ -w /dev/kvm ] ||
    fail "/dev/kvm missing or not readable and writable (modprobe kvm_hv or kvm_pr; the kvm group)"
[ -x "$qemu" ] || fail "$qemu is not built (./configure && ninja -C build)"

# vmlinux and initrd: Debian 12's kernel and the busybox /init of tests/functional.
eval "$(python3 tests/functional/functest.py prepare --build "$build/tests/functional")" ||
    fail "could not prepare the guest (tests/functional/functest.py prepare)"

# boot ACCEL: one boot, the console in $log; prints the seconds it took.
boot() {
    start=$(date +%s)
    timeout 600 "$qemu" -M pseries -accel "$1" -m 1G -smp 2 -nographic -nodefaults \
        -serial stdio -kernel "$vmlinux" -initrd "$initrd" \
        -append "console=hvc0 functest=boot" </dev/null >"$log" 2>&1
    rc=$?
    echo $(($(date +%s) - start))
    return $rc
}

secs=$(boot kvm) || {
    tail -n 5 "$log"
    fail "the guest under -accel kvm did not power off cleanly (status $?)"
}
grep -q '^FUNCTEST start' "$log" || fail "under KVM the guest did not reach /init"
if grep -q '^FUNCTEST not-ok' "$log"; then
    grep '^FUNCTEST not-ok' "$log"
    fail "an /init check failed under KVM"
fi
grep -q '^FUNCTEST powering off' "$log" || fail "under KVM /init did not finish"
echo "kvm-smoke: -accel kvm: /init passed its checks and powered off in ${secs}s"

tsecs=$(boot tcg) || fail "the same guest under -accel tcg failed: the guest, not KVM, is wrong"
echo "kvm-smoke: -accel tcg: ${tsecs}s"
echo "kvm-smoke: PASS"
