#!/bin/sh
# Smoke test of KVM on a POWER host (docs/system/ppc-kvm.rst): boot the
# functional suite's Linux guest with -accel kvm (the kernel's XICS when the
# host has it), again with kernel-irqchip=off (the XICS emulated here,
# KVM_INTERRUPT), check each time that /init ran its checks and powered
# off, then boot it under TCG; print the times.
# Usage: scripts/kvm-smoke.sh [QEMU] [BUILD_DIR]
set -u
cd "$(dirname "$0")/.." || exit 1
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
if [ -d /sys/module/kvm_hv ]; then
    echo "kvm-smoke: host has kvm_hv loaded (KVM-HV; KVM-PR if the host is not in hypervisor mode)"
elif [ -d /sys/module/kvm_pr ]; then
    echo "kvm-smoke: host has kvm_pr loaded (KVM-PR: slower, privileged instructions emulated)"
fi

# vmlinux and initrd: Debian 12's kernel and the busybox /init of tests/functional.
eval "$(python3 tests/functional/functest.py prepare --build "$build/tests/functional")" ||
    fail "could not prepare the guest (tests/functional/functest.py prepare)"

# boot ACCEL: one boot, the console and messages in $log; prints the seconds it took.
boot() {
    start=$(date +%s)
    timeout 600 "$qemu" -M pseries -accel "$1" -m 1G -smp 2 -nographic -nodefaults \
        -serial stdio -kernel "$vmlinux" -initrd "$initrd" \
        -append "console=hvc0 functest=boot" </dev/null >"$log" 2>&1
    rc=$?
    echo $(($(date +%s) - start))
    return $rc
}

# check ACCEL: boot under ACCEL, /init must run its checks and power off.
check() {
    secs=$(boot "$1") || {
        tail -n 5 "$log"
        fail "the guest under -accel $1 did not power off cleanly"
    }
    grep -q '^FUNCTEST start' "$log" || fail "under -accel $1 the guest did not reach /init"
    if grep -q '^FUNCTEST not-ok' "$log"; then
        grep '^FUNCTEST not-ok' "$log"
        fail "an /init check failed under -accel $1"
    fi
    grep -q '^FUNCTEST powering off' "$log" || fail "under -accel $1 /init did not finish"
    if grep -q 'falling back to tcg' "$log"; then
        fail "-accel $1 fell back to TCG"
    fi
    echo "kvm-smoke: -accel $1: /init passed its checks and powered off in ${secs}s"
}

check kvm
if grep -q 'kernel_irqchip allowed but unavailable' "$log"; then
    echo "kvm-smoke: (that boot used the emulated XICS: the host has no in-kernel XICS)"
else
    echo "kvm-smoke: (that boot used the host kernel's XICS)"
fi
check kvm,kernel-irqchip=off
tsecs=$(boot tcg) || fail "the same guest under -accel tcg failed: the guest, not KVM, is wrong"
echo "kvm-smoke: -accel tcg: ${tsecs}s"
echo "kvm-smoke: PASS"
