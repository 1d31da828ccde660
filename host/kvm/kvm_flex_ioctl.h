/* The KVM ioctls whose argument ends in a flexible array. Linux's uapi headers declare those
 * arrays with __DECLARE_FLEX_ARRAY, which C++ lays out differently (an empty struct takes a byte),
 * so both the struct and the ioctl number would be wrong from C++: these are issued from C. */
#ifndef FPUBENCH_KVM_FLEX_IOCTL_H
#define FPUBENCH_KVM_FLEX_IOCTL_H

#include <linux/kvm.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* On return *nent holds the count; fails with errno E2BIG when `capacity` is too small. */
int kvm_get_supported_cpuid(int kvm_fd, struct kvm_cpuid_entry2* entries, uint32_t capacity, uint32_t* nent);
int kvm_set_cpuid2(int vcpu_fd, const struct kvm_cpuid_entry2* entries, uint32_t nent);
int kvm_set_gsi_routing(int vm_fd, const struct kvm_irq_routing_entry* entries, uint32_t nr);

#ifdef __cplusplus
}
#endif

#endif
