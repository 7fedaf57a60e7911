# -smp topologies on pseries: QEMU 7.2's errors (compared with Debian's
# qemu-system-ppc64 where it reaches them; under TCG it refuses any thread
# count above 1 first, so the SMT checks behind that one are its KVM-path
# texts), the /cpus nodes per core with their threads' interrupt servers and
# the CPU DRCs up to maxcpus, query-cpus-fast and query-hotpluggable-cpus.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
DTB=$TMP/t.dtb

# same_error MACHINE SMP: ours and the oracle exit 1 with the same message.
same_error() {
    local want
    want=$(timeout 10 "$ORACLE" -M "$1" -vga none -nodefaults -display none -S -smp "$2" \
        </dev/null 2>&1 >/dev/null | grep -v "warning: TCG doesn't support")
    run -M "$1" -nodefaults -display none -S -smp "$2"
    if [ "$RC" = 1 ] && [ -n "$want" ] && [ "$ERR" = "$want" ]; then
        ok "$1 -smp $2: $want"
    else
        not_ok "$1 -smp $2: as the oracle" "ours: exit $RC, $ERR" "oracle: $want"
    fi
}

same_error pseries 3,threads=2
same_error pseries 4,maxcpus=2
same_error pseries 4,threads=8
same_error pseries 2,threads=2,maxcpus=5
same_error pseries 8,dies=2
same_error pseries-2.6 4,maxcpus=6

# Behind QEMU's TCG refusal: its checks for SMT as they read under KVM, and ours
# for threads beyond what the processor has.
expect_stderr "qemu-system-ppc64: smp_cpus (3) must be multiple of threads (2)" \
    -M pseries -nodefaults -display none -smp 3,threads=2,maxcpus=4
expect_stderr "qemu-system-ppc64: Cannot support 3 threads/core on a pseries machine because it must be a power of 2" \
    -M pseries -nodefaults -display none -smp 3,threads=3
expect_stderr "qemu-system-ppc64: Cannot support more than 4 threads/core on power9" \
    -M pseries -nodefaults -display none -smp 8,threads=8
expect_stderr "qemu-system-ppc64: Cannot support VSMT mode 2 because it must be >= threads/core (4)" \
    -M pseries,vsmt=2 -nodefaults -display none -smp 4,threads=4

# dtb ARGS...: dump our tree into $DTB.
dtb() {
    run -M "pseries,dumpdtb=$DTB" -nodefaults -display none "$@"
    [ "$RC" = 0 ] || not_ok "dumpdtb $*" "exit $RC: $ERR"
}

# nodes: the /cpus subnodes.
nodes() {
    fdtget -l "$DTB" /cpus | tr '\n' ' '
}

check_eq() {
    if [ "$2" = "$3" ]; then
        # A TAP line holds one line of the value.
        ok "$1: ${3%%$'\n'*}"
    else
        not_ok "$1" "got: $2" "wanted: $3"
    fi
}

# Two cores of two threads, room for four cores.
if dtb -smp 4,threads=2,maxcpus=8; then
    check_eq "threads=2: one node per core" "$(nodes)" "PowerPC,POWER9@0 PowerPC,POWER9@2 "
    fdt_prop u /cpus/PowerPC,POWER9@2 reg 2
    fdt_prop u /cpus/PowerPC,POWER9@0 ibm,ppc-interrupt-server#s "0 1"
    fdt_prop u /cpus/PowerPC,POWER9@2 ibm,ppc-interrupt-server#s "2 3"
    fdt_prop u /cpus/PowerPC,POWER9@2 ibm,ppc-interrupt-gserver#s "2 0 3 0"
    fdt_prop x /cpus/PowerPC,POWER9@2 ibm,my-drc-index 10000002
    fdt_prop x /cpus ibm,drc-indexes "4 10000000 10000002 10000004 10000006"
    fdt_prop x /cpus ibm,drc-power-domains "4 ffffffff ffffffff ffffffff ffffffff"
    check_eq "threads=2: DRC names" \
        "$(fdtget -t bi "$DTB" /cpus ibm,drc-names | tr ' ' '\n' | tail -n +5 | awk '{printf "%c", $1 ? $1 : 44}')" \
        "CPU 0,CPU 2,CPU 4,CPU 6,"
    fdt_prop x /rtas ibm,lrdr-capacity "0 0 0 10000000 4"
fi
# Four threads on a POWER9, eight on a POWER8; sockets make chips.
if dtb -smp 8,threads=4,sockets=2; then
    check_eq "threads=4: one node per core" "$(nodes)" "PowerPC,POWER9@0 PowerPC,POWER9@4 "
    fdt_prop u /cpus/PowerPC,POWER9@4 ibm,ppc-interrupt-server#s "4 5 6 7"
    fdt_prop u /cpus/PowerPC,POWER9@4 ibm,chip-id 1
fi
if dtb -cpu POWER8 -smp 8,threads=8; then
    check_eq "POWER8 threads=8" "$(nodes)" "PowerPC,POWER8@0 "
    fdt_prop u /cpus/PowerPC,POWER8@0 ibm,ppc-interrupt-server#s "0 1 2 3 4 5 6 7"
fi

# One thread per core: the CPU DRCs are the oracle's (QEMU lists them in its
# object table's hash order, we in core order: compared as sets).
sorted_words() {
    fdtget -t "$1" "$2" /cpus "$3" | tr ' ' '\n' | sort | tr '\n' ' '
}
timeout 10 "$ORACLE" -M "pseries,dumpdtb=$TMP/o.dtb" -vga none -nodefaults -display none \
    -smp 2,maxcpus=8 >/dev/null 2>&1
if dtb -smp 2,maxcpus=8; then
    check_eq "drc-indexes as the oracle's" "$(sorted_words x "$DTB" ibm,drc-indexes)" \
        "$(sorted_words x "$TMP/o.dtb" ibm,drc-indexes)"
    check_eq "drc-names as the oracle's" "$(sorted_words bi "$DTB" ibm,drc-names)" \
        "$(sorted_words bi "$TMP/o.dtb" ibm,drc-names)"
    check_eq "drc-types as the oracle's" "$(sorted_words bi "$DTB" ibm,drc-types)" \
        "$(sorted_words bi "$TMP/o.dtb" ibm,drc-types)"
    for n in PowerPC,POWER9@0 PowerPC,POWER9@1; do
        for p in reg ibm,my-drc-index ibm,ppc-interrupt-server#s ibm,ppc-interrupt-gserver#s \
                 ibm,chip-id; do
            check_eq "$n $p as the oracle's" "$(fdtget -t x "$DTB" /cpus/$n $p)" \
                "$(fdtget -t x "$TMP/o.dtb" /cpus/$n $p)"
        done
    done
fi
# Machine types without CPU hot-plug have no CPU DRCs (the oracle's too).
if dtb -M pseries-2.6 -smp 2; then
    check_eq "pseries-2.6: no ibm,my-drc-index" \
        "$(fdtget "$DTB" /cpus/PowerPC,POWER8@8 ibm,my-drc-index 2>&1 | grep -c FDT_ERR_NOTFOUND)" 1
    check_eq "pseries-2.6: no /cpus ibm,drc-indexes" \
        "$(fdtget "$DTB" /cpus ibm,drc-indexes 2>&1 | grep -c FDT_ERR_NOTFOUND)" 1
fi

# qmp BINARY MACHINE ARGS...: the replies to query-hotpluggable-cpus and query-cpus-fast,
# one per line, with the thread ids left out.
qmp() {
    local bin=$1 machine=$2
    shift 2
    printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-hotpluggable-cpus"}' \
        '{"execute":"query-cpus-fast"}' '{"execute":"quit"}' |
        timeout 10 "$bin" -M "$machine" -nodefaults -display none -S -qmp stdio "$@" 2>/dev/null |
        python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if "return" in msg and msg["return"] != {} or "error" in msg:
        for c in msg.get("return", []):
            c.pop("thread-id", None)
        print(json.dumps(msg, sort_keys=True))'
}

for smp in 2,maxcpus=4 3; do
    check_eq "QMP with -smp $smp as the oracle" "$(qmp "$QEMU" pseries -smp $smp)" \
        "$(qmp "$ORACLE" pseries -vga none -smp $smp)"
done
# The machine's smp.* properties (QEMU's SMPConfiguration) and -smp merge key by key,
# a later value winning.
for args in "-machine smp.cpus=8,smp.sockets=8" "-machine smp.cpus=4,smp.cores=4" \
    "-machine smp.cpus=8 -smp 2" "-smp 2 -machine smp.cpus=8" \
    "-machine smp.cpus=2,smp.maxcpus=3" "-smp 4 -smp sockets=2"; do
    # shellcheck disable=SC2086 # args is a list of options
    check_eq "QMP with $args as the oracle" "$(qmp "$QEMU" pseries $args)" \
        "$(qmp "$ORACLE" pseries -vga none $args)"
done
# same_error_args ARGS...: ours and the oracle exit 1 with the same message.
same_error_args() {
    local want
    want=$(timeout 10 "$ORACLE" -M pseries -vga none -nodefaults -display none -S "$@" \
        </dev/null 2>&1 >/dev/null | grep -v "warning: TCG doesn't support")
    run -M pseries -nodefaults -display none -S "$@"
    if [ "$RC" = 1 ] && [ -n "$want" ] && [ "$ERR" = "$want" ]; then
        ok "$*: $want"
    else
        not_ok "$*: as the oracle" "ours: exit $RC, $ERR" "oracle: $want"
    fi
}
same_error_args -machine smp.cpus=abc
same_error_args -machine smp.foo=1
same_error_args -smp foo=1
same_error_args -machine smp=4
same_error_args -smp cores=x,maxcpus=y
same_error_args -smp 2,maxcpus=4 -machine smp.cpus=8
same_error_args -machine smp.dies=2,smp.cpus=2

check_eq "pseries-2.6 refuses query-hotpluggable-cpus as the oracle" \
    "$(qmp "$QEMU" pseries-2.6 -smp 2 | head -1)" \
    "$(qmp "$ORACLE" pseries-2.6 -vga none -smp 2 | head -1)"
out=$(qmp "$QEMU" pseries -smp 4,threads=2,maxcpus=8)
check_eq "threads=2: hot-pluggable cores" \
    "$(printf '%s\n' "$out" | head -1 | python3 -c '
import json, sys
for c in json.load(sys.stdin)["return"]:
    print(c["props"]["core-id"], c["vcpus-count"], c.get("qom-path", "-"), c["type"])' | tr '\n' ';')" \
    "6 2 - power9_v2.0-spapr-cpu-core;4 2 - power9_v2.0-spapr-cpu-core;2 2 /machine/unattached/device[2] power9_v2.0-spapr-cpu-core;0 2 /machine/unattached/device[1] power9_v2.0-spapr-cpu-core;"
check_eq "threads=2: query-cpus-fast" \
    "$(printf '%s\n' "$out" | tail -1 | python3 -c '
import json, sys
for c in json.load(sys.stdin)["return"]:
    print(c["cpu-index"], c["props"]["core-id"], c["qom-path"])' | tr '\n' ';')" \
    "0 0 /machine/unattached/device[1]/thread[0];1 0 /machine/unattached/device[1]/thread[1];2 2 /machine/unattached/device[2]/thread[0];3 2 /machine/unattached/device[2]/thread[1];"

tap_done
