#!/bin/bash
# kut-boot.sh QEMU ROM ELF: boot an ELF as bare-metal suites (kvm-unit-tests) start
# theirs, with their machine options; TAP. The guest spins after printing, so the run
# ends by timeout (status 124 expected). GUEST_QEMU replaces the binary (the oracle
# setup), as for run-guest.sh.
qemu=${GUEST_QEMU:-$1}
rom=$2
elf=$3
out=$(timeout 5 "$qemu" -nodefaults -accel tcg \
    -machine pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off \
    -bios "$rom" -display none -serial stdio -kernel "$elf" -smp 2 -m 1g \
    -append "setup smp=2 mem=1024" 2>&1)
status=$?
echo "1..2"
if [ "$status" = 124 ]; then
    echo "ok 1 - ran until stopped"
else
    echo "not ok 1 - exit status $status"
fi
if printf '%s\n' "$out" | tr -d '\r' | grep -qx 'kut-boot: ok *'; then
    echo "ok 2 - ELF at 0x400000 with r3 = the device tree"
else
    echo "not ok 2 - output:"
    printf '%s\n' "$out" | sed 's/^/# /'
fi
