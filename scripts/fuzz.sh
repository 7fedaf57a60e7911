#!/bin/sh
# make fuzz: build the libFuzzer targets of tests/fuzz with clang (ASan+UBSan)
# in BUILDDIR, run each for SECONDS from its checked-in seeds, and fail on any
# finding (docs/devel/fuzzing.rst).  Usage: fuzz.sh BUILDDIR SECONDS TARGET...
set -u
builddir=$1
seconds=$2
shift 2
srcdir=$(cd "$(dirname "$0")/.." && pwd)
cd "$srcdir" || exit 1

if [ ! -f "$builddir/build.ninja" ]; then
    CC=${FUZZ_CC:-clang} meson setup "$builddir" -Dfuzzing=true -Db_sanitize=address,undefined \
        -Db_lundef=false -Dwerror=false --buildtype=debugoptimized || exit 1
fi
for t in "$@"; do
    ninja -C "$builddir" "tests/fuzz/fuzz-$t" || exit 1
done

failed=0
summary=
for t in "$@"; do
    corpus=$builddir/fuzz-corpus/$t
    findings=$builddir/fuzz-findings/$t
    log=$builddir/fuzz-$t.log
    mkdir -p "$corpus" "$findings"
    dict=
    if [ -f "tests/fuzz/$t.dict" ]; then
        dict=-dict=tests/fuzz/$t.dict
    fi
    # New inputs go to the first directory (the build's), the seeds stay as checked in.
    # LeakSanitizer stays off, as in check-asan (issue 17).
    ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$builddir/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$findings/" $dict \
        "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ $rc = 0 ]; then
        result=ok
    else
        result="FINDING (exit $rc; $log, inputs in $findings)"
        failed=1
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5
    fi
    summary="$summary
fuzz-$t: ${runs:-0} executions in ${seconds}s: $result"
done
echo "$summary"
exit $failed
