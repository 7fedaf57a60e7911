# Command-line front end: QEMU's option syntax, help requests, and one-line
# errors with exit status 1 for anything unknown or malformed.
. "$(dirname "$0")/lib.sh"

# Informational requests exit 0.
expect_exit0 '^QEMU emulator version 7\.2' -version
expect_exit0 '^QEMU emulator version' --version
expect_exit0 'usage: qemu-system-ppc64' -h
expect_exit0 '-machine' -help
expect_exit0 'power9' -cpu help
expect_exit0 'power8' -cpu '?'
expect_exit0 'unimp' -d help
expect_exit0 'qtest' -accel help

# Unknown or malformed options.
expect_error '-bogus: invalid option' -bogus
expect_error '--bogus: invalid option' --bogus
expect_error '-m: requires an argument' -m
expect_error "^qemu-system-ppc64: image.qcow2: Could not open 'image.qcow2': No such file or directory$" image.qcow2
expect_size_error "-m 1X: Parameter 'size' expects a non-negative number below 2\\^64$" -m 1X
expect_size_error "-m -5: Parameter 'size' expects" -m -5
expect_size_error "-m 1.5: Parameter 'size' expects" -m 1.5
expect_size_error "-m inf: Parameter 'size' expects" -m inf
expect_size_error "-m 1e3: Parameter 'size' expects" -m 1e3
expect_error "^qemu-system-ppc64: -m 99999999999999999999: Value '99999999999999999999' is out of range for parameter 'size'$" -m 99999999999999999999
expect_error "^qemu-system-ppc64: Parameter 'memory.size' expects size$" -m 99999999999999
expect_error "Invalid parameter 'bogus'" -m 1G,bogus=1
expect_error 'maxmem' -m 2G,maxmem=1G
expect_error "Parameter 'smp.cpus' expects integer" -smp x
expect_error "Parameter 'smp.cores' expects integer" -smp 2,cores=z
expect_error "Parameter 'smp.foo' is unexpected" -smp 2,foo=1
expect_error 'maxcpus must be equal to or greater than smp' -smp 4,maxcpus=2
expect_stderr "qemu-system-ppc64: unsupported machine type
Use -machine help to list supported machines" -M nonsense
expect_error '-d foo: Invalid -d option' -d foo
expect_error '-d unimp,foo: Invalid -d option' -d unimp,foo
expect_error '-D /nonexistent/dir/log: cannot open log file' -D /nonexistent/dir/log
expect_error 'invalid datetime format' -rtc base=garbage
expect_error 'invalid date' -rtc base=2006-13-45
expect_error "Invalid parameter 'foo'" -rtc base=utc,foo=bar
expect_error "invalid option value 'sideways'" -rtc base=utc,clock=sideways
expect_error '^qemu-system-ppc64: -accel kvm: invalid accelerator kvm$' -accel kvm
expect_error '^qemu-system-ppc64: invalid accelerator kvm$' -enable-kvm
expect_error 'invalid accelerator bogus' -accel bogus
expect_error "Property 'tcg-accel.nope' not found" -accel tcg,nope=1
expect_error "Invalid 'thread' setting" -accel tcg,thread=triple
expect_error "Parameter 'x-jit' expects 'on' or 'off'" -accel tcg,x-jit=maybe
expect_error "Display 'gtk' is not available" -display gtk
expect_error "-monitor bogus: 'bogus' is not a valid char driver" -monitor bogus
expect_error "Parameter 'chardev' is missing" -mon mode=control
expect_error 'chardev "nope" not found' -mon chardev=nope,mode=control
expect_error "-mon chardev=m,mode=bogus: Parameter 'mode' does not accept value 'bogus'" \
    -chardev null,id=m -mon chardev=m,mode=bogus
expect_error "'pretty' is not compatible with HMP monitors" \
    -chardev null,id=m -mon chardev=m,mode=readline,pretty=on
expect_error 'Wrong format' -uuid not-a-uuid
expect_error 'only .none. is supported' -vga std
expect_error 'too many serial ports' -serial null -serial null -serial null -serial null -serial null

# Option values QEMU accepts are accepted: the machine is built and the
# device tree dumped (exit 0 without running anything).
dtb="$TMP/ok.dtb"
run -M pseries,dumpdtb="$dtb" -m 1G -smp 1 -nodefaults -accel tcg,thread=single,x-jit=off \
    -rtc base=2006-06-17 -name guest=demo,debug-threads=on -boot order=c,menu=off \
    -msg timestamp=on -overcommit mem-lock=off -sandbox off -uuid \
    5b1d2a6e-0c3f-4d2c-9b6a-1f2e3d4c5b6a -no-user-config -display none -vga none \
    -net none -L /usr/share/qemu -d unimp,guest_errors -no-reboot -no-shutdown -S
if [ "$RC" = 0 ] && [ -s "$dtb" ]; then
    ok "a line full of accepted options builds the machine"
else
    not_ok "a line full of accepted options builds the machine" "exit $RC: $ERR"
fi

# -uuid reaches the device tree (lower case, as QEMU prints it).
run -M pseries,dumpdtb="$TMP/uuid.dtb" -nodefaults -uuid 5B1D2A6E-0C3F-4D2C-9B6A-1F2E3D4C5B6A
if [ "$RC" = 0 ] && dtc -I dtb -O dts "$TMP/uuid.dtb" 2>/dev/null |
   grep -q 'vm,uuid = "5b1d2a6e-0c3f-4d2c-9b6a-1f2e3d4c5b6a"'; then
    ok "-uuid is published as vm,uuid"
else
    not_ok "-uuid is published as vm,uuid" "exit $RC: $ERR"
fi

# -pidfile is written, and removed at exit (the qtest peer on stdin hangs up
# when the sleep ends, which ends the process).
pidfile="$TMP/qemu.pid"
sleep 2 | "$QEMU" -M pseries -nodefaults -accel qtest -pidfile "$pidfile" \
    -qtest stdio >/dev/null 2>"$TMP/err" &
pid=$! # the last command of the pipeline: the emulator itself
for _ in $(seq 50); do
    [ -s "$pidfile" ] && break
    sleep 0.1
done
if [ -s "$pidfile" ] && [ "$(cat "$pidfile")" = "$pid" ]; then
    ok "-pidfile holds the process id"
else
    not_ok "-pidfile holds the process id" "file: $(cat "$pidfile" 2>&1)" "$(cat "$TMP/err")"
fi
wait
if [ ! -e "$pidfile" ]; then
    ok "-pidfile is removed at exit"
else
    not_ok "-pidfile is removed at exit"
fi
expect_error 'cannot create PID file' -M pseries -nodefaults -accel qtest \
    -pidfile /nonexistent/dir/pid

tap_done
