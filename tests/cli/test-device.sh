# -device, -global and the device help: QEMU 7.2's output and messages, word
# for word (checked against /usr/bin/qemu-system-ppc64 -M pseries).
. "$(dirname "$0")/lib.sh"

DTB=$TMP/d.dtb

# expect_stdout "WANT" ARGS...: exit 0 and stdout exactly WANT.
expect_stdout() {
    local want=$1
    shift
    run "$@"
    if [ "$RC" = 0 ] && [ "$OUT" = "$want" ]; then
        ok "stdout: $*"
    else
        not_ok "stdout: $*" "exit $RC, stdout: $OUT" "wanted: $want" "stderr: $ERR"
    fi
}

# expect_node PATH ARGS...: the tree dumped with ARGS has node PATH.
expect_node() {
    local path=$1
    shift
    run -M "pseries,dumpdtb=$DTB" "$@"
    if [ "$RC" = 0 ] && dtc -I dtb -O dts "$DTB" 2>/dev/null | grep -q "^[[:space:]]*${path##*/} {"; then
        ok "node $path: $*"
    else
        not_ok "node $path: $*" "exit $RC, stderr: $ERR"
    fi
}

# The list: only types a user may create, grouped as QEMU groups them.
expect_stdout 'Controller/Bridge/Hub devices:
name "spapr-pci-host-bridge", bus System

Storage devices:
name "scsi-cd", bus SCSI, desc "virtual SCSI CD-ROM"
name "scsi-hd", bus SCSI, desc "virtual SCSI disk"
name "spapr-vscsi", bus spapr-vio-bus
name "virtio-blk-pci", bus PCI, alias "virtio-blk"
name "virtio-blk-pci-non-transitional", bus PCI
name "virtio-blk-pci-transitional", bus PCI
name "virtio-scsi-pci", bus PCI, alias "virtio-scsi"
name "virtio-scsi-pci-non-transitional", bus PCI
name "virtio-scsi-pci-transitional", bus PCI

Network devices:
name "spapr-vlan", bus spapr-vio-bus
name "virtio-net-pci", bus PCI, alias "virtio-net"
name "virtio-net-pci-non-transitional", bus PCI
name "virtio-net-pci-transitional", bus PCI

Input devices:
name "spapr-vty", bus spapr-vio-bus
name "virtconsole", bus virtio-serial-bus
name "virtio-serial-pci", bus PCI, alias "virtio-serial"
name "virtio-serial-pci-non-transitional", bus PCI
name "virtio-serial-pci-transitional", bus PCI
name "virtserialport", bus virtio-serial-bus

Misc devices:
name "pci-testdev", bus PCI, desc "PCI Test Device"
name "virtio-balloon-pci", bus PCI, alias "virtio-balloon"
name "virtio-balloon-pci-non-transitional", bus PCI
name "virtio-balloon-pci-transitional", bus PCI
name "virtio-rng-pci", bus PCI, alias "virtio-rng"
name "virtio-rng-pci-non-transitional", bus PCI
name "virtio-rng-pci-transitional", bus PCI

CPU devices:
name "power8_v2.0-spapr-cpu-core"
name "power9_v2.0-spapr-cpu-core"

Uncategorized devices:
name "pc-dimm", desc "DIMM memory module"' -device help
expect_stdout 'Controller/Bridge/Hub devices:
name "spapr-pci-host-bridge", bus System

Storage devices:
name "scsi-cd", bus SCSI, desc "virtual SCSI CD-ROM"
name "scsi-hd", bus SCSI, desc "virtual SCSI disk"
name "spapr-vscsi", bus spapr-vio-bus
name "virtio-blk-pci", bus PCI, alias "virtio-blk"
name "virtio-blk-pci-non-transitional", bus PCI
name "virtio-blk-pci-transitional", bus PCI
name "virtio-scsi-pci", bus PCI, alias "virtio-scsi"
name "virtio-scsi-pci-non-transitional", bus PCI
name "virtio-scsi-pci-transitional", bus PCI

Network devices:
name "spapr-vlan", bus spapr-vio-bus
name "virtio-net-pci", bus PCI, alias "virtio-net"
name "virtio-net-pci-non-transitional", bus PCI
name "virtio-net-pci-transitional", bus PCI

Input devices:
name "spapr-vty", bus spapr-vio-bus
name "virtconsole", bus virtio-serial-bus
name "virtio-serial-pci", bus PCI, alias "virtio-serial"
name "virtio-serial-pci-non-transitional", bus PCI
name "virtio-serial-pci-transitional", bus PCI
name "virtserialport", bus virtio-serial-bus

Misc devices:
name "pci-testdev", bus PCI, desc "PCI Test Device"
name "virtio-balloon-pci", bus PCI, alias "virtio-balloon"
name "virtio-balloon-pci-non-transitional", bus PCI
name "virtio-balloon-pci-transitional", bus PCI
name "virtio-rng-pci", bus PCI, alias "virtio-rng"
name "virtio-rng-pci-non-transitional", bus PCI
name "virtio-rng-pci-transitional", bus PCI

CPU devices:
name "power8_v2.0-spapr-cpu-core"
name "power9_v2.0-spapr-cpu-core"

Uncategorized devices:
name "pc-dimm", desc "DIMM memory module"' -device '?'
VTY_HELP='spapr-vty options:
  chardev=<str>          - ID of a chardev to use as a backend
  reg=<uint32>           -  (default: 4294967295)'
expect_stdout "$VTY_HELP" -device spapr-vty,help
expect_stdout "$VTY_HELP" -device spapr-vty,chardev=x,help
expect_stdout "$VTY_HELP" -device spapr-vty,?
# An alias names its type (QEMU's "virtio-rng" for virtio-rng-pci).
run -device virtio-rng,help
if [ "$RC" = 0 ] && [ "${OUT%%$'\n'*}" = "virtio-rng-pci options:" ]; then
    ok "-device virtio-rng,help: the alias names virtio-rng-pci"
else
    not_ok "-device virtio-rng,help: the alias names virtio-rng-pci" "exit $RC, stdout: $OUT"
fi
# An unknown type's help: the error, yet exit status 0, as QEMU 7.2.
run -device nosuch,help
if [ "$RC" = 0 ] && [ -z "$OUT" ] &&
   [ "$ERR" = "qemu-system-ppc64: -device nosuch,help: Device 'nosuch' not found" ]; then
    ok "-device nosuch,help: not found, exit 0"
else
    not_ok "-device nosuch,help: not found, exit 0" "exit $RC, stdout: $OUT, stderr: $ERR"
fi

# Properties: unknown ones and bad values.
expect_error "^qemu-system-ppc64: -device spapr-vty,chardev=c1,foo=1: Property 'spapr-vty.foo' not found$" \
    -chardev null,id=c1 -device spapr-vty,chardev=c1,foo=1
expect_error "^qemu-system-ppc64: -device spapr-vty,reg=-1: Parameter 'reg' expects uint32_t$" \
    -device spapr-vty,reg=-1
expect_error "^qemu-system-ppc64: -device spapr-vty,reg=1k: Parameter 'reg' expects integer$" \
    -device spapr-vty,reg=1k
expect_error "^qemu-system-ppc64: -device spapr-vty,chardev=: chardev property not set$" \
    -device spapr-vty,chardev=
expect_error "^qemu-system-ppc64: -device spapr-vio-bridge: Parameter 'driver' expects a pluggable device type$" \
    -device spapr-vio-bridge
expect_error "^qemu-system-ppc64: -device vio-spapr-device: Parameter 'driver' expects a non-abstract device type$" \
    -device vio-spapr-device
expect_error "^qemu-system-ppc64: -device spapr-vio-device: 'spapr-vio-device' is not a valid device model name$" \
    -device spapr-vio-device
expect_error "^qemu-system-ppc64: -device chardev=x: Parameter 'driver' is missing$" \
    -device chardev=x
expect_error "^qemu-system-ppc64: -device spapr-vty,bus=nope: Bus 'nope' not found$" \
    -device spapr-vty,bus=nope
# A repeated key: the last value counts.
expect_error "Parameter 'reg' expects integer$" -device spapr-vty,reg=1,reg=abc
expect_node /vdevice/vty@2000 -nodefaults -chardev null,id=c1 \
    -device spapr-vty,chardev=c1,reg=0x1000,reg=0x2000

# ids: refused while the command line is read, before any driver is looked at.
expect_error "^qemu-system-ppc64: -device nosuch,id=a: Duplicate ID 'a' for device$" \
    -device spapr-vty,id=a -device nosuch,id=a
run -device nosuch,id=1a
if [ "$RC" = 1 ] && [ "$ERR" = "qemu-system-ppc64: -device nosuch,id=1a: Parameter 'id' expects an identifier
Identifiers consist of letters, digits, '-', '.', '_', starting with a letter." ]; then
    ok "bad id: message and hint"
else
    not_ok "bad id: message and hint" "exit $RC, stderr: $ERR"
fi

# JSON -device.
expect_node /vdevice/vty@71000010 -nodefaults -chardev null,id=c1 \
    -device '{"driver":"spapr-vty","chardev":"c1","reg":1895825424,"id":"con1"}'
expect_error "Invalid parameter type for 'chardev', expected: string$" \
    -device '{"driver":"spapr-vty","chardev":5}'
expect_error "Parameter 'reg' expects uint32_t$" -chardev null,id=c \
    -device '{"driver":"spapr-vty","chardev":"c","reg":-1}'
expect_error "Parameter 'reg' expects uint64$" -chardev null,id=c \
    -device '{"driver":"spapr-vty","chardev":"c","reg":"0x71000010"}'
# Properties are set in the object's order: the first bad one is reported.
expect_error "Property 'spapr-vty.chardev' can't find value 'c'$" \
    -device '{"driver":"spapr-vty","chardev":"c","reg":-1}'
expect_error "Property 'spapr-vty.foo' not found$" -chardev null,id=c1 \
    -device '{"driver":"spapr-vty","chardev":"c1","foo":1}'
expect_error "^qemu-system-ppc64: -device \\{\"chardev\":\"c\"\\}: Parameter 'driver' is missing$" \
    -device '{"chardev":"c"}'
expect_error "JSON parse error" -device '{"driver":"spapr-vty",'

# -global: applied when a device of the type is made, before its own values.
expect_node /vdevice/vty@71000010 -nodefaults -chardev null,id=c1 \
    -global spapr-vty.reg=0x71000010 -device spapr-vty,chardev=c1
expect_node /vdevice/vty@71000020 -nodefaults -chardev null,id=c1 \
    -global driver=spapr-vty,property=reg,value=0x71000020 -device spapr-vty,chardev=c1
expect_node /vdevice/vty@71000030 -nodefaults -chardev null,id=c1 \
    -global spapr-vty.reg=0x71000010 -device spapr-vty,chardev=c1,reg=0x71000030
# The board's own consoles take them too.
expect_node /vdevice/vty@71000040 -nodefaults -serial null -global spapr-vty.reg=0x71000040
expect_error "^qemu-system-ppc64: -device spapr-vty,chardev=c1: can't apply global spapr-vty.foo=1: Property 'spapr-vty.foo' not found$" \
    -nodefaults -chardev null,id=c1 -global spapr-vty.foo=1 -device spapr-vty,chardev=c1
expect_error "^qemu-system-ppc64: -device spapr-vty,chardev=c1: can't apply global spapr-vty.reg=abc: Parameter 'reg' expects uint64$" \
    -nodefaults -chardev null,id=c1 -global spapr-vty.reg=abc -device spapr-vty,chardev=c1
expect_error "can't apply global spapr-vty.reg=-1: Parameter 'reg' expects uint32_t$" \
    -chardev null,id=c1 -global spapr-vty.reg=-1 -device spapr-vty,chardev=c1
expect_error "^qemu-system-ppc64: -global spapr-vty: Invalid parameter 'spapr-vty'$" \
    -global spapr-vty
expect_error "^qemu-system-ppc64: -global .reg=1: Invalid parameter '.reg'$" -global .reg=1
# The board's default console meets the global first: no -device in the message.
expect_error "^qemu-system-ppc64: can't apply global spapr-vty.foo=1: Property 'spapr-vty.foo' not found$" \
    -chardev null,id=c1 -global spapr-vty.foo=1 -device spapr-vty,chardev=c1
# A global for a type nobody creates is ignored, as QEMU does.
expect_node /vdevice/vty@71000000 -nodefaults -serial null -global nosuch.foo=1

tap_done
