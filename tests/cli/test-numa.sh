# -numa node|dist|cpu: QEMU 7.2's errors and warnings for bad layouts, and the
# pre-CAS device tree of good ones (values read from QEMU 7.2's dumpdtb).
. "$(dirname "$0")/lib.sh"

DTB=$TMP/t.dtb
P=qemu-system-ppc64
B1G="-object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G"
N2="-numa node,memdev=m0 -numa node,memdev=m1"

# dump ARGS...: the tree of -M pseries-ARGS (first word), stderr kept in $ERR.
dump() {
    local m=$1
    shift
    rm -f "$DTB"
    run -display none -M "$m,dumpdtb=$DTB" "$@"
    if [ "$RC" = 0 ] && [ -s "$DTB" ]; then
        ok "dumpdtb $m $*"
    else
        not_ok "dumpdtb $m $*" "exit $RC, stderr: $ERR"
    fi
}

# assoc NODE EXPECTED: the ibm,associativity of a node in $DTB.
assoc() {
    fdt_prop x "$1" ibm,associativity "$2"
}

# memories EXPECTED: every memory@ node, "name:reg:associativity" in tree order.
memories() {
    local got="" n
    for n in $(fdtget -l "$DTB" / | grep '^memory@'); do
        got="$got $n:$(fdtget -t x "$DTB" /$n reg):$(fdtget -t x "$DTB" /$n ibm,associativity)"
    done
    if [ "${got# }" = "$1" ]; then
        ok "memory nodes: $1"
    else
        not_ok "memory nodes: $1" "got: ${got# }"
    fi
}

# stderr_is TEXT: the last run's stderr, without the dumpdtb and TCG notices.
stderr_is() {
    local got
    got=$(printf '%s\n' "$ERR" | grep -v "dtb dumped\|TCG doesn't support")
    if [ "$got" = "$1" ]; then
        ok "stderr: ${1%%$'\n'*} (...)"
    else
        not_ok "stderr: ${1%%$'\n'*} (...)" "wanted: $1" "got: $got"
    fi
}

# Two nodes, a CPU range each, a distance: form 1 before CAS.
dump pseries -m 2G -smp 4 $B1G -numa node,nodeid=0,memdev=m0,cpus=0-1 \
    -numa node,nodeid=1,memdev=m1,cpus=2-3 -numa dist,src=0,dst=1,val=20
fdt_prop x /rtas ibm,associativity-reference-points "4 3 2 1"
fdt_prop x /rtas ibm,max-associativity-domains "4 2 2 2 2"
memories "memory@40000000:0 40000000 0 40000000:4 0 0 0 1 memory@0:0 0 0 40000000:4 0 0 0 0"
assoc /cpus/PowerPC,POWER9@0 "5 0 0 0 0 0"
assoc /cpus/PowerPC,POWER9@1 "5 0 0 0 0 1"
assoc /cpus/PowerPC,POWER9@2 "5 0 0 0 1 2"
assoc /cpus/PowerPC,POWER9@3 "5 0 0 0 1 3"

# Without -numa or with one node: the legacy reference points, and no
# associativity on the processors.
dump pseries -m 1G
fdt_prop x /rtas ibm,associativity-reference-points "4 4 2"
fdt_prop x /rtas ibm,max-associativity-domains "4 0 0 0 1"
assoc /cpus/PowerPC,POWER9@0 "Error at 'ibm,associativity': FDT_ERR_NOTFOUND"
dump pseries -m 1G -smp 2 -object memory-backend-ram,id=m0,size=1G -numa node,memdev=m0
fdt_prop x /rtas ibm,associativity-reference-points "4 4 2"
assoc /cpus/PowerPC,POWER9@1 "Error at 'ibm,associativity': FDT_ERR_NOTFOUND"
assoc /memory@0 "4 0 0 0 0"

# No cpus=: sockets go round-robin over the nodes (all of -smp 4 is one socket).
dump pseries -m 2G -smp 4,sockets=2,cores=2 $B1G $N2
assoc /cpus/PowerPC,POWER9@1 "5 0 0 0 0 1"
assoc /cpus/PowerPC,POWER9@2 "5 0 0 0 1 2"
dump pseries -m 2G -smp 4 $B1G $N2
assoc /cpus/PowerPC,POWER9@3 "5 0 0 0 0 3"

# A distance picks the levels two nodes share (QEMU's buckets, edges included).
for d in 10:"4 0 0 0 0" 11:"4 1 1 1 1" 12:"4 0 0 0 1" 30:"4 0 0 0 1" 31:"4 1 1 1 1" \
    32:"4 0 0 1 1" 60:"4 0 0 1 1" 61:"4 1 1 1 1" 62:"4 0 1 1 1" 120:"4 0 1 1 1" \
    121:"4 1 1 1 1" 255:"4 1 1 1 1"; do
    dump pseries -m 2G $B1G $N2 -numa dist,src=0,dst=1,val=${d%%:*}
    assoc /memory@40000000 "${d#*:}"
done

# Four nodes: each pair in order hands its shared levels on.
B4="$B1G -object memory-backend-ram,id=m2,size=1G -object memory-backend-ram,id=m3,size=1G"
N4="$N2 -numa node,memdev=m2 -numa node,memdev=m3"
dump pseries -m 4G $B4 $N4 -numa dist,src=0,dst=1,val=20 -numa dist,src=0,dst=2,val=40 \
    -numa dist,src=0,dst=3,val=40 -numa dist,src=1,dst=2,val=40 -numa dist,src=1,dst=3,val=40 \
    -numa dist,src=2,dst=3,val=20
memories "memory@c0000000:0 c0000000 0 40000000:4 0 0 2 3 memory@80000000:0 80000000 0 40000000:4 0 0 2 2 memory@40000000:0 40000000 0 40000000:4 0 0 0 1 memory@0:0 0 0 40000000:4 0 0 0 0"
dump pseries -m 4G $B4 $N4 -numa dist,src=0,dst=1,val=90 -numa dist,src=0,dst=2,val=90 \
    -numa dist,src=0,dst=3,val=90 -numa dist,src=1,dst=2,val=30 -numa dist,src=1,dst=3,val=60 \
    -numa dist,src=2,dst=3,val=15
assoc /memory@80000000 "4 0 1 1 2"
assoc /memory@c0000000 "4 0 1 1 3"
fdt_prop x /rtas ibm,max-associativity-domains "4 4 4 4 4"

# Uneven nodes: the real mode area is the first node's largest power of two;
# a node without memory has no memory node.
B3="-object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G -object memory-backend-ram,id=m2,size=512M"
dump pseries -m 2560M $B3 -numa node,memdev=m2 -numa node -numa node,memdev=m0 -numa node,memdev=m1
memories "memory@80000000:0 80000000 0 20000000:4 0 0 0 3 memory@60000000:0 60000000 0 20000000:4 0 0 0 3 memory@40000000:0 40000000 0 20000000:4 0 0 0 2 memory@20000000:0 20000000 0 20000000:4 0 0 0 2 memory@0:0 0 0 20000000:4 0 0 0 0"
dump pseries -m 2560M $B3 -numa node -numa node,memdev=m0 -numa node,memdev=m1 -numa node,memdev=m2
memories "memory@80000000:0 80000000 0 20000000:4 0 0 0 3 memory@40000000:0 40000000 0 40000000:4 0 0 0 2 memory@0:0 0 0 40000000:4 0 0 0 1"

# pseries-5.0: mem= (deprecated), legacy affinity.
dump pseries-5.0 -m 1536M -numa node,mem=768M -numa node,mem=768M
stderr_is "$P: -numa node,mem=768M: warning: Parameter -numa node,mem is deprecated, use -numa node,memdev instead
$P: -numa node,mem=768M: warning: Parameter -numa node,mem is deprecated, use -numa node,memdev instead"
fdt_prop x /rtas ibm,associativity-reference-points "4 4"
fdt_prop x /rtas ibm,max-associativity-domains "4 1 1 1 2"
memories "memory@40000000:0 40000000 0 20000000:4 0 0 0 1 memory@30000000:0 30000000 0 10000000:4 0 0 0 1 memory@20000000:0 20000000 0 10000000:4 0 0 0 0 memory@0:0 0 0 20000000:4 0 0 0 0"
dump pseries-5.1 -m 2G $B1G $N2 -numa dist,src=0,dst=1,val=10
fdt_prop x /rtas ibm,associativity-reference-points "4 4 2"
assoc /memory@40000000 "4 0 0 0 1"

# -numa cpu and partial mappings: QEMU's two warnings, the rest in node 0.
dump pseries -m 2G -smp 4,maxcpus=8 $B1G -numa node,memdev=m0,nodeid=0 -numa node,memdev=m1,nodeid=1 \
    -numa cpu,node-id=1,core-id=0 -numa cpu,node-id=0,core-id=1 -numa cpu,node-id=1,core-id=7
stderr_is "$P: warning: CPU(s) not present in any NUMA nodes: CPU 2 [core-id: 2], CPU 3 [core-id: 3], CPU 4 [core-id: 4], CPU 5 [core-id: 5], CPU 6 [core-id: 6]
$P: warning: All CPU(s) up to maxcpus should be described in NUMA config, ability to start up with partial NUMA mappings is obsoleted and will be removed in future"
assoc /cpus/PowerPC,POWER9@0 "5 0 0 0 1 0"
assoc /cpus/PowerPC,POWER9@1 "5 0 0 0 0 1"
dump pseries -m 2G -smp 4 $B1G $N2 -numa cpu,node-id=1
assoc /cpus/PowerPC,POWER9@2 "5 0 0 0 1 2"
dump pseries -m 2G -smp 4 $B1G $N2 -numa node,cpus=0
assoc /cpus/PowerPC,POWER9@0 "5 0 0 0 2 0"
dump pseries -m 2G -smp 4 $B1G -numa node,memdev=m0,cpus=0,cpus=2 -numa node,memdev=m1
assoc /cpus/PowerPC,POWER9@2 "5 0 0 0 0 2"
stderr_is "$P: warning: CPU(s) not present in any NUMA nodes: CPU 1 [core-id: 1], CPU 3 [core-id: 3]
$P: warning: All CPU(s) up to maxcpus should be described in NUMA config, ability to start up with partial NUMA mappings is obsoleted and will be removed in future"

# Errors, worded as QEMU 7.2 words them.
E="-display none -M pseries -m 2G -smp 4 $B1G"
expect_stderr "$P: total memory for NUMA nodes (0x0) should equal RAM size (0x80000000)" \
    $E -numa node -numa node
expect_stderr "$P: -numa node,mem=1G: Parameter -numa node,mem is not supported by this machine type
Use -numa node,memdev instead" $E -numa node,mem=1G -numa node,mem=1G
expect_stderr "$P: total memory for NUMA nodes (0x40000000) should equal RAM size (0x80000000)" \
    $E -numa node,memdev=m0
expect_stderr "$P: -numa node,memdev=m1,cpus=1: CPU is already assigned to node-id: 0" \
    -display none -M pseries -m 2G -smp 4,threads=2 $B1G -numa node,memdev=m0,cpus=0 -numa node,memdev=m1,cpus=1
expect_stderr "$P: -numa node,memdev=m1,cpus=2: CPU is already assigned to node-id: 0" \
    $E -numa node,memdev=m0,cpus=2 -numa node,memdev=m1,cpus=2
expect_stderr "$P: -numa node,memdev=m0,cpus=0-4: CPU index (4) should be smaller than maxcpus (4)" \
    $E -numa node,memdev=m0,cpus=0-4 -numa node,memdev=m1
expect_stderr "$P: -numa node,memdev=m1,nodeid=1: Duplicate NUMA nodeid: 1" \
    $E -numa node,memdev=m0,nodeid=1 -numa node,memdev=m1,nodeid=1
expect_stderr "$P: numa: Node ID missing: 1" $E -numa node,memdev=m0,nodeid=0 -numa node,memdev=m1,nodeid=2
expect_stderr "$P: numa: Node ID missing: 0" $E -numa node,memdev=m0,nodeid=1
expect_stderr "$P: -numa node,memdev=m0,nodeid=300: Max number of NUMA nodes reached: 300" \
    $E -numa node,memdev=m0,nodeid=300
expect_stderr "$P: -numa node,memdev=m0,nodeid=70000: Parameter 'nodeid' expects uint16_t" \
    $E -numa node,memdev=m0,nodeid=70000
expect_stderr "$P: -numa node,memdev=m0,nodeid=x: Parameter 'nodeid' expects a uint64 value" \
    $E -numa node,memdev=m0,nodeid=x
expect_stderr "$P: -numa node,memdev=m0,mem=1G: numa configuration should use either mem= or memdev=,mixing both is not allowed" \
    $E -numa node,memdev=m0,mem=1G
expect_stderr "$P: -numa node,mem=1G: numa configuration should use either mem= or memdev=,mixing both is not allowed" \
    $E -numa node,memdev=m0 -numa node,mem=1G
expect_stderr "$P: -numa node,memdev=mX: memdev=mX is ambiguous" $E -numa node,memdev=m0 -numa node,memdev=mX
expect_stderr "$P: -numa bogus: Parameter 'type' does not accept value 'bogus'" $E -numa bogus
expect_stderr "$P: -numa nodeid=1: Parameter 'type' is missing" $E -numa nodeid=1
expect_stderr "$P: -numa node,memdev=m0,foo=1: Invalid parameter 'foo'" $E -numa node,memdev=m0,foo=1
for c in a 3-1 0-1:3 1-70000 ""; do
    expect_stderr "$P: -numa node,memdev=m0,cpus=$c: Parameter 'cpus' expects a uint64 value or range" \
        $E -numa node,memdev=m0,cpus=$c -numa node,memdev=m1
done
expect_stderr "$P: -numa node,memdev=m0,cpus=70000: Parameter 'null' expects uint16_t" \
    $E -numa node,memdev=m0,cpus=70000
expect_stderr "$P: -numa node,memdev=m0,initiator=0: ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, enable it with -machine hmat=on before using any of hmat specific options" \
    $E -numa node,memdev=m0,initiator=0
expect_stderr "$P: memory backend m0 can't be used multiple times." $E -numa node,memdev=m0 -numa node,memdev=m0
expect_stderr "$P: '-machine memory-backend' and '-numa memdev' properties are mutually exclusive" \
    -display none -M pseries,memory-backend=m0 -m 1G $B1G -numa node,memdev=m0
expect_stderr "$P: -numa node,mem=abc: Parameter 'mem' expects a size value" \
    -display none -M pseries-5.0 -m 2G -numa node,mem=abc
# -numa dist
expect_stderr "$P: -numa dist,src=0,dst=1,val=5: NUMA distance (5) is invalid, it shouldn't be less than 10." \
    $E $N2 -numa dist,src=0,dst=1,val=5
expect_stderr "$P: -numa dist,src=0,dst=0,val=20: Local distance of node 0 should be 10." \
    $E $N2 -numa dist,src=0,dst=0,val=20
expect_stderr "$P: -numa dist,src=0,dst=3,val=20: Source/Destination NUMA node is missing. Please use '-numa node' option to declare it first." \
    $E $N2 -numa dist,src=0,dst=3,val=20
expect_stderr "$P: -numa dist,src=0,dst=128,val=20: Parameter 'dst' expects an integer between 0 and 127" \
    $E $N2 -numa dist,src=0,dst=128,val=20
expect_stderr "$P: -numa dist,src=0,dst=1: Parameter 'val' is missing" $E $N2 -numa dist,src=0,dst=1
expect_stderr "$P: -numa dist,dst=1,val=20: Parameter 'src' is missing" $E $N2 -numa dist,dst=1,val=20
expect_stderr "$P: -numa dist,src=1,val=20: Parameter 'dst' is missing" $E $N2 -numa dist,src=1,val=20
expect_stderr "$P: -numa dist,src=0,dst=1,val=300: Parameter 'val' expects uint8_t" $E $N2 -numa dist,src=0,dst=1,val=300
expect_stderr "$P: -numa dist,src=0,dst=1,val=-1: Parameter 'val' expects a uint64 value" $E $N2 -numa dist,src=0,dst=1,val=-1
expect_stderr "$P: -numa dist,src=70000,dst=1,val=20: Parameter 'src' expects uint16_t" $E $N2 -numa dist,src=70000,dst=1,val=20
expect_stderr "$P: -numa dist,src=0,dst=1,val=20,foo=1: Invalid parameter 'foo'" $E $N2 -numa dist,src=0,dst=1,val=20,foo=1
B3G="$B1G -object memory-backend-ram,id=m2,size=1G"
N3="$N2 -numa node,memdev=m2"
expect_stderr "$P: The distance between node 0 and 2 is missing, at least one distance value between each nodes should be provided." \
    -display none -M pseries -m 3G $B3G $N3 -numa dist,src=0,dst=1,val=20
expect_stderr "$P: The distance between node 1 and 2 is missing, at least one distance value between each nodes should be provided." \
    -display none -M pseries -m 3G $B3G $N3 -numa dist,src=0,dst=1,val=20 -numa dist,src=0,dst=2,val=20
expect_stderr "$P: At least one asymmetrical pair of distances is given, please provide distances for both directions of all node pairs." \
    -display none -M pseries -m 3G $B3G $N3 -numa dist,src=0,dst=1,val=20 -numa dist,src=1,dst=0,val=30 \
    -numa dist,src=0,dst=2,val=20 -numa dist,src=1,dst=2,val=20
# -numa cpu
expect_stderr "$P: -numa cpu,node-id=1,core-id=1: no match found" \
    -display none -M pseries -m 2G -smp 4,threads=2 $B1G $N2 -numa cpu,node-id=1,core-id=1
expect_stderr "$P: -numa cpu,node-id=1,core-id=9: no match found" $E $N2 -numa cpu,node-id=1,core-id=9
for id in socket-id die-id cluster-id thread-id; do
    expect_stderr "$P: -numa cpu,node-id=1,$id=0: $id is not supported" $E $N2 -numa cpu,node-id=1,$id=0
done
expect_stderr "$P: -numa cpu,node-id=2,core-id=0: Invalid node-id=2, NUMA node must be defined with -numa node,nodeid=ID before it's used with -numa cpu,node-id=ID" \
    $E $N2 -numa cpu,node-id=2,core-id=0
expect_stderr "$P: -numa cpu,core-id=0: Missing mandatory node-id property" $E $N2 -numa cpu,core-id=0
expect_stderr "$P: -numa cpu,node-id=x: Parameter 'node-id' expects an int64 value" $E $N2 -numa cpu,node-id=x
expect_stderr "$P: -numa cpu,node-id=1,core-id=x: Parameter 'core-id' expects an int64 value" \
    $E $N2 -numa cpu,node-id=1,core-id=x

# HMP info numa as QEMU 7.2 prints it (numa-test reads it), -machine smp.* included.
info_numa() {
    local bin=$1
    shift
    printf '%s\n' '{"execute":"qmp_capabilities"}' \
        '{"execute":"human-monitor-command","arguments":{"command-line":"info numa"}}' \
        '{"execute":"quit"}' |
        timeout 20 "$bin" -M pseries -nodefaults -display none -S -qmp stdio "$@" 2>/dev/null |
        grep '"return": "'
}
for args in "-smp 2" \
    "-machine smp.cpus=8,smp.sockets=8 -object memory-backend-ram,id=ram,size=512M -numa node,memdev=ram -numa node" \
    "-machine smp.cpus=8 -object memory-backend-ram,id=ram,size=512M -numa node,nodeid=0,memdev=ram,cpus=0-1 -numa node,nodeid=1,cpus=4-5"; do
    # shellcheck disable=SC2086 # args is a list of options
    ours=$(info_numa "$QEMU" $args)
    # shellcheck disable=SC2086
    theirs=$(info_numa /usr/bin/qemu-system-ppc64 -vga none $args)
    if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
        ok "info numa as QEMU 7.2: $args"
    else
        not_ok "info numa as QEMU 7.2: $args" "ours: $ours" "QEMU: $theirs"
    fi
done

tap_done
