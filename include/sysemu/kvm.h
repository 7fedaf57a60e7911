/*
 * KVM on POWER hosts (accel/kvm/): whether this binary has the accelerator
 * and its start-up.  Built only on ppc64 hosts with <linux/kvm.h>
 * (CONFIG_KVM); elsewhere `-accel kvm` is an unknown accelerator, as in a
 * QEMU built for a host that cannot run POWER guests under KVM.
 */
#ifndef SYSEMU_KVM_H
#define SYSEMU_KVM_H

#include "qemu/osdep.h"

#ifdef CONFIG_KVM
/* true once -accel kvm was chosen and /dev/kvm gave us a VM. */
bool kvm_enabled(void);
/*
 * Check the -accel kvm properties (kernel-irqchip=, kvm-shadow-mem=, kvm-type
 * comes from the machine): a bad value is an error for the user (*err set,
 * return false, exit 1 follows).
 */
bool kvm_accel_set_property(const char *name, const char *value, char **err);
/*
 * Open /dev/kvm and create the VM (HV when the host offers it, else PR).
 * false when KVM cannot be used on this host, after printing QEMU's messages
 * ("Could not access KVM kernel module: ...", "failed to initialize kvm:
 * ..."): the caller tries the next accelerator.
 */
bool kvm_accel_init(void);
#else
static inline bool kvm_enabled(void)
{
    return false;
}
#endif

#endif
