#!/bin/bash
# Checks of the difftest harness itself against the oracle alone: the oracle agrees with
# itself, generation is reproducible, and every kind of disagreement is reported.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dt="python3 $here/difftest.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
check() {
    n=$((n + 1))
    if "$@" >"$work/out" 2>&1; then
        echo "ok $n - $desc"
    else
        echo "not ok $n - $desc"
        sed 's/^/# /' "$work/out"
    fi
}

echo "1..17"

desc="oracle against oracle: every class agrees"
check $dt self --tests 300 --workdir "$work/self"

desc="the same class and seed generate the same image, another seed another"
same_seed() {
    $dt self --class logical --tests 300 --seed 7 --workdir "$work/a" --keep &&
    $dt self --class logical --tests 300 --seed 7 --workdir "$work/b" --keep &&
    $dt self --class logical --tests 300 --seed 8 --workdir "$work/b" --keep &&
    cmp "$work/a/logical-7.bin" "$work/b/logical-7.bin" &&
    ! cmp -s "$work/b/logical-7.bin" "$work/b/logical-8.bin"
}
check same_seed

desc="an altered result line is a mismatch with a full dump and a non-zero exit"
altered_line() {
    ! $dt self --class arith --tests 300 --workdir "$work/line" --corrupt-line 42 \
        >"$work/line.out" 2>&1 &&
    grep -q '^MISMATCH class arith seed 1 test 42$' "$work/line.out" &&
    grep -q '^    r31 ' "$work/line.out" && grep -q '^    ctr ' "$work/line.out"
}
check altered_line

desc="a corrupted instruction shows both disassemblies and marks the differing register"
corrupt_insn() {
    ! $dt self --class arith --tests 300 --workdir "$work/insn" --corrupt-insn 17 \
        >"$work/insn.out" 2>&1 &&
    grep -q '^MISMATCH class arith seed 1 test 17$' "$work/insn.out" &&
    grep -q 'deliberately corrupted' "$work/insn.out" &&
    grep -q ' <<' "$work/insn.out"
}
check corrupt_insn

desc="a corrupted store shows the changed scratch doubleword"
corrupt_store() {
    # every store test of the memory class: pick one whose first instruction is a store
    $dt self --class memory --tests 300 --workdir "$work/st" --keep >/dev/null 2>&1 &&
    t=$(awk '/^t[0-9]+:$/ { t = substr($1, 2, length($1) - 2) }
             /_first:$/ { getline; if ($1 ~ /^st[bhwd]x?$/) { print t; exit } }' \
        "$work/st/memory-1.S") &&
    [ -n "$t" ] &&
    ! $dt self --class memory --tests 300 --workdir "$work/st" --corrupt-insn "$t" \
        >"$work/st.out" 2>&1 &&
    grep -q "^MISMATCH class memory seed 1 test $t\$" "$work/st.out" &&
    grep -q '^    mem+' "$work/st.out"
}
check corrupt_store

desc="an emulator that stops early is reported with how far it got"
stops_early() {
    # QEMU 7.2 stands in for ours: it does not know our x-jit-after, which difftest.py
    # gives ours so that every block is compiled
    cat >"$work/short.sh" <<'EOS' && chmod +x "$work/short.sh" &&
#!/bin/sh
for a; do
    shift
    [ "$a" = tcg,x-jit-after=1 ] && a=tcg
    set -- "$@" "$a"
done
/usr/bin/qemu-system-ppc64 "$@" | head -n 100
exit 3
EOS
    ! $dt run --qemu "$work/short.sh" --class cr --tests 300 --workdir "$work/short" \
        >"$work/short.out" 2>&1 &&
    grep -q '^OURS STOPPED class cr seed 1 after 100 of 300 tests' "$work/short.out"
}
check stops_early

desc="the dump of a divw test names the RT bits the ISA leaves undefined"
undefined_masked() {
    # Generated arith images hold divides; the harness must report their undefined bits.
    $dt self --class arith --tests 300 --workdir "$work/u" --keep >/dev/null 2>&1 &&
    t=$(awk '/^t[0-9]+:$/ { t = substr($1, 2, length($1) - 2) }
             /^divw /{ print t; exit }' "$work/u/arith-1.S") && [ -n "$t" ] &&
    ! $dt self --class arith --tests 300 --workdir "$work/u" --corrupt-line "$t" \
        >"$work/u.out" 2>&1 &&
    grep -q 'undefined bits ffffffff00000000\|undefined bits ffffffffffffffff' "$work/u.out"
}
check undefined_masked

desc="little-endian: oracle against oracle agrees for every class but string"
check $dt self --endian le --class arith,logical,cr,memory,branch,atomic,fp-arith,fp-convert,\
fp-fpscr,vmx-int,vmx-perm,vmx-float,vsx-scalar,vsx-vector,vsx-ldst --tests 300 --workdir "$work/le"

desc="string (lmw, lswi...) is refused in little-endian, where it is illegal"
string_le() {
    ! $dt self --endian le --class string --tests 10 >"$work/sle.out" 2>&1 &&
    grep -q 'class string is big-endian only' "$work/sle.out"
}
check string_le

desc="little-endian: an interrupt (illegal instruction) is reported as a TRAP line"
le_trap() {
    # big-endian vectors switch back to little-endian before the harness reports
    $dt self --endian le --class cr --tests 20 --workdir "$work/lt" --keep >/dev/null 2>&1 &&
    addr=$(powerpc64le-linux-gnu-nm "$work/lt/cr-1-le.elf" | awk '/ t5_first$/ { print $1 }') &&
    [ -n "$addr" ] && cp "$work/lt/cr-1-le.bin" "$work/lt/trap.bin" &&
    printf '\0\0\0\0' | dd of="$work/lt/trap.bin" bs=1 seek=$((16#$addr)) conv=notrunc \
        2>/dev/null &&
    timeout 10 /usr/bin/qemu-system-ppc64 -M pseries -m 1G -nodefaults -nographic \
        -display none -accel tcg -serial stdio -bios "$work/lt/trap.bin" \
        </dev/null >"$work/lt.out" 2>/dev/null
    grep -q "^TRAP vector 700 srr0 0*$addr srr1 8000000000080001 test 5" "$work/lt.out"
}
check le_trap

desc="32-bit mode: oracle against oracle agrees for every class"
check $dt self --mode 32 --tests 300 --workdir "$work/m32"

desc="a firing trap ends its test: the dump shows vector 700, SRR0 and SRR1 (trap bit, SF=0)"
trap_dump() {
    # a test whose first instruction traps unconditionally (TO=31)
    $dt self --class trap --mode 32 --tests 300 --workdir "$work/tr" --keep >/dev/null 2>&1 &&
    t=$(awk '/^t[0-9]+:$/ { t = substr($1, 2, length($1) - 2) }
             /_first:$/ { getline; if ($0 ~ /^t[dw]i? 31,/) { print t; exit } }' \
        "$work/tr/trap-1-32.S") && [ -n "$t" ] &&
    ! $dt self --class trap --mode 32 --tests 300 --workdir "$work/tr" --corrupt-line "$t" \
        >"$work/tr.out" 2>&1 &&
    grep -q '^    trap  *0000000000000000  0000000000000700  0000000000000700$' "$work/tr.out" &&
    grep -q '^    srr1  *0000000000000000  0000000000020000  0000000000020000$' "$work/tr.out" &&
    grep -q '^    srr0-off ' "$work/tr.out"
}
check trap_dump

desc="vector classes: an interrupt (illegal instruction) ends its test, the run goes on"
vec_interrupt() {
    $dt self --class fp-arith --tests 20 --workdir "$work/vi" --keep >/dev/null 2>&1 &&
    addr=$(powerpc64le-linux-gnu-nm "$work/vi/fp-arith-1.elf" | awk '/ t5_first$/ { print $1 }') &&
    [ -n "$addr" ] && cp "$work/vi/fp-arith-1.bin" "$work/vi/ill.bin" &&
    printf '\0\0\0\0' | dd of="$work/vi/ill.bin" bs=1 seek=$((16#$addr)) conv=notrunc \
        2>/dev/null &&
    printf '\0\0\0\5' | dd of="$work/vi/ill.bin" bs=1 seek=$((0x180)) conv=notrunc 2>/dev/null &&
    timeout 10 /usr/bin/qemu-system-ppc64 -M pseries -m 1G -nodefaults -nographic \
        -display none -accel tcg -serial stdio -bios "$work/vi/ill.bin" \
        </dev/null >"$work/vi.out" 2>/dev/null
    grep -q '^END 20' "$work/vi.out" &&
    grep -q '^D trap 0000000000000000 0000000000000700$' "$work/vi.out" &&
    grep -q '^D srr0-off 0000000000000000 0000000000000014$' "$work/vi.out" &&
    grep -q '^D srr1 0000000000000000 8000000002882000$' "$work/vi.out"
}
check vec_interrupt

desc="a vector test's dump shows the VSRs it changed, the FPSCR and the VSCR"
vec_dump() {
    ! $dt self --class vsx-vector --tests 50 --workdir "$work/vd" --corrupt-line 3 \
        >"$work/vd.out" 2>&1 &&
    grep -q '^    vs[0-9]* *[0-9a-f]\{32\}  [0-9a-f]\{32\}  [0-9a-f]\{32\}' "$work/vd.out" &&
    grep -q '^    fpscr ' "$work/vd.out" && grep -q '^    vscr ' "$work/vd.out"
}
check vec_dump

desc="fp-fpscr: with MSR[FE0|FE1] an enabled exception is a program interrupt (SRR1 bit 43)"
fp_enabled() {
    $dt self --class fp-fpscr --tests 100 --workdir "$work/fe" --keep >/dev/null 2>&1 || return 1
    # tests with FE0 or FE1 (flags 0x3000 in the test table); one of the first ones traps
    for t in $(awk -F'[ ,t]+' '/^\.long t[0-9]+,/ { if (int($4 / 4096) % 4) print $2 }' \
               "$work/fe/fp-fpscr-1.S" | head -n 15); do
        $dt self --class fp-fpscr --tests 100 --workdir "$work/fe" --corrupt-line "$t" \
            >"$work/fe.out" 2>&1
        if grep -q '^    trap  *0000000000000000  0000000000000700  ' "$work/fe.out" &&
           grep -q '^    srr1  *0000000000000000  [0-9a-f]\{10\}[13579bdf]' "$work/fe.out"; then
            return 0
        fi
    done
    return 1
}
check fp_enabled

desc="the report mode lists every mismatching test's mnemonics and shows examples"
report() {
    ! $dt self --class vsx-ldst --tests 200 --workdir "$work/rep" --corrupt-insn 9 \
        --report "$work/rep.txt" >/dev/null 2>&1 &&
    grep -q '^tests run: 200 (both emulators), mismatching: 1$' "$work/rep.txt" &&
    grep -q '^vsx-ldst seed 1 test 9 ' "$work/rep.txt" && grep -q ' <<' "$work/rep.txt"
}
check report

desc="every FP, VMX and VSX instruction of POWER9 (DFP aside) is generated by some class"
check python3 "$here/coverage.py"
