# The device core's QMP side against QEMU 7.2: device_add errors and their
# classes (DeviceNotFound where QEMU says it: a link, a memdev, a device in a
# bus path; GenericError elsewhere), bus= paths.
. "$(dirname "$0")/lib.sh"

add() {
    printf '{"execute": "device_add", "arguments": {"driver": "%s"%s}}\n' "$1" "$2"
}
NET='virtio-net-pci", "romfile": "'

qmp_same errors -M pseries -nodefaults -m 1G,slots=2,maxmem=2G \
    -object memory-backend-ram,id=m1,size=256M \
    -device virtio-net-pci,romfile=,id=n0 -device virtio-serial-pci,id=vs <<CMDS
$(add nope)
$(add pc-dimm ', "memdev": "nope", "id": "d1"')
$(add pc-dimm ', "id": "d2"')
$(add virtio-rng-pci ', "rng": "nope"')
$(add virtio-net-pci ', "netdev": "nope", "romfile": ""')
$(add virtio-net-pci ', "foo": "1"')
$(add spapr-vty)
$(add scsi-hd ', "drive": "nope"')
{"execute": "device_del", "arguments": {"id": "nope"}}
{"execute": "device_del", "arguments": {"id": "/machine/nope"}}
CMDS

qmp_same bus-paths -M pseries -nodefaults \
    -device virtio-net-pci,romfile=,id=n0 -device virtio-serial-pci,id=vs <<CMDS
$(add "$NET" ', "bus": "nope"')
$(add "$NET" ', "bus": "/machine/nope"')
$(add "$NET" ', "bus": "x/y"')
$(add "$NET" ', "bus": "pci.0/nope"')
$(add "$NET" ', "bus": "pci.0/vs/nope"')
$(add "$NET" ', "bus": "pci.0/n0/x"')
$(add "$NET" ', "bus": "/"')
$(add "$NET" ', "bus": "//"')
$(add "$NET" ', "bus": "main-system-bus"')
$(add "$NET" ', "bus": "/spapr-pci-host-bridge"')
$(add "$NET" ', "bus": "/spapr-pci-host-bridge/nope"')
$(add "$NET" ', "bus": "/spapr-pci-host-bridge/pci.0", "id": "n1"')
$(add "$NET" ', "bus": "/spapr-pci-host-bridge/pci.0/", "id": "n2"')
$(add "$NET" ', "bus": "/spapr-vio-bridge"')
$(add "$NET" ', "bus": "spapr-vio"')
{"execute": "qom-get", "arguments": {"path": "/machine/peripheral/n1", "property": "type"}}
{"execute": "qom-get", "arguments": {"path": "/machine/peripheral/n2", "property": "type"}}
CMDS

tap_done
