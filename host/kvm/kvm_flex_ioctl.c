#include "host/kvm/kvm_flex_ioctl.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

/* Each of these structs is a u32 count, then the entries at `entries_at`. The struct is built
 * here with `capacity` entries, `*count` of them copied in; with `out`, the count and entries KVM
 * wrote are copied back. */
static int flex_ioctl(int fd, unsigned long request, size_t entries_at, void* entries, size_t entry_size,
                      uint32_t* count, uint32_t capacity, int out) {
  char* s = calloc(1, entries_at + capacity * entry_size);
  if (!s) return -1;
  memcpy(s, count, sizeof *count);
  memcpy(s + entries_at, entries, *count * entry_size);
  int rc = ioctl(fd, request, s);
  if (rc == 0 && out) {
    memcpy(count, s, sizeof *count);
    memcpy(entries, s + entries_at, *count * entry_size);
  }
  int saved = errno;
  free(s);
  errno = saved;
  return rc;
}

int kvm_get_supported_cpuid(int kvm_fd, struct kvm_cpuid_entry2* entries, uint32_t capacity, uint32_t* nent) {
  *nent = capacity;
  return flex_ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, offsetof(struct kvm_cpuid2, entries), entries,
                    sizeof *entries, nent, capacity, 1);
}

int kvm_set_cpuid2(int vcpu_fd, const struct kvm_cpuid_entry2* entries, uint32_t nent) {
  return flex_ioctl(vcpu_fd, KVM_SET_CPUID2, offsetof(struct kvm_cpuid2, entries), (void*)entries,
                    sizeof *entries, &nent, nent, 0);
}

int kvm_set_gsi_routing(int vm_fd, const struct kvm_irq_routing_entry* entries, uint32_t nr) {
  return flex_ioctl(vm_fd, KVM_SET_GSI_ROUTING, offsetof(struct kvm_irq_routing, entries), (void*)entries,
                    sizeof *entries, &nr, nr, 0);
}
