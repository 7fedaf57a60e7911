"""NUMA: Linux on two nodes from -numa (numa.sh): each node's CPUs and memory in sysfs,
the distances CAS handed over (form 2), and a node without distances, read the same way
on QEMU 7.2 and on ours."""

from ftlib import Case, check_boot, check_init, powers_off

NUMA_CHECKS = ['numa-nodes', 'numa-node0-cpus', 'numa-node1-cpus', 'numa-node0-mem',
               'numa-node1-mem', 'numa-distance0', 'numa-distance1', 'numa-cpu-node']

# 1 GiB in two 512 MiB nodes; CPUs 0-1 on node 0, 2-3 on node 1.
MEM = ['-object', 'memory-backend-ram,id=m0,size=512M',
       '-object', 'memory-backend-ram,id=m1,size=512M']
NODES = ['-numa', 'node,nodeid=0,memdev=m0,cpus=0-1',
         '-numa', 'node,nodeid=1,memdev=m1,cpus=2-3']


def play_numa(tap, m, ctx):
    powers_off(tap, m, ctx.limit)
    check_boot(tap, m.lines, ctx.host_fp)
    tap.ok('FUNCTEST powering off' in m.lines, '/init reached poweroff')
    check_init(tap, m.lines, NUMA_CHECKS)


# VOF only (the tree after CAS is the same with SLOF).  Without -numa dist QEMU 7.2's
# form 2 table says 20 between the nodes.
CASES = {
    'numa2': Case('numa', ['-no-reboot', '-smp', '4'] + MEM + NODES +
                  ['-numa', 'dist,src=0,dst=1,val=40'], 240, play_numa,
                  firmwares=('vof',), append='functest.dist=40'),
    'numa2-nodist': Case('numa', ['-no-reboot', '-smp', '4'] + MEM + NODES, 240, play_numa,
                         firmwares=('vof',), append='functest.dist=20'),
}
