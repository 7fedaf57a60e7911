# The pseries capability checks at machine reset against QEMU 7.2: its TCG
# warnings (cap-cfpc, -sbbc, -ibs, -ccf-assist), their order among -device
# errors and the refusals, again at each system_reset; and the messages of a
# monitor command: unprefixed (x-exit-preconfig), on the HMP monitor (loadvm).
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

# session BINARY QMP-INPUT ARGS...: stdout and stderr of one run as one
# transcript (both are written in program order by one thread), then the exit
# status; timestamps and the package string masked.
session() {
    local bin=$1 input=$2
    shift 2
    printf '%s' "$input" | timeout 30 "$bin" -nodefaults -display none -qmp stdio "$@" 2>&1 |
        sed -e 's/"seconds": [0-9]*, "microseconds": [0-9]*/T/' \
            -e 's/"package": "[^"]*"/P/'
    echo "exit ${PIPESTATUS[1]}"
}

# same_as_oracle DESC QMP-INPUT ARGS...: the transcripts must be equal; the
# oracle's must show at least one capability message (the case tests something).
same_as_oracle() {
    local desc=$1 input=$2
    shift 2
    session "$QEMU" "$input" "$@" >"$TMP/ours"
    session "$ORACLE" "$input" "$@" >"$TMP/oracle"
    if ! grep -Eq "TCG|support|valid device" "$TMP/oracle"; then
        not_ok "$desc" "the oracle printed no capability message: $(cat "$TMP/oracle")"
    elif diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
        ok "$desc"
    else
        not_ok "$desc" "$(head -40 "$TMP/diff")"
    fi
}

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
    tap_done
    exit
fi

RESET='{"execute":"qmp_capabilities"}{"execute":"system_reset"}{"execute":"quit"}'
QUIT='{"execute":"qmp_capabilities"}{"execute":"quit"}'

# The defaults of pseries-7.2: four warnings at start, four again at system_reset.
same_as_oracle "default caps warn at start and at system_reset" "$RESET" -S -M pseries
same_as_oracle "a broken mode is not warned about" "$RESET" -S -M pseries,cap-cfpc=broken
same_as_oracle "every mode set by the user is named" "$QUIT" -S \
    -M pseries,cap-cfpc=fixed,cap-sbbc=fixed,cap-ibs=fixed-ccd
same_as_oracle "cap-ibs=fixed-na and fixed-ibs" "$QUIT" -S -M pseries,cap-ibs=fixed-na
same_as_oracle "cap-ibs=fixed-ibs" "$QUIT" -S -M pseries,cap-ibs=fixed-ibs
same_as_oracle "pseries-4.2: no flush assist" "$RESET" -S -M pseries-4.2
same_as_oracle "the page-size warning in table order" "$QUIT" -S \
    -M pseries,cap-hpt-max-page-size=4k
same_as_oracle "POWER8: the CPU turns the flush assist off" "$QUIT" -S -M pseries -cpu power8
same_as_oracle "-device errors come before the reset's checks" "$QUIT" -S \
    -M pseries,cap-htm=on -device no-such-device
same_as_oracle "a refusal after the warnings before it" "$QUIT" -S \
    -M pseries,max-cpu-compat=power10

# Nothing at all when every mitigation is broken: the oracle prints no message.
session "$QEMU" "$RESET" -S \
    -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off >"$TMP/ours"
session "$ORACLE" "$RESET" -S \
    -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off >"$TMP/oracle"
if ! grep -q warning "$TMP/ours" && diff -u "$TMP/oracle" "$TMP/ours" >"$TMP/diff"; then
    ok "no warning with every mitigation broken"
else
    not_ok "no warning with every mitigation broken" "$(head -40 "$TMP/diff")" "$(cat "$TMP/ours")"
fi

# -accel qtest is not TCG (the oracle has no qtest accelerator).
session "$QEMU" "$QUIT" -S -M pseries -accel qtest >"$TMP/ours"
if ! grep -q warning "$TMP/ours" && grep -q '^exit 0$' "$TMP/ours"; then
    ok "no TCG warning under -accel qtest"
else
    not_ok "no TCG warning under -accel qtest" "$(cat "$TMP/ours")"
fi

# x-exit-preconfig builds and resets the machine inside the command: the
# warnings have no program name, and RESUME comes before the reply.
same_as_oracle "x-exit-preconfig: unprefixed warnings, RESUME before the reply" \
    '{"execute":"qmp_capabilities"}{"execute":"x-exit-preconfig"}{"execute":"quit"}' \
    --preconfig -M pseries,cap-cfpc=broken,cap-sbbc=broken
if grep -q '^warning: TCG' "$TMP/ours" &&
   grep -A1 '"event": "RESUME"' "$TMP/ours" | grep -q '"return"'; then
    ok "x-exit-preconfig transcript has the unprefixed warning and RESUME first"
else
    not_ok "x-exit-preconfig transcript has the unprefixed warning and RESUME first" \
        "$(cat "$TMP/ours")"
fi

# HMP loadvm resets inside the command: the warning goes to the monitor,
# that is into human-monitor-command's reply.
qemu-img create -q -f qcow2 "$TMP/disk.qcow2" 16M
HMP_LOADVM='{"execute":"qmp_capabilities"}
{"execute":"human-monitor-command","arguments":{"command-line":"savevm s1"}}
{"execute":"human-monitor-command","arguments":{"command-line":"loadvm s1"}}
{"execute":"quit"}'
same_as_oracle "HMP loadvm: the reset's warning in the monitor's output" "$HMP_LOADVM" -S \
    -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken \
    -drive if=none,file="$TMP/disk.qcow2",id=d0
qemu-img create -q -f qcow2 "$TMP/disk.qcow2" 16M
session "$QEMU" "$HMP_LOADVM" -S -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken \
    -drive if=none,file="$TMP/disk.qcow2",id=d0 >"$TMP/ours"
if grep -qF '{"return": "warning: TCG doesn'"'"'t support requested feature, cap-ccf-assist=on\r\n"}' \
    "$TMP/ours"; then
    ok "HMP loadvm's warning is in the reply"
else
    not_ok "HMP loadvm's warning is in the reply" "$(cat "$TMP/ours")"
fi

tap_done
