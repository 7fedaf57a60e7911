#!/bin/bash
# HMP info mtree against QEMU 7.2: the address spaces (memory and the CPUs',
# I/O, each PHB's IOMMU, each PCI device's bus master container, each VIO
# device's DMA window) and the regions their aliases lead to.  QEMU prints the
# blocks in a hash table's order, so both sides' blocks are sorted.
. "$(dirname "$0")/lib.sh"
need_oracle

# mtree_blocks: a QMP_SAME_FILTER; a reply holding info mtree's text becomes its
# lines, blocks (separated by empty lines) in sorted order.
mtree_blocks() {
    python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line).get("return")
    if isinstance(r, str) and r:
        blocks = [b.strip("\n") for b in r.replace("\r", "").split("\n\n") if b.strip()]
        print("\n\n".join(sorted(blocks)))
    else:
        print(line, end="")
'
}
QMP_SAME_FILTER=mtree_blocks

mtree() {
    qmp_same "info mtree: $*" -nodefaults "$@" <<'EOF2'
{"execute":"human-monitor-command","arguments":{"command-line":"info mtree"}}
EOF2
}

# XIVE is not modelled here: QEMU 7.2's default ic-mode=dual shows its regions.
X="-M pseries,ic-mode=xics"
mtree $X
mtree -M none
mtree $X -smp 3 -device virtio-rng-pci -device spapr-pci-host-bridge,index=1 \
    -device virtio-net-pci,bus=pci.1,romfile=
mtree $X -smp 2,maxcpus=4 -device spapr-pci-host-bridge,index=1,ddw=off \
    -device virtio-rng-pci,bus=pci.1
mtree $X -device spapr-pci-host-bridge,index=1,mem64_win_size=0,io_win_size=0
mtree $X -device spapr-vscsi -nic user,model=spapr-vlan -device spapr-vty,chardev=c \
    -chardev null,id=c -m 1G,slots=2,maxmem=2G -object memory-backend-ram,id=m1,size=512M \
    -device pc-dimm,id=d1,memdev=m1
mtree $X -m 1G -object memory-backend-ram,id=a,size=512M -object memory-backend-ram,id=b,size=512M \
    -numa node,memdev=a -numa node,memdev=b
mtree -M pseries-5.0,ic-mode=xics -m 1G -object memory-backend-ram,id=r,size=1G \
    -machine memory-backend=r

tap_done
