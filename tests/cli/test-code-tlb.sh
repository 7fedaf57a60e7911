#!/bin/bash
# The code TLB keeps a kernel page and the user page that shares its low
# address bits: the syscall-bench guest makes 1,000,000 sc/rfid round trips
# between user code at 0x4200 and the system call vector at
# 0xc000000000004c00 (LPCR[AIL]=3); with the page number alone as the index
# both pages took one entry and every round trip refilled two (2,000,002
# code fills, each a radix walk).  PPC_TLB_STATS=1 prints the fills.
. "$(dirname "$0")/lib.sh"

img=$BUILDDIR/tests/bench/syscall-bench.img
out=$(PPC_TLB_STATS=1 "$QEMU" -M pseries -m 1G -nodefaults -nographic -display none \
    -serial stdio -bios "$img" </dev/null 2>&1 | tr -d '\r')
if printf '%s\n' "$out" | grep -q '^syscall-bench-be: 3 checks, 0 failed'; then
    ok "the syscall-bench guest runs its round trips"
else
    not_ok "the syscall-bench guest runs its round trips" "$(printf '%s\n' "$out" | tail -n 3)"
fi
code=$(printf '%s\n' "$out" | sed -n 's/^tlb-stats: cpu 0: .* code \([0-9]*\), radix walks.*/\1/p')
walks=$(printf '%s\n' "$out" | sed -n 's/^tlb-stats: cpu 0: .*, radix walks \([0-9]*\) .*/\1/p')
if [ -n "$code" ] && [ "$code" -lt 1000 ] && [ -n "$walks" ] && [ "$walks" -lt 1000 ]; then
    ok "1,000,000 round trips fill $code code entries with $walks radix walks"
else
    not_ok "the vector's page and the user page keep their code entries" \
        "code fills '$code', radix walks '$walks' (2,000,002 each when they share one)" \
        "$(printf '%s\n' "$out" | grep tlb-stats)"
fi
tap_done
