# The run state drives the vCPU threads: -S holds the CPU until QMP cont, and
# stop / system_reset / cont / quit work while guest code is running.
. "$(dirname "$0")/lib.sh"

hello="$BUILDDIR/tests/guest/hello-be.bin"
busy="$BUILDDIR/tests/bench/cpu/cpu-bench-full.img"

# -S: nothing runs until cont; then the guest prints and powers off (exit 0).
(printf '{"execute":"qmp_capabilities"}\n{"execute":"query-status"}\n'
 sleep 0.5
 cp "$TMP/con" "$TMP/con.before" 2>/dev/null || : >"$TMP/con.before"
 printf '{"execute":"query-status"}\n{"execute":"cont"}\n'
 sleep 3) |
    timeout 10 "$QEMU" -M pseries -m 1G -nodefaults -S -qmp stdio -bios "$hello" \
        -chardev file,id=con,path="$TMP/con" -serial chardev:con >"$TMP/qmp" 2>&1
rc=$?
# Two prelaunch answers, and no console output yet half a second in.
if [ "$(grep -c '"status": "prelaunch"' "$TMP/qmp")" = 2 ] && [ -e "$TMP/con.before" ] &&
   [ ! -s "$TMP/con.before" ]; then
    ok "-S: the CPU waits in prelaunch"
else
    not_ok "-S: the CPU waits in prelaunch" "$(cat "$TMP/qmp")"
fi
if [ "$rc" = 0 ] && grep -q 'hello-be: 10 checks, 0 failed' "$TMP/con" &&
   grep -q '"reason": "guest-shutdown"' "$TMP/qmp"; then
    ok "cont runs the guest to its power-off"
else
    not_ok "cont runs the guest to its power-off" "exit $rc" "$(cat "$TMP/qmp")" \
        "console: $(cat "$TMP/con" 2>&1)"
fi

# A guest busy for seconds: stop, reset and cont while it runs, then quit.
(printf '{"execute":"qmp_capabilities"}\n'
 sleep 0.5
 printf '{"execute":"stop"}\n'
 sleep 0.3
 printf '{"execute":"query-status"}\n{"execute":"system_reset"}\n{"execute":"cont"}\n'
 sleep 0.5
 printf '{"execute":"query-status"}\n{"execute":"quit"}\n'
 sleep 2) |
    timeout 10 "$QEMU" -M pseries -m 1G -nodefaults -serial null -qmp stdio -bios "$busy" \
        >"$TMP/qmp2" 2>&1
rc=$?
check_event() {
    if grep -q "$1" "$TMP/qmp2"; then
        ok "$2"
    else
        not_ok "$2" "$(cat "$TMP/qmp2")"
    fi
}
check_event '"event": "STOP"' "stop parks a running vCPU (STOP event)"
check_event '"status": "paused"' "query-status says paused after stop"
check_event '"reason": "host-qmp-system-reset"' "system_reset while stopped (RESET event)"
check_event '"status": "running"' "cont resumes (running)"
check_event '"reason": "host-qmp-quit"' "quit while the guest runs (SHUTDOWN event)"
if [ "$rc" = 0 ]; then
    ok "quit ends the process with status 0"
else
    not_ok "quit ends the process with status 0" "exit $rc"
fi
tap_done
