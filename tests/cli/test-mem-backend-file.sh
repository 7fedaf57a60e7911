#!/bin/bash
# memory-backend-file's mem-path, readonly=, pmem=, discard-data= against QEMU 7.2:
# what is accepted or refused (exit status and message) and the file left behind
# (created or not, its size).
. "$(dirname "$0")/lib.sh"
need_oracle

# outcome BINARY PREP OBJECT-OPTS: PREP (none, small, exact) sets $TMP/mb up
# first; prints the exit status (quit over QMP), stderr and the file's size.
outcome() {
    local q=$1 prep=$2 opts=$3
    rm -f "$TMP/mb"
    case $prep in
    small) truncate -s 1M "$TMP/mb" ;;
    exact) truncate -s 256M "$TMP/mb" ;;
    esac
    printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"quit"}' |
        timeout 20 "$q" -M none -display none -S -qmp stdio \
            -object "memory-backend-file,id=m,size=256M,mem-path=$TMP/mb$opts" \
            >/dev/null 2>"$TMP/e"
    echo "exit $? $(grep -v warning "$TMP/e" | sed "s|$TMP|TMP|g") size $(stat -c %s "$TMP/mb" 2>&1 |
        sed "s|$TMP|TMP|g")"
}

for c in "none|" "small|" "exact|" "none|,readonly=on" "small|,readonly=on" "exact|,readonly=on" \
    "exact|,readonly=on,share=on" "exact|,pmem=on" "exact|,discard-data=on" \
    "exact|,pmem=off,discard-data=off,readonly=off" "exact|,readonly=maybe" "exact|,pmem=2"; do
    prep=${c%%|*}
    opts=${c#*|}
    ours=$(outcome "$QEMU" "$prep" "$opts")
    theirs=$(outcome "$ORACLE" "$prep" "$opts")
    [ "$ours" = "$theirs" ] && ok "mem-path $prep$opts: $ours" ||
        not_ok "mem-path $prep$opts: as QEMU 7.2" "ours: $ours" "QEMU: $theirs"
done

# readonly=on never writes the file: the guest-visible RAM starts as the file's
# bytes, and the file keeps them after a write over qtest.
# (128 MiB in: the firmware lies at 0.)
truncate -s 128M "$TMP/ro"
printf 'ABCD' >>"$TMP/ro"
truncate -s 256M "$TMP/ro"
printf 'readb 0x8000000\nwriteb 0x8000000 0x5a\nreadb 0x8000000\n' >"$TMP/qt"
got=$(python3 - "$QEMU" "$TMP" <<'PY'
import socket, subprocess, sys, os
q, tmp = sys.argv[1:]
path = os.path.join(tmp, 'qt.sock')
srv = socket.socket(socket.AF_UNIX)
srv.bind(path)
srv.listen(1)
srv.settimeout(20)
p = subprocess.Popen([q, '-M', 'pseries', '-m', '256M', '-nodefaults', '-display', 'none',
                      '-accel', 'qtest', '-qtest', 'unix:' + path, '-object',
                      'memory-backend-file,id=m,size=256M,mem-path=%s/ro,readonly=on' % tmp,
                      '-machine', 'memory-backend=m'], stderr=subprocess.DEVNULL)
c, _ = srv.accept()
c.settimeout(20)
f = c.makefile('rw')
out = []
for cmd in open(os.path.join(tmp, 'qt')).read().splitlines():
    f.write(cmd + '\n')
    f.flush()
    out.append(f.readline().strip())
c.close()
print(' | '.join(out))
p.terminate()
p.wait(timeout=20)
PY
)
file=$(tail -c +$((128 * 1024 * 1024 + 1)) "$TMP/ro" | head -c 4)
[ "$got" = "OK 0x0000000000000041 | OK | OK 0x000000000000005a" ] && [ "$file" = "ABCD" ] &&
    ok "readonly=on: RAM starts as the file, a store is the guest's own, the file unchanged" ||
    not_ok "readonly=on: RAM from the file, file unchanged" "qtest: $got" "file: $file"

tap_done
