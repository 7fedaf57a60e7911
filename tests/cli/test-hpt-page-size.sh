# -machine cap-hpt-max-page-size: the values QEMU 7.2 takes, its errors and
# warning, and the hash MMU page sizes the device tree then offers
# (ibm,segment-page-sizes, ibm,pa-features), checked against QEMU 7.2's.
. "$(dirname "$0")/lib.sh"

DTB=$TMP/t.dtb
WARN="qemu-system-ppc64: warning: Many guests require at least 64kiB hpt-max-page-size"

# Errors: not a size, not a power of two, smaller than 4 KiB.
expect_error "^qemu-system-ppc64: Parameter 'cap-hpt-max-page-size' expects size\$" \
    -M pseries,cap-hpt-max-page-size=abc
for v in -1 16E 64KiB 16MB ''; do
    expect_error "^qemu-system-ppc64: Parameter 'cap-hpt-max-page-size' expects size\$" \
        -M "pseries,cap-hpt-max-page-size=$v"
done
for v in 0 3M 1.5M 0x3000; do
    expect_error "^qemu-system-ppc64: cap-hpt-max-page-size must be a power of 2\$" \
        -M "pseries,cap-hpt-max-page-size=$v"
done
for v in 1 2 1K 2K; do
    expect_error_at_reset "^qemu-system-ppc64: Require at least 4kiB hpt-max-page-size\$" \
        -M "pseries,cap-hpt-max-page-size=$v"
done
# The size check comes with the machine: a bad property name is found first,
# and so are the memory checks.
expect_error "Property 'pseries-7.2-machine.foo' not found" \
    -M pseries,cap-hpt-max-page-size=1,foo=bar
expect_error "^qemu-system-ppc64: Memory size 0x12c00000 is not aligned to 256 MiB\$" \
    -m 300M -M pseries,cap-hpt-max-page-size=1
# The last value given counts.
expect_error_at_reset "^qemu-system-ppc64: Require at least 4kiB hpt-max-page-size\$" \
    -M pseries,cap-hpt-max-page-size=16M,cap-hpt-max-page-size=2K

# dump OPTIONS MACHINE-PROPS...: dump the tree; stderr must be exactly the
# "dtb dumped" line, after the warning when WANT_WARN is 1.
dump() {
    local m=$1
    shift
    rm -f "$DTB"
    run -display none -M "$m,dumpdtb=$DTB" "$@"
    # QEMU 7.2's messages for the same dump: the TCG capability warnings
    # with the page-size one among them, in its order.
    local want
    want=$(oracle_stderr -M "$m,dumpdtb=$TMP/oracle.dtb" "$@" | sed "s|$TMP/oracle.dtb|$DTB|")
    if [ "$RC" = 0 ] && [ "$ERR" = "$want" ] && [ "$WANT_WARN" = "$(grep -cF "$WARN" <<<"$ERR")" ]; then
        ok "dumpdtb $m $*"
    else
        not_ok "dumpdtb $m $*" "exit $RC, stderr: $ERR" "wanted: $want"
    fi
}

# prop NODE NAME EXPECTED: fdtget -t x output must equal EXPECTED.
prop() {
    local got
    got=$(fdtget -t x "$DTB" "$1" "$2" 2>&1)
    if [ "$got" = "$3" ]; then
        ok "$1 $2 = $3"
    else
        not_ok "$1 $2 = $3" "got: $got"
    fi
}

# QEMU 7.2's tables: up to 4K, up to 64K (the default), 16M (from 16M up to 8G),
# 16G (from 16G on).
SPS_4K="c 0 1 c 0"
SPS_64K="c 0 1 c 0 10 110 1 10 1"
SPS_16M="c 0 2 c 0 18 38 10 110 2 10 1 18 8 18 100 1 18 0"
SPS_16G="$SPS_16M 22 120 1 22 3"
# ibm,pa-features: byte 1 bit 2 (cache-inhibited large pages) only with 64K pages.
PA9_REST="c7c080f0 80000000 0 8000 80008000 8000 80008000 80008000"
PA9_REST+=" c0008000 80008000 80008000 80008000 80008000 80008000 80008000 80000000"
PA9_LARGE="4200f63f $PA9_REST"
PA9_SMALL="4200f61f $PA9_REST"
PA8_REST="c7 c0 80 f0 80 0 0 0 0 0 0 0 0 0 80 0 80 0 80 0 0 0"
PA8_LARGE="18 0 f6 3f $PA8_REST"
PA8_SMALL="18 0 f6 1f $PA8_REST"

# check VALUE SPS PA WARN [CPU]: the tree with cap-hpt-max-page-size=VALUE.
check() {
    local node=/cpus/PowerPC,POWER9@0 cpu=()
    if [ -n "${5:-}" ]; then
        node=/cpus/PowerPC,POWER8@0
        cpu=(-cpu "$5")
    fi
    WANT_WARN=$4
    dump "pseries,cap-hpt-max-page-size=$1" "${cpu[@]}"
    prop "$node" ibm,segment-page-sizes "$2"
    if [ -n "${5:-}" ]; then
        local got
        got=$(fdtget -t bx "$DTB" "$node" ibm,pa-features 2>&1)
        if [ "$got" = "$3" ]; then
            ok "$node ibm,pa-features = $3"
        else
            not_ok "$node ibm,pa-features = $3" "got: $got"
        fi
    else
        prop "$node" ibm,pa-features "$3"
    fi
}

check 4K "$SPS_4K" "$PA9_SMALL" 1
check 4k "$SPS_4K" "$PA9_SMALL" 1
check 4096 "$SPS_4K" "$PA9_SMALL" 1
check 8K "$SPS_4K" "$PA9_SMALL" 1
check 32K "$SPS_4K" "$PA9_SMALL" 1
check 64K "$SPS_64K" "$PA9_LARGE" 0
check 2M "$SPS_64K" "$PA9_LARGE" 0
check 16M "$SPS_16M" "$PA9_LARGE" 0
check 0x1000000 "$SPS_16M" "$PA9_LARGE" 0
check 256M "$SPS_16M" "$PA9_LARGE" 0
check 8G "$SPS_16M" "$PA9_LARGE" 0
check 16G "$SPS_16G" "$PA9_LARGE" 0
check 1P "$SPS_16G" "$PA9_LARGE" 0
check 8E "$SPS_16G" "$PA9_LARGE" 0
check 4K "$SPS_4K" "$PA8_SMALL" 1 power8
check 16M "$SPS_16M" "$PA8_LARGE" 0 power8

# The defaults: 64K; pseries-2.12 and older machine types allow every size.
WANT_WARN=0
dump pseries
prop /cpus/PowerPC,POWER9@0 ibm,segment-page-sizes "$SPS_64K"
dump pseries-3.0 -cpu power9
prop /cpus/PowerPC,POWER9@0 ibm,segment-page-sizes "$SPS_64K"
dump pseries-2.12 -cpu power9
prop /cpus/PowerPC,POWER9@0 ibm,segment-page-sizes "$SPS_16G"
dump pseries-2.12,cap-hpt-max-page-size=64K -cpu power9
prop /cpus/PowerPC,POWER9@0 ibm,segment-page-sizes "$SPS_64K"
# Machine types before 4.0 are POWER8 machines by default (QEMU 7.2): POWER8's table.
dump pseries-3.1
prop /cpus/PowerPC,POWER8@0 ibm,segment-page-sizes "$SPS_64K"
dump pseries-2.12
prop /cpus/PowerPC,POWER8@0 ibm,segment-page-sizes "$SPS_16G"
# Every CPU node has the same table.
dump pseries,cap-hpt-max-page-size=16M -smp 2
prop /cpus/PowerPC,POWER9@1 ibm,segment-page-sizes "$SPS_16M"

tap_done
