#include "host/app/machine_plan.h"

#include "bench/regstate.h"
#include "host/plan/suite_plan.h"
#include "host/reference/reference_bench.h"

namespace fpubench {

SuiteSetups make_setups(const XstateLayout& layout, const RegisterState& regs, const TscInfo& tsc,
                        const Topology& topology, const MachineFacts& facts, const Options& opt,
                        HistogramSink* histograms) {
  Placements placements;
  if (opt.pin.empty())
    placements = resolve_placements(topology);
  else
    placements.available.push_back(pinned_placement(topology, opt.pin));
  PairedSettings paired{.block = opt.paired_block, .discard = opt.paired_discard};
  Machine machine{layout, regs, tsc, topology, placements, facts.amx_unavailable, histograms, paired};
  return {machine,
          {machine, facts.kvm_unavailable, facts.guest},
          {opt.selfcheck, opt.inject_ns, opt.inject_cost_ns}};
}

SuitePlan plan_suite(const SuiteSetups& s, const MachineFacts& facts) {
  SuitePlan plan;
  plan_reference_suite(s.machine.tsc, plan);
  plan_xsave_suite(s.machine, plan);
  plan_pingpong_suite(s.machine, plan);
  plan_kvm_suite(s.kvm, plan);
  apply_delays(plan, s.delays);  // the run's delays, or a self-check of one row
  // Counting is asked for per run (--counters); what this machine cannot count is said up front.
  if (!facts.hardware_counters_unavailable.empty())
    plan.skipped.push_back({"counters/hardware", facts.hardware_counters_unavailable});
  if (!facts.tracepoints_unavailable.empty())
    plan.skipped.push_back({"counters/tracepoints", facts.tracepoints_unavailable});
  return plan;
}

std::string plan_text(TscRead read, const SuitePlan& plan, bool json) {
  if (json) return describe_plan_json(plan);
  return std::string("tsc_read ") + tsc_read_name(read) + "\n" + describe_plan(plan);
}

std::string profile_plan_text(const std::string& dir, const Options& opt) {
  MachineProfile profile = load_profile(dir);
  XstateLayout layout = enumerate_xstate(*profile.cpu);
  RegisterState regs(layout, *profile.cpu);
  TscInfo tsc;  // nothing is timed: only the read method, from the recorded CPUID
  tsc.read = plan_tsc(*profile.cpu).read;
  SuiteSetups setups = make_setups(layout, regs, tsc, *profile.topology, profile.facts, opt, nullptr);
  return plan_text(tsc.read, plan_suite(setups, profile.facts), opt.plan_json);
}

}  // namespace fpubench
