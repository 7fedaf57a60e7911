# Character devices on the real binary: -chardev/-serial errors, file output,
# the mon:stdio escape key, server sockets (wait=on, socket file clean-up).
. "$(dirname "$0")/lib.sh"

Q="-display none -S -nodefaults"

# Errors: one line, exit 1, worded as QEMU words them.
expect_error "-chardev foo,id=x: 'foo' is not a valid char driver name$" $Q -chardev foo,id=x
expect_error '-chardev null: chardev: no id specified$' $Q -chardev null
expect_error '-chardev id=x: chardev: "x" missing backend$' $Q -chardev id=x
expect_error "-chardev null,id=a: Duplicate ID 'a' for chardev$" \
    $Q -chardev null,id=a -chardev null,id=a
expect_error "Parameter 'id' expects an identifier" $Q -chardev null,id=1a
expect_error "-chardev null,id=a,bogus=1: Invalid parameter 'bogus'$" $Q -chardev null,id=a,bogus=1
expect_error 'chardev: file: no filename given$' $Q -chardev file,id=f
expect_error "Could not open '$TMP/no/x': No such file or directory$" \
    $Q -chardev file,id=f,path=$TMP/no/x
expect_error "Failed to connect to '$TMP/none.sock': No such file or directory$" \
    $Q -chardev socket,id=s,path=$TMP/none.sock
expect_error "Failed to bind socket to $TMP/no/s.sock: No such file or directory$" \
    $Q -chardev socket,id=s,path=$TMP/no/s.sock,server=on,wait=off
expect_error 'chardev: socket: no port given$' $Q -chardev socket,id=s,host=127.0.0.1
expect_error "Parameter 'server' expects 'on' or 'off'$" \
    $Q -chardev socket,id=s,path=$TMP/x,server=maybe
expect_error 'cannot use stdio by multiple character devices$' \
    $Q -chardev stdio,id=a -chardev stdio,id=b
expect_error "-serial bogus: 'bogus' is not a valid char driver" $Q -serial bogus
expect_error "Invalid parameter 'bogus'" $Q -serial unix:$TMP/u.sock,bogus

# A regular file where a socket should go is an error, and is left alone.
echo keep >"$TMP/regular"
expect_error "Failed to bind socket to $TMP/regular: Address already in use" \
    $Q -chardev socket,id=s,path=$TMP/regular,server=on,wait=off
if [ "$(cat "$TMP/regular")" = keep ]; then
    ok "a regular file is not replaced by a server socket"
else
    not_ok "a regular file is not replaced by a server socket"
fi

# mon:stdio: C-a h prints the escape help, C-a x ends the emulator (exit 0).
# Input arrives only after start-up, as a user would type it.
(sleep 0.5; printf 'typed\001h'; sleep 0.3; printf '\001x') |
    timeout 10 "$QEMU" $Q -serial mon:stdio >"$TMP/mon.out" 2>"$TMP/mon.err"
rc=$?
if [ "$rc" = 0 ] && grep -q 'C-a x' "$TMP/mon.out" &&
   grep -q 'QEMU: Terminated' "$TMP/mon.out" && ! grep -q typed "$TMP/mon.out"; then
    ok "mon:stdio: C-a h and C-a x"
else
    not_ok "mon:stdio: C-a h and C-a x" "exit $rc" "stdout: $(od -c "$TMP/mon.out" | head -5)" \
        "stderr: $(cat "$TMP/mon.err")"
fi

# -nographic makes the default serial mon:stdio.
(sleep 0.5; printf '\001x') | timeout 10 "$QEMU" -display none -S -nographic \
    >"$TMP/ng.out" 2>"$TMP/ng.err"
rc=$?
if [ "$rc" = 0 ] && grep -q 'QEMU: Terminated' "$TMP/ng.out"; then
    ok "-nographic: C-a x"
else
    not_ok "-nographic: C-a x" "exit $rc" "stderr: $(cat "$TMP/ng.err")"
fi

# -serial file: creates (truncates) the file; a server socket file is removed
# when the emulator ends.
echo old >"$TMP/serial.txt"
(sleep 0.5; printf '\001x') | timeout 10 "$QEMU" $Q -chardev stdio,id=con,mux=on \
    -serial file:$TMP/serial.txt -serial chardev:con \
    -chardev socket,id=s,path=$TMP/srv.sock,server=on,wait=off >/dev/null 2>"$TMP/f.err"
rc=$?
if [ "$rc" = 0 ] && [ -f "$TMP/serial.txt" ] && [ ! -s "$TMP/serial.txt" ]; then
    ok "-serial file:PATH creates an empty file"
else
    not_ok "-serial file:PATH creates an empty file" "exit $rc" "stderr: $(cat "$TMP/f.err")"
fi
if [ ! -e "$TMP/srv.sock" ]; then
    ok "server socket file removed at exit"
else
    not_ok "server socket file removed at exit"
fi

# wait=on: start-up blocks (no pidfile yet) until a client connects.
port=$((20000 + $$ % 30000))
timeout 20 "$QEMU" $Q -pidfile "$TMP/pid" \
    -chardev socket,id=w,host=127.0.0.1,port=$port,server=on,wait=on \
    >/dev/null 2>"$TMP/w.err" &
qpid=$!
for _ in $(seq 50); do
    grep -q 'waiting for connection' "$TMP/w.err" && break
    sleep 0.1
done
want="info: QEMU waiting for connection on: disconnected:tcp:127.0.0.1:$port,server=on"
if grep -qF -- "-chardev socket,id=w,host=127.0.0.1,port=$port,server=on,wait=on: $want" \
        "$TMP/w.err" && [ ! -e "$TMP/pid" ]; then
    ok "wait=on: waits, with QEMU's message"
else
    not_ok "wait=on: waits, with QEMU's message" "stderr: $(cat "$TMP/w.err")"
fi
if exec 3<>/dev/tcp/127.0.0.1/$port; then
    for _ in $(seq 50); do
        [ -s "$TMP/pid" ] && break
        sleep 0.1
    done
fi
if [ -s "$TMP/pid" ] && kill -0 $qpid 2>/dev/null; then
    ok "wait=on: start-up goes on once a client connects"
else
    not_ok "wait=on: start-up goes on once a client connects" "stderr: $(cat "$TMP/w.err")"
fi
exec 3>&-
kill -TERM $qpid 2>/dev/null
wait $qpid
rc=$?
if [ "$rc" = 0 ]; then
    ok "SIGTERM after the client left: exit 0"
else
    not_ok "SIGTERM after the client left: exit 0" "exit $rc"
fi

tap_done
