# The /init fragment of cases/userwork.py and of userbench.py (make bench).
# functest=userwork functest.mib=M functest.steps=S: a userspace workload in /tmp: M MiB
# of text lines from `fpcheck data`, its md5sum, gzip -c then gzip -dc back, sort, and
# `fpcheck nbody S` (floating point). Each result is a "FUNCTEST result" line the host
# recomputes; each step is timed by the guest clock (/proc/uptime, 10 ms steps).

# The guest's uptime in hundredths of a second.
uptime_cs() {
    read -r up _ </proc/uptime
    # "12.05": whole seconds, then the two decimals (1xx - 100 keeps "05" from being octal).
    echo $((${up%.*} * 100 + 1${up#*.} - 100))
}

# userwork_step NAME CMD...: runs CMD, prints its time, checks its status.
userwork_step() {
    name=$1
    shift
    t=$(uptime_cs)
    "$@"
    st=$?
    echo "FUNCTEST userwork-time $name $(($(uptime_cs) - t))"
    if [ $st = 0 ]; then
        echo "FUNCTEST ok userwork-$name"
    else
        echo "FUNCTEST not-ok userwork-$name: exit status $st"
    fi
}

userwork_gen() { fpcheck data "$1" >/tmp/data; }
userwork_md5() { md5sum </tmp/data >/tmp/md5; }
userwork_gzip() { gzip -c /tmp/data >/tmp/data.gz; }
userwork_gunzip() { gzip -dc /tmp/data.gz | md5sum >/tmp/md5-gunzip; }
userwork_sort() { sort /tmp/data | md5sum >/tmp/md5-sort; }
userwork_nbody() { fpcheck nbody "$1" >/tmp/nbody; }

mode_userwork() {
    mib=$(arg functest.mib)
    steps=$(arg functest.steps)
    echo "FUNCTEST userwork-begin"
    t0=$(uptime_cs)
    userwork_step gen userwork_gen "$mib"
    userwork_step md5 userwork_md5
    userwork_step gzip userwork_gzip
    userwork_step gunzip userwork_gunzip
    userwork_step sort userwork_sort
    userwork_step nbody userwork_nbody "$steps"
    echo "FUNCTEST userwork-time total $(($(uptime_cs) - t0))"
    echo "FUNCTEST userwork-end"
    echo "FUNCTEST result userwork-bytes $(wc -c </tmp/data)"
    echo "FUNCTEST result userwork-md5 $(cut -d ' ' -f 1 /tmp/md5)"
    echo "FUNCTEST result userwork-gunzip-md5 $(cut -d ' ' -f 1 /tmp/md5-gunzip)"
    echo "FUNCTEST result userwork-sort-md5 $(cut -d ' ' -f 1 /tmp/md5-sort)"
    echo "FUNCTEST result userwork-gz-bytes $(wc -c </tmp/data.gz)"
    sed 's/^exact \([^ ]*\) /FUNCTEST result userwork-\1 /' /tmp/nbody
    rm -f /tmp/data /tmp/data.gz
    echo "FUNCTEST powering off"
    /bin/busybox poweroff -f
}
