# query-cpus-fast "thread-id": each vCPU's own host thread, as QEMU 7.2
# reports it (checked with -smp 2 on Debian's qemu-system-ppc64: two ids,
# distinct, neither the main thread's, both tasks of the process).
. "$(dirname "$0")/lib.sh"

mkfifo "$TMP/in"
timeout 20 "$QEMU" -M pseries -nodefaults -S -smp 2 -display none -qmp stdio \
    -pidfile "$TMP/pid" <"$TMP/in" >"$TMP/out" 2>&1 &
exec 3>"$TMP/in"
printf '{"execute":"qmp_capabilities"}\n{"execute":"query-cpus-fast"}\n' >&3
for _ in $(seq 100); do
    grep -q '"thread-id"' "$TMP/out" && [ -s "$TMP/pid" ] && break
    sleep 0.1
done
pid=$(cat "$TMP/pid" 2>/dev/null)
tids=$(grep -o '"thread-id": [0-9]*' "$TMP/out" | sed 's/.*: //')
set -- $tids
if [ $# = 2 ] && [ "$1" != "$2" ]; then
    ok "two vCPUs, two different thread ids ($1, $2)"
else
    not_ok "two vCPUs, two different thread ids" "ids: $tids" "$(cat "$TMP/out")"
fi
for t in $tids; do
    if [ -n "$pid" ] && [ "$t" != "$pid" ] && [ -d "/proc/$pid/task/$t" ]; then
        ok "thread $t is a task of process $pid, not its main thread"
    else
        not_ok "thread $t is a task of process $pid, not its main thread" "$(ls /proc/$pid/task 2>&1)"
    fi
done
printf '{"execute":"quit"}\n' >&3
exec 3>&-
wait
tap_done
