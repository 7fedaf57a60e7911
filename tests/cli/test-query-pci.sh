# query-pci (QMP) and info pci (HMP) against QEMU 7.2 for several sets of PCI
# devices: each PHB's bus (the last PHB created first, as QEMU lists its
# host bridges), each device's ids, class, interrupt pin and BARs (address -1
# while the guest has not placed them: the machine is stopped before its
# firmware runs).
. "$(dirname "$0")/lib.sh"
need_oracle

pci_same() {
    qmp_sock_same "$@" <<'QMP'
{"execute": "query-pci"}
{"execute": "human-monitor-command", "arguments": {"command-line": "info pci"}}
{"execute": "query-pci", "arguments": {"bus": 0}}
QMP
}

pci_same "no PCI device" -M pseries -nodefaults
pci_same "pci-testdev and virtio-rng-pci" -M pseries -nodefaults \
    -device pci-testdev -device virtio-rng-pci,id=rng0
pci_same "addresses, functions, ids" -M pseries -nodefaults \
    -device virtio-rng-pci,addr=5.0,multifunction=on,id=a -device pci-testdev,addr=5.3 \
    -device virtio-rng-pci,addr=0x1f,id=last
pci_same "a second and a third PHB" -M pseries -nodefaults \
    -device pci-testdev -device spapr-pci-host-bridge,index=1,id=phb1 \
    -device virtio-rng-pci,bus=phb1.0,addr=3.2 -device spapr-pci-host-bridge,index=2 \
    -device pci-testdev,bus=pci.1
pci_same "storage, network, console and balloon" -M pseries -nodefaults \
    -drive if=none,id=d0,file=null-co://,format=raw -device virtio-blk-pci,drive=d0 \
    -device virtio-scsi-pci -device virtio-serial-pci -device virtio-balloon-pci \
    -netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile=
pci_same "the default devices" -M pseries
tap_done
