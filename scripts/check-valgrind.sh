#!/bin/sh
# make check-valgrind (not in CI): valgrind memcheck of short runs of the plain build's
# binary. Fails on any memory error and on any definitely or indirectly lost block;
# scripts/valgrind.supp names only allocations inside system libraries.
#   sh scripts/check-valgrind.sh BUILDDIR [linux]
# "linux" adds the functional suite's Linux boot to the shell and power-off
# (functional-powerdown-vof under valgrind: a long run, tens of minutes).
set -u
builddir=${1:-build}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
qemu=$builddir/qemu-system-ppc64
supp=$srcdir/scripts/valgrind.supp
pass=0
fail=0
vg() {
    valgrind --quiet --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        --suppressions="$supp" "$@"
}
verdict() {
    if [ "$1" = 0 ]; then
        echo "ok - $2"
        pass=$((pass + 1))
    else
        echo "not ok - $2 (exit status $1; valgrind reports exit with 99)"
        fail=$((fail + 1))
    fi
}
# A bare-metal guest program (tests/guest/hello.c): boot, console, power-off.
for prog in hello-be hello-le; do
    out=$(mktemp)
    vg "$qemu" -M pseries -m 512M -nodefaults -nographic -display none -serial stdio \
        -bios "$builddir/tests/guest/$prog.bin" >"$out" 2>&1
    rc=$?
    if [ "$rc" = 0 ] && ! grep -q "$prog: [0-9]* checks, 0 failed" "$out"; then
        rc=1
    fi
    [ "$rc" = 0 ] || cat "$out"
    rm -f "$out"
    verdict "$rc" "valgrind: guest program $prog"
done
# QMP: capabilities, a query, quit.
printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-status"}' \
    '{"execute":"quit"}' | vg "$qemu" -M pseries -display none -nodefaults -S -qmp stdio \
    >/dev/null
verdict $? "valgrind: QMP session to quit"
if [ "${2:-}" = linux ]; then
    wrap=$(mktemp)
    printf '#!/bin/sh\nexec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --suppressions=%s %s/%s "$@"\n' \
        "$supp" "$(pwd)" "$qemu" >"$wrap"
    chmod +x "$wrap"
    GUEST_TIMEOUT_SCALE=20 python3 "$srcdir/tests/functional/functest.py" run \
        --build "$builddir/tests/functional" --case powerdown --firmware vof --qemu "$wrap"
    verdict $? "valgrind: Linux boot to the shell and power-off (functional powerdown, VOF)"
    rm -f "$wrap"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
