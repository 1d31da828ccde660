#include "bench/xstate_permission.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bench/xstate.h"

namespace fpubench {
namespace {
// From arch/x86/include/uapi/asm/prctl.h; glibc does not export them.
constexpr int kArchGetXcompPerm = 0x1022;
constexpr int kArchReqXcompPerm = 0x1023;
}  // namespace

uint64_t permitted_xstate() {
  uint64_t mask = 0;
  if (syscall(SYS_arch_prctl, kArchGetXcompPerm, &mask) != 0) return 0;
  return mask;
}

std::string request_xstate_permission(uint64_t mask) {
  for (unsigned id = 0; id < 64; ++id) {
    if (!(mask & component_bit(id)) || (permitted_xstate() & component_bit(id))) continue;
    if (syscall(SYS_arch_prctl, kArchReqXcompPerm, id) != 0)
      return "the kernel refused arch_prctl(ARCH_REQ_XCOMP_PERM, " + component_name(id) +
             "): " + std::strerror(errno);
  }
  return "";
}

}  // namespace fpubench
