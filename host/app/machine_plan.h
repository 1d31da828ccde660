// The whole suite planned for one machine, this one or a recorded profile: the three suites'
// setups and the plan made from them, and a profile's plan as the text fpubench plan prints.
#pragma once

#include <string>

#include "host/app/machine_facts.h"
#include "host/app/options.h"
#include "host/harness/timed_benchmark.h"
#include "host/kvm/kvm_bench.h"
#include "host/pingpong/pingpong_bench.h"
#include "host/plan/suite_plan.h"
#include "host/xsave/xsave_bench.h"

namespace fpubench {

// The suites' setups, alive as long as the benchmarks planned from them may run.
struct SuiteSetups {
  Machine machine;
  KvmBenchSetup kvm;    // the machine, and what KVM allows on it
  DelayOptions delays;  // applied to the finished plan
};

// Placements come from the topology, or from --pin.
SuiteSetups make_setups(const XstateLayout& layout, const RegisterState& regs, const TscInfo& tsc,
                        const Topology& topology, const MachineFacts& facts, const Options& opt,
                        HistogramSink* histograms);

SuitePlan plan_suite(const SuiteSetups& setups, const MachineFacts& facts);

// "tsc_read METHOD", then describe_plan(); or describe_plan_json().
std::string plan_text(TscRead read, const SuitePlan& plan, bool json = false);

// The plan of the recorded machine in `dir`; nothing is run or timed.
std::string profile_plan_text(const std::string& dir, const Options& opt = {});

}  // namespace fpubench
