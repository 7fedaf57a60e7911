# HMP info roms against QEMU 7.2: every image the loader placed (firmware, each ELF
# segment of the kernel, the initrd), by address, with QEMU's address, size and name
# (the firmware's directory aside: each binary reads its own copy).  With x-vof=on
# QEMU loads vof.bin; ours serves the client interface itself and loads no image, so
# that one line is left out of QEMU's list.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
KERNEL=$TMP/kernel.elf
INITRD=$TMP/initrd.img

# roms BINARY ARGS...: the info roms lines, the firmware's path cut to its name.
roms() {
    local q=$1
    shift
    local extra=
    [ "$q" = "$ORACLE" ] && extra="-vga none"
    printf '%s\n' '{"execute":"qmp_capabilities"}' \
        '{"execute":"human-monitor-command","arguments":{"command-line":"info roms"}}' \
        '{"execute":"quit"}' |
        timeout 20 "$q" $extra -display none -M pseries -S -nodefaults -qmp stdio "$@" 2>/dev/null |
        sed -n 3p | python3 -c 'import json,sys; print(json.load(sys.stdin)["return"], end="")' |
        sed 's|name="/[^"]*/\([^/"]*\.bin\)"|name="\1"|' | tr -d '\r' |
        { if [ "$q" = "$ORACLE" ]; then grep -v 'name="vof.bin"'; else cat; fi; }
}

same() {
    local ours theirs
    ours=$(roms "$QEMU" "$@")
    theirs=$(roms "$ORACLE" "$@")
    if [ -n "$theirs" ] && [ "$ours" = "$theirs" ]; then
        ok "info roms as QEMU 7.2: $*"
    else
        not_ok "info roms as QEMU 7.2: $*" "ours:" "$ours" "QEMU:" "$theirs"
    fi
}

# A 64-bit big-endian ELF with two PT_LOAD segments (the second with bss) and a NOTE
# between them, so segment numbers are program header numbers.
python3 - "$KERNEL" <<'PY'
import struct, sys
phs = [(1, 0x1000, 0x400000, 0x100, 0x100), (4, 0x1100, 0, 0x10, 0x10),
       (1, 0x1200, 0x500000, 0x80, 0x2000)]
eh = struct.pack('>4sBBBB8xHHIQQQIHHHHHH', b'\x7fELF', 2, 2, 1, 0, 2, 21, 1, 0x400000, 64, 0,
                 0, 64, 56, len(phs), 64, 0, 0)
ph = b''.join(struct.pack('>IIQQQQQQ', t, 7, off, va, va, fs, ms, 0x10)
              for t, off, va, fs, ms in phs)
body = bytearray(0x1300)
body[:len(eh + ph)] = eh + ph
open(sys.argv[1], 'wb').write(bytes(body))
PY
head -c 12345 /dev/urandom >"$INITRD"

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
fi
same
same -kernel "$KERNEL"
same -M pseries,x-vof=on -kernel "$KERNEL" -initrd "$INITRD"

tap_done
