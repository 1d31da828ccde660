// The CPU the tests run on, with AMX tile data requested where XCR0 enables it, and the register
// control built after that request (it decides what it can control from the kernel's answer).
#pragma once

#include <memory>

#include "bench/cpuid_source.h"
#include "bench/regstate.h"
#include "bench/xstate.h"
#include "bench/xstate_permission.h"

namespace fpubench::testing {

struct LiveRegisters {
  LiveRegisters() {
    uint64_t amx = kAmxComponents;
    if (layout.enables(amx)) request_xstate_permission(amx);
    regs = std::make_unique<RegisterState>(layout, cpu);
  }
  HardwareCpuid cpu;
  XstateLayout layout = enumerate_xstate(cpu);
  std::unique_ptr<RegisterState> regs;
};

}  // namespace fpubench::testing
