// The XSAVE-family cost matrix: instruction x component set x state condition, registered from
// what this CPU reports. Names look like xsave/XSAVEOPT/avx512/unmodified. One iteration is a
// batch of kXsaveBatch instructions timed with the TSC (its manual time is the batch); the
// per-instruction figures are the ticks_per_insn and ns_per_insn counters.
#pragma once

#include <string>
#include <vector>

#include "bench/regstate.h"
#include "bench/tsc_clock.h"
#include "bench/xstate.h"
#include "host/harness/timed_benchmark.h"
#include "host/plan/suite_plan.h"
#include "host/xsave/xsave_batch.h"

namespace fpubench {

struct XsaveVariant {
  Row row;  // its name (row_name): xsave/<instruction>/<component set>/<condition>
  XsaveOp op;
  StateCondition condition;
  uint64_t rfbm;
};

// The matrix this CPU supports; what it cannot run goes to `skipped` with the reason.
std::vector<XsaveVariant> plan_xsave_benchmarks(const XstateLayout& layout,
                                                const std::string& amx_unavailable, SkipList& skipped);

void plan_xsave_suite(const Machine& machine, SuitePlan& plan);

// What an instruction moves to or from memory, from XSTATE_BV and the format: the legacy region
// and header, plus each component the header marks present (every requested one for XSAVE,
// which has no init optimization). FXSAVE/FXRSTOR always move 512 bytes.
uint32_t xsave_bytes_per_insn(XsaveOp op, const XstateLayout& layout, uint64_t rfbm, uint64_t xstate_bv);

}  // namespace fpubench
