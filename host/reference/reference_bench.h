// reference/user-loop: a fixed amount of user-space integer work with no system call and no
// vector register, timed like every other row. It measures the machine, not the kernel: a run
// whose reference differs from its label's other runs ran on a machine that changed speed
// (frequency, a noisy neighbour), and compare says so.
#pragma once

#include "bench/tsc_clock.h"
#include "host/plan/suite_plan.h"

namespace fpubench {

void plan_reference_suite(const TscInfo& tsc, SuitePlan& plan);

// The work itself: `rounds` dependent xorshift steps (exposed for tests).
uint64_t reference_work(uint64_t seed, unsigned rounds);

}  // namespace fpubench
