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

# device-list-properties of every device type ours has, against QEMU 7.2: each
# property both list has QEMU's type name ("int" for a core's core-id, int64 in
# QEMU; OnOffAuto, link<rng-backend>).  The SCSI units' block sizes and ids and
# the balloon's vectors still differ; the virtio types lack some of QEMU's
# properties, and the order is not QEMU's (docs/devel/device-model.rst).
KNOWN_DIFF="scsi-cd scsi-hd virtio-balloon-pci virtio-balloon-pci-transitional
virtio-balloon-pci-non-transitional"
python3 - "$QEMU" "${ORACLE:-/usr/bin/qemu-system-ppc64}" "$KNOWN_DIFF" >"$TMP/props" <<'PY'
import json, subprocess, sys
def run(binary, cmds):
    text = "".join(json.dumps(c) + "\n" for c in
                   [{"execute": "qmp_capabilities"}] + cmds + [{"execute": "quit"}])
    p = subprocess.run([binary, "-M", "pseries", "-nodefaults", "-S", "-display", "none",
                        "-qmp", "stdio"], input=text, capture_output=True, text=True, timeout=120)
    msgs = [json.loads(l) for l in p.stdout.splitlines()[1:]]
    return [m for m in msgs if "event" not in m][1:]
ours, oracle, known = sys.argv[1], sys.argv[2], sys.argv[3].split()
types = run(ours, [{"execute": "qom-list-types",
                    "arguments": {"implements": "device", "abstract": False}}])[0]["return"]
names = sorted(t["name"] for t in types if t["name"] not in known)
cmds = [{"execute": "device-list-properties", "arguments": {"typename": n}} for n in names]
for n, a, b in zip(names, run(ours, cmds), run(oracle, cmds)):
    a = {p["name"]: p["type"] for p in a.get("return", [])}
    b = {p["name"]: p["type"] for p in b.get("return", [])}
    bad = [f"{k}: ours {a[k]}, QEMU {b[k]}" for k in sorted(a) if k in b and a[k] != b[k]]
    print(("ok " if not bad else "diff ") + n + "".join("\n  " + x for x in bad))
PY
n_types=$(grep -c '^ok \|^diff ' "$TMP/props")
if [ "$n_types" -gt 20 ] && ! grep -q '^diff ' "$TMP/props"; then
    ok "device-list-properties: $n_types device types' type names as QEMU 7.2"
else
    not_ok "device-list-properties type names as QEMU 7.2 ($n_types types)" \
        "$(grep -A3 '^diff ' "$TMP/props")"
fi
for t in power9_v2.0-spapr-cpu-core power8_v2.0-spapr-cpu-core pc-dimm; do
    want=$("${ORACLE:-/usr/bin/qemu-system-ppc64}" -device "$t,help" 2>&1)
    got=$("$QEMU" -device "$t,help" 2>&1)
    if [ "$got" = "$want" ]; then
        ok "-device $t,help as QEMU 7.2"
    else
        not_ok "-device $t,help as QEMU 7.2" "$(diff <(echo "$got") <(echo "$want"))"
    fi
done

# core-id and nr-threads are int64 (QEMU's "int"): their values and errors.
qmp_same core-int -M pseries -nodefaults -smp 1,maxcpus=4 <<CMDS
$(add power9_v2.0-spapr-cpu-core ', "core-id": "x"')
$(add power9_v2.0-spapr-cpu-core ', "core-id": true')
$(add power9_v2.0-spapr-cpu-core ', "core-id": -9223372036854775808')
$(add power9_v2.0-spapr-cpu-core ', "core-id": 1, "nr-threads": "9223372036854775808"')
$(add power9_v2.0-spapr-cpu-core ', "core-id": 1, "nr-threads": 2')
$(add power9_v2.0-spapr-cpu-core ', "core-id": 3, "id": "c3"')
{"execute": "qom-get", "arguments": {"path": "/machine/peripheral/c3", "property": "core-id"}}
{"execute": "qom-get", "arguments": {"path": "/machine/peripheral/c3", "property": "nr-threads"}}
CMDS

tap_done
