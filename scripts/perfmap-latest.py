#!/usr/bin/env python3
"""Rewrite a -perfmap file (/tmp/perf-PID.map) so each host address has one name.

A vCPU's buffer of host code is reused after its translations are flushed, so
the file names the same host addresses several times over a run, once per
generation; perf keeps one of them, not necessarily the last.  This keeps, for
every byte, the block written last (the code that ran at the end of the run,
what a profile of a steady workload wants) and drops the older lines it covers.

  scripts/perfmap-latest.py /tmp/perf-PID.map   (rewritten in place)
"""

import bisect
import sys


def latest(lines):
    starts, ends, kept = [], [], []
    for line in reversed(lines):
        fields = line.split(None, 2)
        if len(fields) != 3:
            continue
        start, size = int(fields[0], 16), int(fields[1], 16)
        i = bisect.bisect_left(starts, start)
        if (i < len(starts) and starts[i] < start + size) or (i > 0 and ends[i - 1] > start):
            continue  # a later block took (part of) these bytes
        starts.insert(i, start)
        ends.insert(i, start + size)
        kept.append((start, line))
    return [line for _, line in sorted(kept)]


def main():
    if len(sys.argv) != 2:
        print('usage: perfmap-latest.py /tmp/perf-PID.map', file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        lines = f.read().splitlines()
    out = latest(lines)
    with open(sys.argv[1], 'w') as f:
        f.write(''.join(line + '\n' for line in out))
    print('%s: %d lines, %d kept' % (sys.argv[1], len(lines), len(out)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
