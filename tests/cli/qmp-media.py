#!/usr/bin/env python3
# Run BINARY ARGS... with QMP on stdio, send the JSON lines of the COMMANDS
# environment variable one by one and print the transcript: each command,
# then every event and the reply it caused, as sorted JSON.  Timestamps go,
# generated node names become "#block", QEMU's own floppy0/sd0 drives (this
# board has no floppy or SD interface) leave query-block: the media tests
# diff this transcript between ours and QEMU 7.2.
import json
import os
import re
import select
import subprocess
import sys
import time

proc = subprocess.Popen(sys.argv[1:] + ["-qmp", "stdio"], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
buf = b""


def message(timeout=20):
    """The next QMP message, or None when the process ends or is silent."""
    global buf
    end = time.time() + timeout
    while b"\n" not in buf:
        left = end - time.time()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            return None
        data = os.read(proc.stdout.fileno(), 65536)
        if not data:
            return None
        buf += data
    line, buf = buf.split(b"\n", 1)
    msg = json.loads(line)
    msg.pop("timestamp", None)
    return msg


def show(msg):
    ret = msg.get("return")
    if isinstance(ret, list):
        msg["return"] = [b for b in ret if b.get("device") not in ("floppy0", "sd0")]
    print(re.sub(r'#block[0-9]+', '#block', json.dumps(msg, sort_keys=True)))


def send(cmd):
    proc.stdin.write((cmd + "\n").encode())
    proc.stdin.flush()
    while True:
        msg = message()
        if msg is None:
            print("no reply to", cmd)
            return False
        show(msg)
        if "return" in msg or "error" in msg:
            return True


if message() is None:
    print("no greeting")
    sys.exit(1)
send('{"execute": "qmp_capabilities"}')
for line in os.environ["COMMANDS"].splitlines():
    if line.strip():
        print(">", line.strip())
        if not send(line.strip()):
            break
proc.stdin.write(b'{"execute": "quit"}\n')
proc.stdin.flush()
try:
    _, err = proc.communicate(timeout=20)
except subprocess.TimeoutExpired:
    proc.kill()
    _, err = proc.communicate()
for line in err.decode().splitlines():
    if "TCG doesn't support requested feature" not in line:
        print("stderr:", line)
