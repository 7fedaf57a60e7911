#!/bin/bash
# Run the floating-point and vector difftest classes against one build in report mode and
# write one summary per class and byte order (OUTDIR/CLASS-be.txt, CLASS-le.txt).
# Usage: [STATE=fp|vmx|vsx|full] publish.sh QEMU OUTDIR [TESTS [CLASS...]]
set -u
state=${STATE:-full}
qemu=$1
out=$2
tests=${3:-3000}
shift 3 2>/dev/null || shift $#
classes=${*:-fp-arith fp-convert fp-fpscr vmx-int vmx-perm vmx-float vsx-scalar vsx-vector vsx-ldst}
src=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$src/../.." && pwd)
# run from a copy, so that editing the worktree meanwhile does not change the campaign
here=$(mktemp -d)
trap 'rm -rf "$here"' EXIT
cp -r "$src/." "$here/"
commit=${COMMIT:-$(git -C "$repo" log -1 --format='%h %s')}
mkdir -p "$out"
for cls in $classes; do
    for endian in be le; do
        header="difftest $cls, $([ $endian = be ] && echo big || echo little)-endian, $(date -u '+%Y-%m-%d %H:%M UTC')
build: $qemu, from commit $commit
command: tests/difftest/difftest.py run --qemu QEMU --class $cls --endian $endian --tests $tests --state $state --report FILE
"
        python3 "$here/difftest.py" run --qemu "$qemu" --class "$cls" --endian "$endian" \
            --tests "$tests" --state "$state" --report "$out/$cls-$endian.txt.tmp" --report-header "$header" \
            >/dev/null 2>&1
        if [ "$state" = full ] && grep -q ' at: dt_\(run\|exit\)+' "$out/$cls-$endian.txt.tmp"; then
            # the build cannot move all of the state yet: compare what its facility moves
            fallback=${cls%%-*}
            python3 "$here/difftest.py" run --qemu "$qemu" --class "$cls" --endian "$endian" \
                --tests "$tests" --state "$fallback" --report "$out/$cls-$endian.txt.tmp" \
                --report-header "$header(--state full stopped in the harness: this is --state $fallback)
" >/dev/null 2>&1
        fi
        if [ -s "$out/$cls-$endian.txt.tmp" ]; then
            mv "$out/$cls-$endian.txt.tmp" "$out/$cls-$endian.txt"
        else
            rm -f "$out/$cls-$endian.txt.tmp"
            echo "$cls $endian: no report written" >&2
        fi
        echo "$cls-$endian: $(grep -m1 '^tests run' "$out/$cls-$endian.txt" 2>/dev/null)"
    done
done
