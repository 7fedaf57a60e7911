#!/usr/bin/env python3
# Run BINARY ARGS... with a QMP monitor on stdio, send each command of the
# COMMANDS environment variable (JSON lines), print each reply as sorted
# JSON with the generated node names (#blockNNN) and the package name
# normalised: the block tests diff this between ours and QEMU 7.2.
import json
import os
import re
import subprocess
import sys

cmds = [json.loads(line) for line in os.environ["COMMANDS"].splitlines() if line.strip()]
text = "".join(json.dumps(c) + "\n" for c in [{"execute": "qmp_capabilities"}] + cmds +
               [{"execute": "quit"}])
proc = subprocess.run(sys.argv[1:] + ["-qmp", "stdio"], input=text, capture_output=True,
                      text=True, timeout=30)
replies = []
for line in proc.stdout.splitlines():
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    if "return" in msg or "error" in msg:
        replies.append(msg)
out = json.dumps(replies[1:-1], sort_keys=True, indent=1)
print(re.sub(r'"#block[0-9]+"', '"#block"', out))
if proc.returncode != 0:
    print("exit status", proc.returncode, proc.stderr, file=sys.stderr)
