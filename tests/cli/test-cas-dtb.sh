# The tree before ibm,client-architecture-support: the NUMA, capacity and
# compatibility properties QEMU 7.2 gives (values read from its dumpdtb).
. "$(dirname "$0")/lib.sh"

DTB=$TMP/t.dtb
CPU9=/cpus/PowerPC,POWER9@0
CPU8=/cpus/PowerPC,POWER8@0

# dump ARGS...: build the tree with -M pseries-ARGS... (first word) and the rest.
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


# Form 1 affinity before CAS; nothing agreed yet.
dump pseries -m 1G
fdt_prop x /rtas ibm,associativity-reference-points "4 4 2"
fdt_prop x /rtas ibm,max-associativity-domains "4 0 0 0 1"
fdt_prop x /rtas ibm,lrdr-capacity "0 0 0 10000000 1"
fdt_prop x /memory@0 ibm,associativity "4 0 0 0 0"
fdt_prop bx /chosen ibm,architecture-vec-5 "0 0"
fdt_prop x $CPU9 cpu-version 4e1200
fdt_prop s /ibm,persistent-memory device_type ibm,persistent-memory

# pseries-5.0 and older: two reference points.
dump pseries-5.0 -m 1G
fdt_prop x /rtas ibm,associativity-reference-points "4 4"
dump pseries-5.1 -m 1G
fdt_prop x /rtas ibm,associativity-reference-points "4 4 2"

# Hot-pluggable memory from the 1 GiB boundary above RAM; cores up to maxcpus.
dump pseries -m 1G,slots=2,maxmem=2G
fdt_prop x /rtas ibm,lrdr-capacity "0 80000000 0 10000000 1"
dump pseries -m 1536M,slots=4,maxmem=4G
fdt_prop x /rtas ibm,lrdr-capacity "1 20000000 0 10000000 1"
dump pseries -m 1G -smp 2,maxcpus=4
fdt_prop x /rtas ibm,lrdr-capacity "0 0 0 10000000 4"

# RAM in naturally aligned power-of-two nodes after the real mode area.
dump pseries -m 1536M
fdt_prop x /memory@0 reg "0 0 0 40000000"
fdt_prop x /memory@40000000 reg "0 40000000 0 20000000"
fdt_prop x /memory@40000000 ibm,associativity "4 0 0 0 0"
dump pseries -m 6G
fdt_prop x /memory@0 reg "0 0 1 0"
fdt_prop x /memory@100000000 reg "1 0 0 80000000"

# max-cpu-compat: the processors start at the logical PVR; below 3.00, no
# radix offered and the 2.07 feature bytes.
dump pseries,max-cpu-compat=power9 -m 1G
fdt_prop x $CPU9 cpu-version f000005
dump pseries,max-cpu-compat=power8 -m 1G
fdt_prop x $CPU9 cpu-version f000004
fdt_prop x /chosen ibm,arch-vec-5-platform-support "17001800 19001a40"
fdt_prop bx $CPU9 ibm,pa-features "18 0 f6 3f c7 c0 80 f0 80 0 0 0 0 0 0 0 0 0 80 0 80 0 80 0 0 0"
dump pseries-2.12 -m 1G
fdt_prop x $CPU8 cpu-version 4d0200

tap_done
