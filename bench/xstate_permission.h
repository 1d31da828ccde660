// The kernel's opt-in for dynamically enabled xstate components (AMX tile data): Linux arms XFD
// for them until the process asks with arch_prctl(ARCH_REQ_XCOMP_PERM).
#pragma once

#include <cstdint>
#include <string>

namespace fpubench {

// Components the kernel lets this process use (ARCH_GET_XCOMP_PERM); 0 if it cannot say.
uint64_t permitted_xstate();

// Asks for every dynamic component in `mask`. Returns "" on success, otherwise one sentence why not.
std::string request_xstate_permission(uint64_t mask);

}  // namespace fpubench
