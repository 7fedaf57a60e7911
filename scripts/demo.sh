#!/bin/bash
# `make run`: start the pseries machine and play a tiny guest through the
# qtest protocol (the CPU that runs real guest code is the next milestone):
# console output with H_PUT_TERM_CHAR, the time of day from RTAS, power-off.
set -eu
QEMU=${1:-build/qemu-system-ppc64}

coproc VM { exec "$QEMU" -M pseries -m 1G -nodefaults -accel qtest -qtest stdio \
                 -chardev file,id=con,path=/dev/stderr,append=on -device spapr-vty,chardev=con; }
vm_pid=$VM_PID

# One protocol exchange: send a line, read the reply, fail on "FAIL".
qtest() {
    local reply
    echo "$*" >&"${VM[1]}"
    read -r -t 10 reply <&"${VM[0]}" || { echo "demo: no reply to '$*'" >&2; exit 1; }
    case "$reply" in
    OK*) REPLY=${reply#OK} ;;
    *) echo "demo: '$*' -> '$reply'" >&2; exit 1 ;;
    esac
}

# H_PUT_TERM_CHAR takes up to 16 bytes packed big-endian in r6 and r7.
put_string() {
    local s=$1 chunk hex
    while [ -n "$s" ]; do
        chunk=${s:0:16}
        s=${s:16}
        hex=$(printf '%s' "$chunk" | od -An -tx1 | tr -d ' \n')
        hex=$(printf '%-32s' "$hex" | tr ' ' 0)
        # The console is 0x71000001: the nvram, made with the machine, took 0x71000000.
        qtest "hcall 0x58 0x71000001 ${#chunk} 0x${hex:0:16} 0x${hex:16:16}"
    done
}

put_string $'Hello from the pseries machine!\r\n'
qtest "rtas get-time-of-day 0 0x10000 8 0x10100"
qtest "read 0x10100 32"
hex=${REPLY# 0x}
cell() { echo $((16#${hex:$(($1 * 8)):8})); }
put_string "$(printf 'RTAS time of day: %04d-%02d-%02d %02d:%02d:%02d UTC' \
    "$(cell 1)" "$(cell 2)" "$(cell 3)" "$(cell 4)" "$(cell 5)" "$(cell 6)")"$'\r\n'
put_string $'Powering off through RTAS.\r\n'
echo "rtas power-off 2 0x10000 1 0x10100" >&"${VM[1]}"
wait "$vm_pid"
echo "demo: the machine exited with status $?"
