# -device and -object help and their errors, and -netdev in JSON, against QEMU 7.2: stdout, stderr
# and exit status, byte for byte.  An unknown device type's help is an error
# on stderr with exit status 0; an unknown object type's is exit status 1.
. "$(dirname "$0")/lib.sh"
need_oracle

# same_run ARGS...: the same output and exit status as QEMU 7.2.
same_run() {
    local rc1 rc2
    timeout 20 "$QEMU" -M pseries -display none -S -nodefaults "$@" </dev/null \
        >"$TMP/ours" 2>"$TMP/ours-err"
    rc1=$?
    timeout 20 "$ORACLE" -M pseries -display none -vga none -S -nodefaults "$@" </dev/null \
        >"$TMP/theirs" 2>"$TMP/theirs-err"
    rc2=$?
    if [ "$rc1" = "$rc2" ] && cmp -s "$TMP/ours" "$TMP/theirs" &&
       cmp -s "$TMP/ours-err" "$TMP/theirs-err"; then
        ok "$* (exit $rc1)"
    else
        not_ok "$*: as QEMU 7.2" "ours (exit $rc1): $(cat "$TMP/ours" "$TMP/ours-err")" \
            "oracle (exit $rc2): $(cat "$TMP/theirs" "$TMP/theirs-err")"
    fi
}

same_run -device nope,help
same_run -device driver=nope,help
same_run -device ,help
same_run -device nope
same_run -object nope,help
same_run -object nope
same_run -object ,help
same_run -object id=x
same_run -object '{"qom-type": "nope", "id": "x"}'
same_run -object secret,help
same_run -object qom-type=secret,help
same_run -object secret
same_run -object secret,id=s
same_run -object memory-backend-ram,id=m
same_run -object memory-backend-ram,help
same_run -object iothread,help
same_run -object rng-random,help

# -netdev in JSON (libvirt's form): accepted, and QEMU's errors for a missing
# id or type and an unknown type.
qmp_sock_same "-netdev JSON: info network" -M pseries -nodefaults \
    -netdev '{"type": "user", "id": "n0", "ipv6": false, "hostname": "a,b"}' \
    -device virtio-net-pci,netdev=n0,romfile= <<'QMP'
{"execute": "human-monitor-command", "arguments": {"command-line": "info network"}}
QMP
same_run -netdev '{"type": "nope", "id": "x"}'
same_run -netdev '{"id": "x"}'
same_run -netdev '{"type": "user"}'

tap_done
