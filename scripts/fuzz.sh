#!/bin/sh
# make fuzz: build the libFuzzer targets of tests/fuzz with clang (ASan+UBSan)
# in BUILDDIR, run each for SECONDS from its checked-in seeds, and fail on any
# finding (docs/devel/fuzzing.rst).  Usage: fuzz.sh BUILDDIR SECONDS TARGET...
# Each target runs under an outer time limit (SECONDS + FUZZ_GRACE, default 120 s):
# libFuzzer's own -max_total_time and -timeout are enforced by a thread of the
# target, which once deadlocked inside ASan's allocator and never returned.
# Ends with one "N passed, N failed" line (a target with no finding passes).
set -u
builddir=$1
seconds=$2
shift 2
srcdir=$(cd "$(dirname "$0")/.." && pwd)
cd "$srcdir" || exit 1

if [ ! -f "$builddir/build.ninja" ]; then
    CC=${FUZZ_CC:-clang} meson setup "$builddir" -Dfuzzing=true -Db_sanitize=address,undefined \
        -Db_lundef=false -Dwerror=false --buildtype=debugoptimized || {
        echo "0 passed, $# failed"
        exit 1
    }
fi
targets=
for t in "$@"; do
    targets="$targets tests/fuzz/fuzz-$t"
done
# One ninja call: the objects all targets share are built once, in parallel.
# shellcheck disable=SC2086
ninja -C "$builddir" $targets || {
    echo "0 passed, $# failed"
    exit 1
}

grace=${FUZZ_GRACE:-120}
# Targets run FUZZ_JOBS at a time (default: one per CPU); each is single-threaded.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}

# run_target T: fuzz T for $seconds; its verdict goes to $builddir/fuzz-T.status
# (exit status, or 124/137 when the outer limit struck).
run_target() {
    t=$1
    corpus=$builddir/fuzz-corpus/$t
    findings=$builddir/fuzz-findings/$t
    log=$builddir/fuzz-$t.log
    mkdir -p "$corpus" "$findings"
    dict=
    if [ -f "tests/fuzz/$t.dict" ]; then
        dict=-dict=tests/fuzz/$t.dict
    fi
    # New inputs go to the first directory (the build's), the seeds stay as checked in.
    # LeakSanitizer stays off while fuzzing; check-asan replays the inputs with it on.
    # The outer limit: TERM first (libFuzzer then writes its stats), KILL 10 s later.
    ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        timeout -k 10 $((seconds + grace)) \
        "$builddir/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$findings/" $dict \
        "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
    echo $? >"$builddir/fuzz-$t.status"
}

running=0
for t in "$@"; do
    rm -f "$builddir/fuzz-$t.status"
    run_target "$t" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

failed=0
passed=0
summary=
for t in "$@"; do
    log=$builddir/fuzz-$t.log
    findings=$builddir/fuzz-findings/$t
    rc=$(cat "$builddir/fuzz-$t.status" 2>/dev/null || echo 1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$rc" = 0 ]; then
        result=ok
        passed=$((passed + 1))
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        result="HUNG (no exit $grace s after its ${seconds}s; $log)"
        failed=$((failed + 1))
        tail -n 5 "$log"
    else
        result="FINDING (exit $rc; $log, inputs in $findings)"
        failed=$((failed + 1))
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5
    fi
    summary="$summary
fuzz-$t: ${runs:-0} executions in ${seconds}s: $result"
done
echo "$summary"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
