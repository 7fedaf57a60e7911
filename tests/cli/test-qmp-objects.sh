# qom-list/qom-get below /objects and virtio-rng-pci's rng= against QEMU 7.2
# (monitor/qmp-qom-objects.c, hw/virtio/virtio-rng.c): qmp-objects.py's
# transcript diffed, then key replies and the -device errors on ours alone.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

timeout 60 python3 "$SRCDIR/tests/cli/qmp-objects.py" "$QEMU" >"$TMP/ours" 2>&1
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
else
    timeout 60 python3 "$SRCDIR/tests/cli/qmp-objects.py" "$ORACLE" oracle >"$TMP/oracle" 2>&1
    if [ "$(grep -c -- '->' "$TMP/oracle")" -ge 100 ] && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "/objects over QMP answers as QEMU 7.2 ($(grep -c -- '->' "$TMP/ours") commands)"
    else
        not_ok "/objects over QMP answers as QEMU 7.2" "$(head -60 "$TMP/diff")"
    fi
fi

# has TEXT: our transcript has a line with TEXT.
has() {
    if grep -qF -- "$1" "$TMP/ours"; then
        ok "$2"
    else
        not_ok "$2" "wanted: $1"
    fi
}
has 'qom-list /objects/rng0 -> {"return": [{"name": "type", "type": "string"}, {"name": "opened", "type": "bool"}, {"name": "filename", "type": "string"}]}' \
    "rng-random's properties"
has '{"path": "/objects/rng2", "property": "filename"}} -> {"return": "/dev/urandom"}' \
    "rng-random's default file"
has '{"path": "/objects/mem0", "property": "size"}} -> {"return": 67108864}' "a backend's size"
has '{"path": "/objects/ppc_spapr.ram", "property": "size"}} -> {"return": 536870912}' \
    "the machine's RAM backend"
has '{"path": "/objects/mm", "property": "share"}} -> {"return": true}' "memfd shares by default"
has '{"path": "/objects/io0", "property": "poll-max-ns"}} -> {"return": 1000}' "an iothread's setting"
has '{"path": "/objects/rng0", "property": "nope"}} -> {"error": {"class": "GenericError", "desc": "Property '"'"'rng-random.nope'"'"' not found"}}' \
    "an unknown property"
has '"rng": "nope"}} -> {"error": {"class": "DeviceNotFound", "desc": "Device '"'"'nope'"'"' not found"}}' \
    "device_add rng= names no object"
has '"rng": "sec0"}} -> {"error": {"class": "GenericError", "desc": "Invalid parameter type for '"'"'rng'"'"', expected: rng-backend"}}' \
    "device_add rng= names a secret"

expect_error "^qemu-system-ppc64: -device virtio-rng-pci,rng=nope: Device 'nope' not found$" \
    -display none -M pseries -S -nodefaults -device virtio-rng-pci,rng=nope
expect_error "^qemu-system-ppc64: -device virtio-rng-pci,rng=s0: Invalid parameter type for 'rng', expected: rng-backend$" \
    -display none -M pseries -S -nodefaults -object secret,id=s0,data=x -device virtio-rng-pci,rng=s0
expect_error "^qemu-system-ppc64: -object rng-builtin,id=r,filename=x: Invalid parameter 'filename'$" \
    -display none -M pseries -S -nodefaults -object rng-builtin,id=r,filename=x
expect_error "^qemu-system-ppc64: Could not open '/nonexistent': No such file or directory$" \
    -display none -M pseries -S -nodefaults -object rng-random,id=r,filename=/nonexistent

tap_done
