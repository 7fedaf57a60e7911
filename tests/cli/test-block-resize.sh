# QMP block_resize and HMP block_resize (monitor/qmp-block-resize.c, block/) against
# QEMU 7.2 (Debian's qemu-system-ppc64): each side gets its own fresh copies of the
# images, the replies must be the same, and afterwards the images must agree
# (virtual sizes, file lengths of raw images) and our qcow2 images pass `qemu-img check`.
. "$(dirname "$0")/lib.sh"

ORACLE=/usr/bin/qemu-system-ppc64

if [ ! -x "$ORACLE" ]; then
    not_ok "QEMU 7.2 at $ORACLE (scripts/install-deps.sh installs qemu-system-ppc)"
    tap_done
    exit 1
fi
if ! command -v qemu-img >/dev/null || ! command -v qemu-io >/dev/null; then
    not_ok "qemu-img and qemu-io (qemu-utils)"
    tap_done
    exit 1
fi

# The images every case starts from, made once.
mkdir "$TMP/images"
(
    cd "$TMP/images" || exit 1
    qemu-img create -q -f raw r.img 1M
    qemu-img create -q -f raw ro.img 1M
    qemu-img create -q -f raw w.img 2M
    qemu-img create -q -f raw w2.img 2M
    qemu-img create -q -f qcow2 q.qcow2 4M
    qemu-io -c 'write -q -P 0x55 0 64k' -c 'write -q -P 0x66 3M 64k' q.qcow2 >/dev/null
    qemu-img create -q -f qcow2 b.qcow2 1M
    qemu-img create -q -f qcow2 -b b.qcow2 -F qcow2 t.qcow2
    qemu-img create -q -f qcow2 -o cluster_size=512 s.qcow2 64K
)

# A reply line without what differs by design: auto node names, qcow2 files' lengths, the
# order of the nodes.
filter() {
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    r = m.get("return")
    if isinstance(r, list):
        out = []
        for n in r:
            img = n.get("inserted", n).get("image", {})
            if n.get("drv") == "file" and n.get("file", "").endswith(".qcow2"):
                continue  # where qcow2 puts its metadata is its own business
            name = n.get("device") or n.get("node-name", "")
            if name.startswith("#"):
                name = "#auto"
            out.append([name, img.get("virtual-size")])
        print(json.dumps({"return": sorted(out)}))
    else:
        print(json.dumps(m, sort_keys=True))
'
}

# The facts about the images after a run, one line each: a raw image's length,
# a qcow2 image's virtual size (its header's big-endian size field at byte 24).
image_facts() {
    python3 -c '
import glob, os, struct
for f in sorted(glob.glob("*.img")):
    print(f, os.path.getsize(f))
for f in sorted(glob.glob("*.qcow2")):
    with open(f, "rb") as img:
        print(f, struct.unpack(">Q", img.read(32)[24:32])[0])
'
}

# resize_same NAME ARGS...: the QMP session on stdin, run by both binaries on fresh
# images, gives the same replies; the images end the same and ours check clean.
resize_same() {
    local name=$1 n=0 got want side bin
    shift
    cat >"$TMP/cmds"
    for side in ours theirs; do
        rm -rf "${TMP:?}/$side"
        mkdir "$TMP/$side"
        bin=$QEMU
        [ $side = theirs ] && bin="$ORACLE -vga none"
        cp "$TMP"/images/* "$TMP/$side"
        (cd "$TMP/$side" &&
            # shellcheck disable=SC2086
            qmp_session $bin -M pseries -nodefaults "$@" <"$TMP/cmds" 2>"$TMP/$side.err" |
            filter >"$TMP/$side.out" && image_facts >"$TMP/$side.facts")
    done
    if [ ! -s "$TMP/theirs.out" ]; then
        not_ok "$name: the oracle ran" "$(cat "$TMP/theirs.err")"
        return
    fi
    while IFS= read -r want; do
        n=$((n + 1))
        got=$(sed -n "${n}p" "$TMP/ours.out")
        if [ "$got" = "$want" ]; then
            ok "$name $n: ${want:0:160}"
        else
            not_ok "$name $n: as QEMU 7.2" "ours:   $got" "oracle: $want" \
                "our stderr: $(head -5 "$TMP/ours.err")"
        fi
    done <"$TMP/theirs.out"
    if [ "$(wc -l <"$TMP/ours.out")" != "$(wc -l <"$TMP/theirs.out")" ]; then
        not_ok "$name: as many replies as QEMU 7.2" "$(diff "$TMP/ours.out" "$TMP/theirs.out")"
    fi
    if diff "$TMP/theirs.facts" "$TMP/ours.facts" >"$TMP/facts.diff"; then
        ok "$name: images as QEMU 7.2 left them"
    else
        not_ok "$name: images as QEMU 7.2 left them" "$(cat "$TMP/facts.diff")"
    fi
    for f in "$TMP"/ours/*.qcow2; do
        if qemu-img check -q "$f" >"$TMP/check" 2>&1; then
            ok "$name: qemu-img check $(basename "$f")"
        else
            not_ok "$name: qemu-img check $(basename "$f")" "$(cat "$TMP/check")"
        fi
    done
}

DRIVES="-drive if=none,id=d0,file=r.img,format=raw
-drive if=none,id=ro,file=ro.img,format=raw,readonly=on
-drive if=none,id=q,file=q.qcow2,format=qcow2
-drive if=none,id=t,file=t.qcow2,format=qcow2
-blockdev driver=null-co,node-name=n0
-blockdev driver=null-aio,node-name=n3"

# Lookup, argument and per-driver errors; raw grows and shrinks to any byte length.
# shellcheck disable=SC2086
resize_same "errors and raw" $DRIVES <<'EOF'
{"execute":"block_resize","arguments":{"device":"nope","size":2097152}}
{"execute":"block_resize","arguments":{"node-name":"nope","size":2097152}}
{"execute":"block_resize","arguments":{"size":2097152}}
{"execute":"block_resize","arguments":{"device":"nope","node-name":"nope2","size":1}}
{"execute":"block_resize","arguments":{"device":"d0","size":-1}}
{"execute":"block_resize","arguments":{"device":"d0","size":"x"}}
{"execute":"block_resize","arguments":{"device":"d0"}}
{"execute":"block_resize","arguments":{"device":"d0","size":1,"bogus":1}}
{"execute":"block_resize","arguments":{"device":"d0","node-name":"n0","size":2097152}}
{"execute":"query-block"}
{"execute":"block_resize","arguments":{"device":"d0","size":1000}}
{"execute":"query-block"}
{"execute":"block_resize","arguments":{"device":"d0","size":0}}
{"execute":"block_resize","arguments":{"device":"nope","node-name":"n0","size":4096}}
{"execute":"block_resize","arguments":{"node-name":"n3","size":4096}}
{"execute":"block_resize","arguments":{"device":"ro","size":2097152}}
{"execute":"block_resize","arguments":{"device":"d0","size":9223372036854775807}}
{"execute":"block_resize","arguments":{"device":"d0","size":524288}}
{"execute":"query-block"}
EOF

# qcow2: whole sectors only; grows; shrinking drops the data past the end (QEMU
# 7.2 allows it); a backing chain's top alone changes, its backing node is in use.
# shellcheck disable=SC2086
resize_same "qcow2" $DRIVES -blockdev driver=file,filename=s.qcow2,node-name=sf \
    -blockdev driver=qcow2,file=sf,node-name=sq <<'EOF'
{"execute":"block_resize","arguments":{"device":"q","size":1000}}
{"execute":"block_resize","arguments":{"device":"q","size":1099511627776}}
{"execute":"query-block"}
{"execute":"block_resize","arguments":{"device":"q","size":1048576}}
{"execute":"block_resize","arguments":{"device":"t","size":4194304}}
{"execute":"query-named-block-nodes"}
{"execute":"block_resize","arguments":{"node-name":"sq","size":16777216}}
{"execute":"block_resize","arguments":{"node-name":"sf","size":16777216}}
{"execute":"block_resize","arguments":{"node-name":"sq","size":9223372035781033984}}
{"execute":"query-named-block-nodes"}
EOF

# A backing node named by node-name is in use; raw windows; a format node's file child.
resize_same "nodes" -blockdev driver=file,filename=b.qcow2,node-name=bf \
    -blockdev driver=qcow2,file=bf,node-name=bk \
    -blockdev driver=file,filename=t.qcow2,node-name=tf \
    -blockdev driver=qcow2,file=tf,backing=bk,node-name=tp \
    -blockdev driver=file,filename=w.img,node-name=wf \
    -blockdev driver=raw,file=wf,node-name=wo,offset=4096 \
    -blockdev driver=file,filename=w2.img,node-name=wf2 \
    -blockdev driver=raw,file=wf2,node-name=ws,offset=4096,size=8192 \
    -blockdev driver=file,filename=ro.img,node-name=rf,read-only=on \
    -blockdev driver=raw,file=rf,node-name=rr <<'EOF'
{"execute":"block_resize","arguments":{"node-name":"bk","size":2097152}}
{"execute":"block_resize","arguments":{"node-name":"tp","size":2097152}}
{"execute":"block_resize","arguments":{"node-name":"wo","size":1000000}}
{"execute":"block_resize","arguments":{"node-name":"ws","size":16384}}
{"execute":"block_resize","arguments":{"node-name":"wf","size":8192}}
{"execute":"block_resize","arguments":{"node-name":"tf","size":8192}}
{"execute":"block_resize","arguments":{"node-name":"rf","size":8192}}
{"execute":"block_resize","arguments":{"node-name":"rr","size":8192}}
{"execute":"query-named-block-nodes"}
EOF

# HMP: the size in MiB unless a unit follows, QEMU's parse errors.
hmp() {
    printf '{"execute":"human-monitor-command","arguments":{"command-line":"%s"}}\n' "$1"
}
{
    hmp "block_resize d0 2048"
    hmp "block_resize d0 1.5k"
    hmp "block_resize d0 0x100000"
    hmp "block_resize d0 3.5k"
    hmp "block_resize d0 -1"
    hmp "block_resize d0"
    hmp "block_resize"
    hmp "block_resize nope 1G"
    hmp "block_resize d0 1x"
    hmp "block_resize d0 0x"
    hmp "block_resize d0 1G x"
    hmp "block_resize d0 16E"
    hmp "block_resize d0 8E"
    hmp "block_resize q 1000B"
    hmp "block_resize ro 1M"
    hmp "help block_resize"
    hmp "block_resize  d0   3M   "
    echo '{"execute":"query-block"}'
} >"$TMP/hmp"
# shellcheck disable=SC2086
resize_same "HMP" $DRIVES <"$TMP/hmp"

tap_done
