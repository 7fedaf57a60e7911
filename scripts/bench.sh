#!/bin/sh
# `make bench`: the benchmarks, each printing its own numbers and ratio.
# Not tests: nothing here fails on a slow machine.
set -e
builddir=${1:-build}
echo "== H_LOGICAL_MEMOP copy through qtest vs the host's memmove"
"$builddir/tests/bench/memop-bench" --size 64 --iterations 20
