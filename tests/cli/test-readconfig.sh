# -readconfig FILE (system/readconfig.c) against QEMU 7.2: the file's grammar
# and its quirks, each message and the line it points at, a configuration of
# every common section compared with the same options given on the command
# line and with QEMU's replies; -writeconfig, which QEMU 7.2 no longer has.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64
if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
    tap_done
    exit
fi

# outcome BINARY CFG-TEXT: exit status and stderr of a start-up reading the file
# (a start-up that succeeds is stopped by the QMP quit).
outcome() {
    printf '%b' "$2" >"$TMP/e.cfg"
    (cd "$TMP" && printf '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n' |
        timeout 10 "$1" -nodefaults -display none -M none -S -readconfig e.cfg -qmp stdio \
            >/dev/null 2>"$TMP/err.$3")
    echo "exit $?" >>"$TMP/err.$3"
}

# same CFG-TEXT: ours fails (or not) as QEMU 7.2 does, word for word.
same() {
    outcome "$ORACLE" "$1" oracle
    outcome "$QEMU" "$1" ours
    if diff -u "$TMP/err.oracle" "$TMP/err.ours" >"$TMP/diff"; then
        ok "as QEMU 7.2: $1 -> $(head -1 "$TMP/err.ours")"
    else
        not_ok "as QEMU 7.2: $1" "$(cat "$TMP/diff")"
    fi
}

# The grammar: sections, key lines, comments, and what QEMU makes of bad lines.
same '[bogus]\n'
same 'x = "1"\n'
same '\t\n'
same '[name]\n   \n'
same '[name]\n  # not a comment unless in column 1\n'
same '# comment\n\n[name]\nguest = "x"\nfoo\n'
same '[name]\nfoo = "x"\n'
same '[name]\nguest = "a" trailing\nprocess = ""\nfoo = "" x\n'
same '[]\n'
same '[name\n'
same '[ name ]\n'
same '[name]] junk\nfoo = "1"\n'
same '[name "x"\nguest = "a"\n'
same '[name]\nguest = "a"\n[]\n'
same '[memory]\nsize = "3G\n'
same '[memory]\nsize\n'
same '[memory]\nmaxmem = "2G"\nsize = ""\n'
# Where messages point: the last key line read, none before the first.
same '[device "x"]\n'
same '[device]\n'
same '[device "x" "y"]\n'
same '#c\n[device "x"]\n'
same '[device "x"]\nid = "y"\n'
same '[device "x"]\n[chardev "c"]\nbackend = "null"\n'
same '[chardev "c"]\nbackend = "null"\n[device "x"]\n'
same '[chardev "c"]\n'
same '[chardev "c"]\nbackend = "nope"\n'
same '[chardev "c"]\nbackend = "null"\nfoo\n'
same '[drive "d"]\nfoo\n'
same '[drive "d"]\n bogus = "1"\n'
same '[drive]\n  file = "/nonexistent/x"\n'
same '[device "d"]\ndriver = "nope"\n'
same '[object]\nqom-type = "nope"\nid = "o"\n'
same '[object]\nqom-type = "rng-builtin"\n'
same '[netdev "n"]\ntype = "nope"\n'
same '[memory]\nsize = "abc"\n'
same '[memory "m"]\nsize = "1G"\n'
same '[machine]\ntype = "pseries"\n[memory]\nsize = "1G"\nmaxmem = "512M"\n'
same '[memory]\nslots = "x"\n'
same '[smp-opts]\ncpus = "x"\n'
same '[machine]\ntype = "nope"\n'

# The file itself, and -writeconfig (gone from QEMU 7.2: an invalid option).
for args in "-readconfig $TMP/nonexistent" "-readconfig" "-writeconfig -" "-writeconfig $TMP/w.cfg"; do
    # shellcheck disable=SC2086 # the words are options
    run -M none $args
    exp_rc=$RC exp_err=$ERR
    # shellcheck disable=SC2086
    timeout 10 "$ORACLE" -M none $args </dev/null >/dev/null 2>"$TMP/oerr"
    orc=$?
    if [ "$exp_rc" = "$orc" ] && [ "$exp_err" = "$(cat "$TMP/oerr")" ]; then
        ok "as QEMU 7.2: $args -> $exp_err"
    else
        not_ok "as QEMU 7.2: $args" "ours: exit $exp_rc $exp_err" "QEMU: exit $orc $(cat "$TMP/oerr")"
    fi
done

# A configuration of the usual sections: what QMP shows of it is what the same
# options on the command line give, and what QEMU 7.2 shows.
cat >"$TMP/ok.cfg" <<'EOF'
# the usual sections
[machine]
  type = "pseries"
  accel = "tcg"

[memory]
  size = "1024"

[smp-opts]
  cpus = "2"

[name]
  guest = "from, the file"

[drive "d0"]
  if = "none"
  file = "/etc/hostname"
  format = "raw"
  readonly = "on"

[device "dev0"]
  driver = "spapr-vscsi"

[device "disk0"]
  driver = "scsi-hd"
  drive = "d0"

[chardev "c0"]
  backend = "null"

[object]
  qom-type = "rng-builtin"
  id = "rng0"

[netdev "n0"]
  type = "user"
EOF
queries() {
    printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-chardev"}' \
        '{"execute":"query-name"}' '{"execute":"query-cpus-fast"}' \
        '{"execute":"query-memory-size-summary"}' \
        '{"execute":"qom-list","arguments":{"path":"/objects"}}' \
        '{"execute":"query-block"}' \
        '{"execute":"human-monitor-command","arguments":{"command-line":"info network"}}' \
        '{"execute":"human-monitor-command","arguments":{"command-line":"info qtree"}}' \
        '{"execute":"quit"}'
}
# replies BINARY ARGS...: the replies, one a line, host-dependent values masked.
replies() {
    local bin=$1
    shift
    queries | timeout 20 "$bin" -nodefaults -display none -S "$@" -qmp stdio 2>/dev/null |
        grep -v -e '"QMP"' -e '"event"' |
        sed -e 's/"thread-id": [0-9]*/"thread-id": T/g' -e 's/#block[0-9]*/#blockN/g'
}
replies "$QEMU" -readconfig "$TMP/ok.cfg" >"$TMP/file"
replies "$QEMU" -machine pseries,accel=tcg -m 1024 -smp 2 -name "from,, the file" \
    -drive id=d0,if=none,file=/etc/hostname,format=raw,readonly=on \
    -device spapr-vscsi,id=dev0 -device scsi-hd,id=disk0,drive=d0 -chardev null,id=c0 \
    -object rng-builtin,id=rng0 -netdev user,id=n0 >"$TMP/cmdline"
if [ "$(grep -c return "$TMP/file")" = 10 ] && diff -u "$TMP/cmdline" "$TMP/file" >"$TMP/diff"; then
    ok "-readconfig gives what the same options give (10 replies)"
else
    not_ok "-readconfig gives what the same options give" "$(head -40 "$TMP/diff")" \
        "$(head -c 2000 "$TMP/file")"
fi
replies "$ORACLE" -readconfig "$TMP/ok.cfg" >"$TMP/oracle"
# Lines 2-6 and 8 (chardevs, name, CPUs, memory, /objects, info network): QEMU's exactly.
for n in 2 3 4 5 6 8; do
    want=$(sed -n "${n}p" "$TMP/oracle")
    got=$(sed -n "${n}p" "$TMP/file")
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
        ok "reply $n as QEMU 7.2: ${got:0:100}"
    else
        not_ok "reply $n as QEMU 7.2" "QEMU: $want" "ours: $got"
    fi
done
# query-block: the drive d0 on disk0, read-only, as QEMU (members compared, not their order).
if python3 - "$TMP/oracle" "$TMP/file" <<'EOF'; then
import json, sys
a, b = (json.loads(open(f).read().splitlines()[6]) for f in sys.argv[1:])
sys.exit(0 if a == b and a["return"][0]["device"] == "d0" else 1)
EOF
    ok "query-block as QEMU 7.2"
else
    not_ok "query-block as QEMU 7.2" "QEMU: $(sed -n 7p "$TMP/oracle")" "ours: $(sed -n 7p "$TMP/file")"
fi

tap_done
