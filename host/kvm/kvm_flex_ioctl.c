#include "host/kvm/kvm_flex_ioctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

int kvm_get_supported_cpuid(int kvm_fd, struct kvm_cpuid_entry2* entries, uint32_t capacity, uint32_t* nent) {
  struct kvm_cpuid2* c = calloc(1, sizeof *c + capacity * sizeof *entries);
  if (!c) return -1;
  c->nent = capacity;
  int rc = ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c);
  if (rc == 0) {
    memcpy(entries, c->entries, c->nent * sizeof *entries);
    *nent = c->nent;
  }
  int saved = errno;
  free(c);
  errno = saved;
  return rc;
}

int kvm_set_cpuid2(int vcpu_fd, const struct kvm_cpuid_entry2* entries, uint32_t nent) {
  struct kvm_cpuid2* c = calloc(1, sizeof *c + nent * sizeof *entries);
  if (!c) return -1;
  c->nent = nent;
  memcpy(c->entries, entries, nent * sizeof *entries);
  int rc = ioctl(vcpu_fd, KVM_SET_CPUID2, c);
  int saved = errno;
  free(c);
  errno = saved;
  return rc;
}

int kvm_set_gsi_routing(int vm_fd, const struct kvm_irq_routing_entry* entries, uint32_t nr) {
  struct kvm_irq_routing* r = calloc(1, sizeof *r + nr * sizeof *entries);
  if (!r) return -1;
  r->nr = nr;
  memcpy(r->entries, entries, nr * sizeof *entries);
  int rc = ioctl(vm_fd, KVM_SET_GSI_ROUTING, r);
  int saved = errno;
  free(r);
  errno = saved;
  return rc;
}
