#!/bin/sh
# make fuzz-coverage: the source lines the checked-in fuzz inputs reach.  Builds
# the replay programs of tests/fuzz (gcc, no libFuzzer) in BUILDDIR with gcov
# instrumentation (-Db_coverage=true), replays every target's seeds and
# regression inputs, and prints the lines reached per source directory (gcovr),
# hw/ppc and target/ppc first (docs/devel/fuzzing.rst).  Usage:
# fuzz-coverage.sh BUILDDIR.  Fails when a replay fails or a tool is missing.
set -u
builddir=$1
srcdir=$(cd "$(dirname "$0")/.." && pwd)
cd "$srcdir" || exit 1

if ! command -v gcovr >/dev/null 2>&1; then
    echo "fuzz-coverage: gcovr is missing; run scripts/install-deps.sh" >&2
    exit 1
fi
if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" --buildtype=debug -Db_coverage=true -Db_lundef=false \
        -Dwerror=true || exit 1
fi
# Every replay program meson defines (tests/fuzz/meson.build's fuzz_targets).
targets=$(ninja -C "$builddir" -t targets all |
    sed -n 's|^\(tests/fuzz/fuzz-replay-[a-z0-9]*\): .*|\1|p' | sort -u)
if [ -z "$targets" ]; then
    echo "fuzz-coverage: no fuzz-replay programs in $builddir" >&2
    exit 1
fi
# shellcheck disable=SC2086
ninja -C "$builddir" $targets || exit 1

# Counts from this replay only.
find "$builddir" -name '*.gcda' -delete
failed=0
n=0
for prog in $targets; do
    t=${prog#tests/fuzz/fuzz-replay-}
    dirs=
    for d in corpus regress; do
        if [ -d "tests/fuzz/$d/$t" ]; then
            dirs="$dirs tests/fuzz/$d/$t"
        fi
    done
    # One process at a time: they all write the counters of the shared objects.
    # shellcheck disable=SC2086
    if ! "$builddir/$prog" $dirs >"$builddir/fuzz-coverage-$t.log" 2>&1; then
        echo "fuzz-coverage: $t: replay failed ($builddir/fuzz-coverage-$t.log)" >&2
        failed=$((failed + 1))
    fi
    n=$((n + $(grep -c '^ok ' "$builddir/fuzz-coverage-$t.log")))
done
echo "fuzz-coverage: $n inputs replayed by $(echo "$targets" | wc -w) targets"

# Per-file line counts of the program's own sources (not tests/, not generated files).
gcovr --root "$srcdir" --object-directory "$builddir" --exclude 'tests/' \
    --exclude "$builddir/" -j 2 --json-summary "$builddir/fuzz-coverage.json" "$builddir" || exit 1
python3 - "$builddir/fuzz-coverage.json" <<'EOF' || exit 1
import json
import sys

files = json.load(open(sys.argv[1]))["files"]
dirs = {}
for f in files:
    parts = f["filename"].split("/")
    # hw/ppc, target/ppc, include/hw ...: two levels; block, util ...: one.
    key = "/".join(parts[:2]) if parts[0] in ("hw", "target", "include") and len(parts) > 2 \
        else parts[0] if len(parts) > 1 else "."
    total, covered = dirs.get(key, (0, 0))
    dirs[key] = (total + f["line_total"], covered + f["line_covered"])
first = [d for d in ("hw/ppc", "target/ppc") if d in dirs]
rest = sorted(d for d in dirs if d not in first)
print("%-24s %8s %8s %7s" % ("directory", "lines", "reached", "percent"))
all_total = all_covered = 0
for d in first + rest:
    total, covered = dirs[d]
    all_total += total
    all_covered += covered
    print("%-24s %8d %8d %6.1f%%" % (d, total, covered, 100.0 * covered / total if total else 0))
print("%-24s %8d %8d %6.1f%%" % ("all", all_total, all_covered,
                                 100.0 * all_covered / all_total if all_total else 0))
EOF
if [ "$failed" -ne 0 ]; then
    echo "fuzz-coverage: $failed replays failed" >&2
    exit 1
fi
