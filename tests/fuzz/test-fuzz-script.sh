#!/bin/bash
# scripts/fuzz.sh's verdicts with stand-in targets in a scratch build directory:
# a clean run passes, a finding fails, and a target that never exits (ignoring
# SIGTERM too) is killed by the outer time limit and counted as hung.
# Usage: test-fuzz-script.sh SRCDIR
set -u
srcdir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/build/tests/fuzz"
# ninja is run on the targets: phony ones here.
cat >"$tmp/build/build.ninja" <<'NINJA'
build tests/fuzz/fuzz-fake-ok: phony
build tests/fuzz/fuzz-fake-crash: phony
build tests/fuzz/fuzz-fake-hang: phony
NINJA
cat >"$tmp/build/tests/fuzz/fuzz-fake-ok" <<'SH'
#!/bin/sh
echo "stat::number_of_executed_units: 1234"
SH
cat >"$tmp/build/tests/fuzz/fuzz-fake-crash" <<'SH'
#!/bin/sh
echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow"
exit 1
SH
cat >"$tmp/build/tests/fuzz/fuzz-fake-hang" <<'SH'
#!/bin/bash
trap '' TERM
while :; do sleep 1; done
SH
chmod +x "$tmp/build/tests/fuzz/"fuzz-fake-*

FUZZ_GRACE=1 sh "$srcdir/scripts/fuzz.sh" "$tmp/build" 1 fake-ok fake-crash fake-hang \
    >"$tmp/out" 2>&1
rc=$?
n=0
fails=0
check() {
    n=$((n + 1))
    if grep -Eq -- "$1" "$tmp/out"; then
        echo "ok $n - $2"
    else
        fails=$((fails + 1))
        echo "not ok $n - $2"
        sed 's/^/# /' "$tmp/out"
    fi
}
check '^fuzz-fake-ok: 1234 executions in 1s: ok$' "a clean run passes with its execution count"
check '^fuzz-fake-crash: 0 executions in 1s: FINDING \(exit 1;' "a sanitizer report is a finding"
check '^fuzz-fake-hang: 0 executions in 1s: HUNG ' "a target that never exits is killed and hung"
check '^1 passed, 2 failed$' "the closing count"
n=$((n + 1))
if [ $rc = 1 ]; then
    echo "ok $n - exit status 1"
else
    fails=$((fails + 1))
    echo "not ok $n - exit status 1 (got $rc)"
fi
echo "1..$n"
[ $fails = 0 ]
