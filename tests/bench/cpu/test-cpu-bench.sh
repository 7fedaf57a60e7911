#!/bin/bash
# Checks a benchmark guest itself (CPU or FP): the small image runs on $EMULATOR to power-off
# and prints the same results as the host build of the same kernels ($HOSTREF small).
# Usage: EMULATOR=... [EMULATOR_ARGS=...] IMAGE=... HOSTREF=... test-cpu-bench.sh
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
check() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $n - $2"
    else
        echo "not ok $n - $2"
        failed=1
    fi
}

echo "1..4"
"$HOSTREF" small >"$tmp/ref" 2>"$tmp/ref.err"
check $? "the host reference build runs"

# shellcheck disable=SC2086
timeout 60 "$EMULATOR" $EMULATOR_ARGS -M pseries -m 1G -nodefaults -nographic -display none \
    -serial stdio -bios "$IMAGE" >"$tmp/out" 2>"$tmp/err"
status=$?
check $status "the guest powers off with exit status 0 (got $status)"

tr -d '\r' <"$tmp/out" | grep -v '^#' >"$tmp/results"
lines=$(wc -l <"$tmp/ref")
[ "$lines" -ge 6 ] && [ "$(wc -l <"$tmp/results")" = "$lines" ]
check $? "the guest printed $lines result lines like the host"

diff "$tmp/ref" "$tmp/results" >"$tmp/diff"
check $? "guest results equal the host's"
if [ "$failed" != 0 ]; then
    sed 's/^/# /' "$tmp/diff" "$tmp/err"
fi
exit 0
