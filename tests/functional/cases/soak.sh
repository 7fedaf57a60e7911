# The /init fragment of cases/soak.py (sourced by init.sh); make soak, not in CI.
# functest=soak functest.cpus=N: N workers at once, each compressing, checksumming and
# sorting a file of its own and comparing with the results computed once at the start,
# in a loop until the host asks for the power-off (QMP system_powerdown). Every round
# prints one line: "FUNCTEST soak-round R ok" or "FUNCTEST soak-round R bad: what".
mode_soak() {
    want=$(arg functest.cpus)
    check soak-online test "$(grep -c '^processor' /proc/cpuinfo)" = "$want"
    # About 300 KB of text that compresses and sorts in a few seconds.
    seq 1 40000 | sed 's/$/ pseries soak line/' >/tmp/soak-data
    sort -r /tmp/soak-data >/tmp/soak-sorted
    gzip -c /tmp/soak-data >/tmp/soak-ref.gz
    ref_sum=$(md5sum </tmp/soak-data)
    ref_sorted=$(md5sum </tmp/soak-sorted)
    ref_gz=$(md5sum </tmp/soak-ref.gz)
    echo "FUNCTEST soak-start"
    round=0
    while :; do
        round=$((round + 1))
        i=0
        while [ $i -lt "$want" ]; do
            soak_work $i "$ref_sum" "$ref_sorted" "$ref_gz" &
            i=$((i + 1))
        done
        wait
        bad=
        i=0
        while [ $i -lt "$want" ]; do
            [ "$(cat /tmp/soak-status$i)" = ok ] || bad="$bad w$i:$(cat /tmp/soak-status$i)"
            i=$((i + 1))
        done
        if [ -z "$bad" ]; then
            echo "FUNCTEST soak-round $round ok"
        else
            echo "FUNCTEST soak-round $round bad:$bad"
        fi
    done
}

# soak_work I SUM SORTED GZ: one worker's round; writes ok or what differed to
# /tmp/soak-statusI.
soak_work() {
    d=/tmp/soak-w$1
    st=ok
    cp /tmp/soak-data $d
    gzip -c $d >$d.gz
    [ "$(md5sum <$d.gz)" = "$4" ] || st=gzip
    gunzip -c $d.gz >$d.out
    [ "$(md5sum <$d.out)" = "$2" ] || st=gunzip
    sort -r $d.out >$d.sorted
    [ "$(md5sum <$d.sorted)" = "$3" ] || st=sort
    rm -f $d $d.gz $d.out $d.sorted
    echo $st >/tmp/soak-status$1
}
