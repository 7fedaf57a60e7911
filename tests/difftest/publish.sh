#!/bin/bash
# Run the floating-point and vector difftest classes against one build in report mode and
# write one summary per class and byte order (OUTDIR/CLASS-be.txt, CLASS-le.txt). With
# INSNS=N, each class runs at least N test instructions, half in each byte order (images of
# TESTS tests, seeds 1, 2... big-endian, 1001, 1002... little-endian); otherwise one image.
# Exits 1 if any test mismatches or a run stops early (the reports say which).
# Usage: [STATE=fp|vmx|vsx|full] [INSNS=N] publish.sh QEMU OUTDIR [TESTS [CLASS...]]
set -u
state=${STATE:-full}
insns=${INSNS:-}
status=0
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
        seed=$([ $endian = be ] && echo 1 || echo 1001)
        count=()
        [ -n "$insns" ] && count=(-n $(( (insns + 1) / 2 )))
        header="difftest $cls, $([ $endian = be ] && echo big || echo little)-endian, $(date -u '+%Y-%m-%d %H:%M UTC')
build: $qemu, from commit $commit
command: tests/difftest/difftest.py run --qemu QEMU --class $cls --endian $endian --tests $tests --seed $seed ${count[*]} --state $state --report FILE
"
        python3 "$here/difftest.py" run --qemu "$qemu" --class "$cls" --endian "$endian" \
            --tests "$tests" --seed $seed "${count[@]}" --state "$state" \
            --report "$out/$cls-$endian.txt.tmp" --report-header "$header" >/dev/null 2>&1
        if [ "$state" = full ] && grep -q ' at: dt_\(run\|exit\)+' "$out/$cls-$endian.txt.tmp"; then
            # the build cannot move all of the state yet: compare what its facility moves
            fallback=${cls%%-*}
            python3 "$here/difftest.py" run --qemu "$qemu" --class "$cls" --endian "$endian" \
                --tests "$tests" --seed $seed "${count[@]}" --state "$fallback" --report "$out/$cls-$endian.txt.tmp" \
                --report-header "$header(--state full stopped in the harness: this is --state $fallback)
" >/dev/null 2>&1
        fi
        if [ -s "$out/$cls-$endian.txt.tmp" ]; then
            mv "$out/$cls-$endian.txt.tmp" "$out/$cls-$endian.txt"
        else
            rm -f "$out/$cls-$endian.txt.tmp"
            echo "$cls $endian: no report written" >&2
        fi
        echo "$cls-$endian: $(grep -m1 '^tests run' "$out/$cls-$endian.txt" 2>/dev/null)," \
            "$(grep -m1 '^test instructions' "$out/$cls-$endian.txt" 2>/dev/null)"
        if ! grep -q 'mismatching: 0$' "$out/$cls-$endian.txt" 2>/dev/null ||
            grep -q '^NOTE' "$out/$cls-$endian.txt"; then
            status=1
        fi
    done
done
exit $status
