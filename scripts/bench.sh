#!/bin/sh
# `make bench`: the benchmarks, each printing its own numbers and ratio.
# Not tests: nothing here fails on a slow machine.
set -e
builddir=${1:-build}
echo "== H_LOGICAL_MEMOP copy through qtest vs the host's memmove"
"$builddir/tests/bench/memop-bench" --size 64 --iterations 20

# ---- CPU benchmark: the bare-metal guest of tests/bench/cpu on both emulators ----
cpu_dir="$builddir/tests/bench/cpu"
# The guest image and host reference the CPU-style benchmark in progress runs
# (guest_bench sets them: the integer one, then the FP/vector one).
cpu_img="$cpu_dir/cpu-bench-full.img"
cpu_ref="$cpu_dir/cpu-bench-host"
cpu_ours="$builddir/qemu-system-ppc64"
cpu_oracle=/usr/bin/qemu-system-ppc64
# Seconds one run may take; once QEMU's time is known, ten times it.
cpu_limit=120
cpu_tmp=$(mktemp -d)
trap 'rm -rf "$cpu_tmp"' EXIT

# cpu_run TAG EMULATOR [EXTRA-OPTIONS...]: one run; output in $cpu_tmp/TAG.{out,err},
# wall time in nanoseconds in $cpu_ns; returns the emulator's exit status.
cpu_run() {
    tag=$1
    emu=$2
    shift 2
    t0=$(date +%s%N)
    status=0
    timeout "$cpu_limit" "$emu" "$@" -M pseries -m 1G -nodefaults -nographic -display none \
        -serial stdio -bios "$cpu_img" >"$cpu_tmp/$tag.out" 2>"$cpu_tmp/$tag.err" || status=$?
    cpu_ns=$(( $(date +%s%N) - t0 ))
    return $status
}

# cpu_best TAG EMULATOR [EXTRA-OPTIONS...]: best wall time of 3 runs that power off
# (exit 0) with the reference results; prints it in ns, or a one-line reason on failure.
cpu_best() {
    tag=$1
    best=""
    for i in 1 2 3; do
        if ! cpu_run "$@"; then
            if [ "$status" = 124 ]; then
                echo "FAILED: no power-off within $cpu_limit s"
            else
                echo "FAILED: exit status $status: $(head -n 1 "$cpu_tmp/$tag.err")"
            fi
            return 1
        fi
        tr -d '\r' <"$cpu_tmp/$tag.out" | grep -v '^#' >"$cpu_tmp/$tag.results" || true
        if ! cmp -s "$cpu_tmp/ref" "$cpu_tmp/$tag.results"; then
            echo "FAILED: results differ from the host reference:"
            diff "$cpu_tmp/ref" "$cpu_tmp/$tag.results" | head -n 10
            return 1
        fi
        if [ -z "$best" ] || [ "$cpu_ns" -lt "$best" ]; then
            best=$cpu_ns
        fi
    done
    echo "$best"
}

# Guest-printed number after a '#' label, e.g. cpu_field FILE "ticks total".
cpu_field() {
    sed -n "s/^# $2 \([0-9][0-9]*\)\r*\$/\1/p" "$1" | tail -n 1
}

secs() {
    awk -v ns="$1" 'BEGIN { printf "%.3f s", ns / 1e9 }'
}

# guest_bench KIND TITLE [REF]: the full image of tests/bench/cpu KIND-bench-full.img on
# QEMU and on ours, best of 3 each, checked against the host reference REF-bench-host
# (REF: KIND unless given).
guest_bench() {
    kind=$1
    cpu_img="$cpu_dir/$kind-bench-full.img"
    cpu_ref="$cpu_dir/${3:-$kind}-bench-host"
    cpu_limit=120
    echo
    echo "== $2, best of 3 wall-clock runs"
    if [ ! -f "$cpu_img" ] || [ ! -x "$cpu_ref" ]; then
        echo "$kind: $cpu_img or $cpu_ref is missing (no powerpc64le-linux-gnu-gcc?)"
        return 0
    fi
    if ! "$cpu_ref" full >"$cpu_tmp/ref"; then
        echo "$kind: the host reference $cpu_ref failed"
        return 0
    fi
    echo "reference results (host build of the same kernels):"
    sed 's/^/    /' "$cpu_tmp/ref"

    qemu_ns=""
    if [ -x "$cpu_oracle" ]; then
        r=$(cpu_best qemu "$cpu_oracle" -accel tcg) && qemu_ns=$r
        if [ -n "$qemu_ns" ]; then
            echo "QEMU 7.2 TCG:  $(secs "$qemu_ns")  (results match the reference)"
            cpu_limit=$(( qemu_ns / 100000000 + 10 ))
        else
            echo "QEMU 7.2 TCG:  $r"
        fi
    else
        echo "QEMU 7.2 TCG:  $cpu_oracle is missing"
    fi

    ours_ns=""
    r=$(cpu_best ours "$cpu_ours") && ours_ns=$r
    if [ -n "$ours_ns" ]; then
        echo "ours:          $(secs "$ours_ns")  (results match the reference)"
    else
        echo "ours:          $r"
        echo "               (our CPU does not run this guest yet: no time for ours)"
    fi

    if [ -n "$qemu_ns" ] && [ -n "$ours_ns" ]; then
        awk -v o="$ours_ns" -v q="$qemu_ns" \
            'BEGIN { printf "ratio ours/QEMU: %.2f (below 1: ours is faster)\n", o / q }'
    else
        echo "ratio ours/QEMU: n/a"
    fi
    cpu_mips "$qemu_ns" "$ours_ns"
}

# Guest instructions: counted once on QEMU with -icount shift=0, where the virtual
# clock, hence the timebase the guest reads with mftb around its kernels, advances
# exactly 1 ns per executed instruction. instructions = ticks * 1e9 / tb-frequency.
# The count covers the kernels only (not boot or console output); MIPS divide it by
# the whole run's wall time, so they slightly understate the kernels' speed.
cpu_mips() {
    if [ ! -x "$cpu_oracle" ] || ! cpu_run icount "$cpu_oracle" -accel tcg \
        -icount shift=0,sleep=off; then
        echo "guest instructions: n/a (the -icount run on QEMU failed)"
        return 0
    fi
    ticks=$(cpu_field "$cpu_tmp/icount.out" "ticks total")
    freq=$(cpu_field "$cpu_tmp/icount.out" "timebase-frequency")
    if [ -z "$ticks" ] || [ -z "$freq" ] || [ "$freq" = 0 ]; then
        echo "guest instructions: n/a (no tick count in the -icount run)"
        return 0
    fi
    insns=$(awk -v t="$ticks" -v f="$freq" 'BEGIN { printf "%.0f", t * 1e9 / f }')
    echo "guest instructions in the kernels: $insns (QEMU -icount shift=0)"
    for pair in "QEMU:$1" "ours:$2"; do
        name=${pair%%:*}
        ns=${pair#*:}
        if [ -n "$ns" ]; then
            awk -v n="$name" -v i="$insns" -v ns="$ns" \
                'BEGIN { printf "guest MIPS, %s: %.0f\n", n, i / (ns / 1e3) }'
        else
            echo "guest MIPS, $name: n/a"
        fi
    done
}

guest_bench cpu "CPU: bare-metal guest (sieve, CRC-32, mul/div mix, quicksort, bytecode interpreter)"
guest_bench cpu32 "CPU in 32-bit mode (MSR[SF]=0): the same kernels built with -m32 -mpowerpc64" cpu
guest_bench fp "FP/vector: bare-metal guest (dgemm with FMA, conversions and rounding, sqrt/div, saxpy, byte vectors and permutes, sort of doubles)"

# ---- Radix benchmark: 256 MiB mapped with 64K radix pages, a sieve over it ----
radix_bench() {
    img="$builddir/tests/bench/radix-bench.img"
    echo
    echo "== radix MMU: sieve over 256 MiB mapped with 64K radix pages, one wall-clock run each"
    if [ ! -f "$img" ]; then
        echo "radix: $img is missing (no powerpc64le-linux-gnu-gcc?)"
        return 0
    fi
    r_qemu=""
    r_ours=""
    for pair in "qemu:$cpu_oracle -accel tcg" "ours:$cpu_ours"; do
        tag=${pair%%:*}
        cmd=${pair#*:}
        t0=$(date +%s%N)
        # shellcheck disable=SC2086 # cmd is the emulator and its options
        if timeout 300 $cmd -M pseries -m 1G -nodefaults -nographic -display none \
            -serial stdio -bios "$img" </dev/null >"$cpu_tmp/radix-$tag.out" 2>/dev/null &&
            grep -q '^primes below 2^26: 3957809' "$cpu_tmp/radix-$tag.out"; then
            ns=$(( $(date +%s%N) - t0 ))
            echo "$tag: $(secs "$ns")  (3957809 primes, as expected)"
            eval "r_$tag=$ns"
        else
            echo "$tag: FAILED: $(tr -d '\r' <"$cpu_tmp/radix-$tag.out" | tail -n 1)"
        fi
    done
    if [ -n "$r_qemu" ] && [ -n "$r_ours" ]; then
        awk -v o="$r_ours" -v q="$r_qemu" \
            'BEGIN { printf "ratio ours/QEMU: %.2f (below 1: ours is faster)\n", o / q }'
    else
        echo "ratio ours/QEMU: n/a"
    fi
}

radix_bench

# ---- Hypercall cost: a tight loop of H_SET_SPRG0 (sc 1 and back), ns per call ----
hcall_bench() {
    img="$builddir/tests/bench/hcall-bench.img"
    echo
    echo "== hypercalls: 2,000,000 H_SET_SPRG0 in a loop, ns per call (guest time base);"
    echo "   H_CEDE woken by the decrementer 50 us later, average lateness of 200 naps"
    if [ ! -f "$img" ]; then
        echo "hcall: $img is missing (no powerpc64le-linux-gnu-gcc?)"
        return 0
    fi
    for pair in "QEMU 7.2 TCG:$cpu_oracle -accel tcg" "ours:$cpu_ours"; do
        tag=${pair%%:*}
        cmd=${pair#*:}
        # shellcheck disable=SC2086 # cmd is the emulator and its options
        if timeout 120 $cmd -M pseries -m 1G -nodefaults -nographic -display none \
            -serial stdio -bios "$img" </dev/null >"$cpu_tmp/hcall.out" 2>/dev/null &&
            grep -q '^hcall-bench-be: [0-9]* checks, 0 failed' "$cpu_tmp/hcall.out"; then
            echo "$tag: $(tr -d '\r' <"$cpu_tmp/hcall.out" | sed -n 's/^H_SET_SPRG0: //p');" \
                "$(tr -d '\r' <"$cpu_tmp/hcall.out" | sed -n 's/^H_CEDE wake-up: //p')"
        else
            echo "$tag: FAILED: $(tr -d '\r' <"$cpu_tmp/hcall.out" | tail -n 1)"
        fi
    done
}

hcall_bench

# ---- System calls: user code (radix, problem state) doing sc, a kernel answering rfid ----
syscall_bench() {
    img="$builddir/tests/bench/syscall-bench.img"
    echo
    echo "== system calls: 1,000,000 sc/rfid round trips from problem state under radix, AIL=3"
    if [ ! -f "$img" ]; then
        echo "syscall: $img is missing (no powerpc64le-linux-gnu-gcc?)"
        return 0
    fi
    for pair in "QEMU 7.2 TCG:$cpu_oracle -accel tcg" "ours:$cpu_ours"; do
        tag=${pair%%:*}
        cmd=${pair#*:}
        # shellcheck disable=SC2086 # cmd is the emulator and its options
        if timeout 120 $cmd -M pseries -m 1G -nodefaults -nographic -display none \
            -serial stdio -bios "$img" </dev/null >"$cpu_tmp/syscall.out" 2>/dev/null &&
            grep -q '^syscall-bench-be: [0-9]* checks, 0 failed' "$cpu_tmp/syscall.out"; then
            echo "$tag: $(tr -d '\r' <"$cpu_tmp/syscall.out" | sed -n 's/^system call round trip: //p') per round trip"
        else
            echo "$tag: FAILED: $(tr -d '\r' <"$cpu_tmp/syscall.out" | tail -n 1)"
        fi
    done
}

syscall_bench

# ---- SMP: a parallel guest workload at -smp 1 and -smp 2, speed-up ours and QEMU's ----
smp_bench() {
    img="$builddir/tests/bench/smp-bench.img"
    echo
    echo "== SMP: 192 sieves below 500,000 shared by 1 or 2 CPUs (best of 3); the process's"
    echo "   wall clock, and the workload alone by the guest's time base (no start-up);"
    echo "   QEMU with MTTCG (-accel tcg,thread=multi); host load: $(cut -d ' ' -f 1-3 /proc/loadavg)"
    if [ ! -f "$img" ]; then
        echo "smp: $img is missing (no powerpc64le-linux-gnu-gcc?)"
        return 0
    fi
    for pair in "QEMU 7.2 TCG:$cpu_oracle -accel tcg,thread=multi" "ours:$cpu_ours"; do
        tag=${pair%%:*}
        cmd=${pair#*:}
        wall1="" wall2="" work1="" work2=""
        for smp in 1 2 1 2 1 2; do
            t0=$(date +%s%N)
            # shellcheck disable=SC2086 # cmd is the emulator and its options
            if timeout 300 $cmd -M pseries -m 1G -smp "$smp" -nodefaults -nographic \
                -display none -serial stdio -bios "$img" </dev/null >"$cpu_tmp/smp.out" \
                2>/dev/null && grep -q "^smp-bench: $smp cpus" "$cpu_tmp/smp.out" &&
                grep -q '^smp-bench-be: [0-9]* checks, 0 failed' "$cpu_tmp/smp.out"; then
                ns=$(($(date +%s%N) - t0))
                ms=$(tr -d '\r' <"$cpu_tmp/smp.out" | sed -n "s/^smp-bench: $smp cpus, \([0-9]*\) ms$/\1/p")
                if [ "$smp" = 1 ]; then
                    if [ -z "$wall1" ] || [ "$ns" -lt "$wall1" ]; then wall1=$ns; fi
                    if [ -z "$work1" ] || [ "$ms" -lt "$work1" ]; then work1=$ms; fi
                else
                    if [ -z "$wall2" ] || [ "$ns" -lt "$wall2" ]; then wall2=$ns; fi
                    if [ -z "$work2" ] || [ "$ms" -lt "$work2" ]; then work2=$ms; fi
                fi
            else
                echo "$tag -smp $smp: FAILED: $(tr -d '\r' <"$cpu_tmp/smp.out" | tail -n 1)"
            fi
        done
        if [ -n "$wall1" ] && [ -n "$wall2" ]; then
            awk -v a="$wall1" -v b="$wall2" -v c="$work1" -v d="$work2" -v t="$tag" \
                'BEGIN { printf "%s: -smp 1 %.2f s, -smp 2 %.2f s, speed-up %.2fx; workload %.2f s, %.2f s, speed-up %.2fx\n",
                         t, a / 1e9, b / 1e9, a / b, c / 1e3, d / 1e3, c / d }'
        fi
    done
}

smp_bench

# ---- Start-up: to the first guest instruction (an image that powers off at once) ----
echo
python3 tests/bench/startup/startup-bench.py --qemu "$cpu_ours" --oracle-qemu "$cpu_oracle" ||
    echo "start-up: the benchmark could not run"

# ---- Linux boot: the functional suite's boot, start to power-off, VOF, SLOF, VOF -smp 2 ----
echo
python3 tests/functional/functest.py bench --qemu "$cpu_ours" --oracle-qemu "$cpu_oracle" \
    --build "$builddir/tests/functional" || echo "boot: the benchmark could not run"

# ---- Linux userspace: busybox gzip, md5sum and sort over 32 MiB, an FP program ----
echo
python3 tests/functional/userbench.py --qemu "$cpu_ours" --oracle-qemu "$cpu_oracle" \
    --build "$builddir/tests/functional" || echo "userspace: the benchmark failed (see above)"

# ---- TCP over user networking: spapr-vlan and slirp, both directions ----
echo
python3 tests/functional/netbench.py --qemu "$cpu_ours" --oracle-qemu "$cpu_oracle" \
    --build "$builddir/tests/functional" || echo "net: the benchmark could not run"

# ---- Disk: virtio-blk throughput inside the guest, sequential and random 4 KiB ----
echo
python3 tests/functional/diskperf.py --qemu "$cpu_ours" --oracle-qemu "$cpu_oracle" \
    --diskbench "$builddir/tests/functional/diskbench-ppc64le" ||
    echo "disk: the benchmark could not run"

# ---- Live migration: 1 GiB guest dirtying 8 MiB/s, and idle; total time and downtime ----
echo
echo "== live migration over unix: of a 1 GiB guest, default parameters, median of 3;"
echo "   host load: $(cut -d ' ' -f 1-3 /proc/loadavg)"
python3 tests/bench/migration/mig-bench.py "$cpu_ours" "$cpu_oracle" \
    "$builddir/tests/guest/migdirty-be.bin" 3 || echo "migration: the benchmark could not run"

# ---- libvirt: virsh start to running and to the console's first line, median of 5 ----
echo
echo "== libvirt: a private libvirtd starts the same pseries domain with each emulator;"
echo "   host load: $(cut -d ' ' -f 1-3 /proc/loadavg)"
python3 tests/bench/libvirt/libvirt-start-bench.py --qemu "$cpu_ours" --oracle "$cpu_oracle" \
    --runs 5 || echo "libvirt: the benchmark could not run"
