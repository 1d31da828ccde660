#include "host/xsave/xsave_bench.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <string>

#include "bench/xstate_image.h"
#include "bench/xstate_permission.h"
#include "host/harness/counting.h"
#include "host/xsave/xsave_batch.h"

namespace fpubench {
namespace {

struct Instruction {
  const char* name;
  XsaveOp op;
  bool (*available)(const XstateLayout&);
  const char* missing;  // why it is not registered when unavailable
};

const Instruction kInstructions[] = {
    {"FXSAVE", XsaveOp::kFxsave, [](const XstateLayout&) { return true; }, ""},
    {"FXRSTOR", XsaveOp::kFxrstor, [](const XstateLayout&) { return true; }, ""},
    {"XSAVE", XsaveOp::kXsave, [](const XstateLayout& l) { return l.xsave; },
     "requires XSAVE enabled by the OS"},
    {"XSAVEOPT", XsaveOp::kXsaveopt, [](const XstateLayout& l) { return l.xsaveopt; }, "requires XSAVEOPT"},
    {"XSAVEC", XsaveOp::kXsavec, [](const XstateLayout& l) { return l.xsavec; }, "requires XSAVEC"},
    {"XRSTOR", XsaveOp::kXrstor, [](const XstateLayout& l) { return l.xsave; },
     "requires XSAVE enabled by the OS"},
    {"XRSTOR-compacted", XsaveOp::kXrstorCompacted, [](const XstateLayout& l) { return l.xsavec; },
     "requires XSAVEC (the compacted format)"},
};

struct ComponentSet {
  std::string name;
  uint64_t mask;
};

std::vector<ComponentSet> component_sets(const XstateLayout& l) {
  uint64_t vector_base = l.enables(kAvx512Components) ? kAvx512Components : kAvxComponents;
  return {{"sse", kSseComponents},
          {"avx", kAvxComponents},
          {"avx512", kAvx512Components},
          {"amx", vector_base | kAmxComponents},
          {"all", l.xcr0}};
}

struct Condition {
  const char* name;
  StateCondition condition;
};
constexpr Condition kConditions[] = {
    {"init", StateCondition::kInit},
    {"modified", StateCondition::kModified},
    {"unmodified", StateCondition::kUnmodified},
};

void run_xsave(benchmark::State& state, const XsaveBenchSetup& s, XsaveOp op, StateCondition condition,
               uint64_t rfbm) {
  const XstateLayout& layout = s.layout;
  XstateImage buffer(layout), other(layout);
  XstateImage pattern = make_pattern(layout, rfbm & s.regs.controllable(), 1);
  XstateImage other_pattern = make_pattern(layout, rfbm & s.regs.controllable(), 2);
  XsaveBatch batch{op,       condition,
                   rfbm,     &s.regs,
                   &buffer,  is_restore(op) && condition == StateCondition::kModified ? &other : nullptr,
                   &pattern, &other_pattern};
  prepare_buffers(batch);

  std::unique_ptr<BenchmarkCounting> counting;
  try {
    counting = std::make_unique<BenchmarkCounting>(std::vector<pid_t>{current_tid()});
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  uint64_t total = 0, best = ~uint64_t{0};
  counting->start();
  for (auto _ : state) {
    uint64_t raw = run_xsave_batch(batch);
    uint64_t ticks = s.tsc.minus_overhead(raw);
    total += ticks;
    best = std::min(best, ticks);
    state.SetIterationTime(s.tsc.ticks_to_ns(double(ticks)) * 1e-9);
  }
  counting->stop();
  uint64_t xstate_bv = buffer.xstate_bv();
  if (op == XsaveOp::kFxsave || op == XsaveOp::kFxrstor) xstate_bv = kSseComponents;
  double insns = double(state.iterations()) * kXsaveBatch;
  state.counters["ticks_per_insn"] = double(total) / insns;
  state.counters["ticks_per_insn_min"] = double(best) / kXsaveBatch;
  state.counters["ns_per_insn"] = s.tsc.ticks_to_ns(double(total) / insns);
  state.counters["bytes_per_insn"] = xsave_bytes_per_insn(op, layout, rfbm, xstate_bv);
  state.counters["rfbm"] = double(rfbm);
  state.counters["xstate_bv"] = double(xstate_bv & rfbm);
  state.SetItemsProcessed(int64_t(insns));
  counting->report(state, insns);
  state.SetLabel("rfbm=" + describe_components(rfbm) + " xstate_bv=" + describe_components(xstate_bv & rfbm));
}

}  // namespace

uint32_t xsave_bytes_per_insn(XsaveOp op, const XstateLayout& layout, uint64_t rfbm, uint64_t xstate_bv) {
  if (op == XsaveOp::kFxsave || op == XsaveOp::kFxrstor) return kLegacyRegionSize;
  uint64_t present = op == XsaveOp::kXsave ? rfbm : (rfbm & xstate_bv);
  uint32_t bytes = kExtendedRegionOffset;
  for (const XstateComponent& c : layout.components)
    if (c.id >= 2 && !c.supervisor && (present & component_bit(c.id))) bytes += c.size;
  return bytes;
}

std::vector<XsaveVariant> plan_xsave_benchmarks(const XstateLayout& l, const std::string& amx_unavailable,
                                                SkipList& skipped) {
  std::vector<ComponentSet> sets;
  for (const ComponentSet& set : component_sets(l)) {
    std::string pattern = "xsave/*/" + set.name + "/*";
    if (!l.enables(set.mask))
      skipped.push_back({pattern, "XCR0 does not enable " + describe_components(set.mask & ~l.xcr0)});
    else if ((set.mask & kAmxComponents) && !amx_unavailable.empty())
      skipped.push_back({pattern, amx_unavailable});
    else
      sets.push_back(set);
  }
  std::vector<XsaveVariant> plan;
  for (const Instruction& insn : kInstructions) {
    if (!insn.available(l)) {
      skipped.push_back({std::string("xsave/") + insn.name + "/*", insn.missing});
      continue;
    }
    bool fx = insn.op == XsaveOp::kFxsave || insn.op == XsaveOp::kFxrstor;
    for (const ComponentSet& set : sets) {
      if (fx && set.mask != kSseComponents) continue;  // the FXSAVE format holds x87 and SSE only
      for (const Condition& c : kConditions)
        plan.push_back({std::string("xsave/") + insn.name + "/" + set.name + "/" + c.name, insn.op,
                        c.condition, set.mask});
    }
  }
  return plan;
}

void plan_xsave_suite(const XsaveBenchSetup& s, SuitePlan& plan) {
  for (const XsaveVariant& v : plan_xsave_benchmarks(s.layout, s.amx_unavailable, plan.skipped))
    plan.add(
        v.name, [&s, v](benchmark::State& st) { run_xsave(st, s, v.op, v.condition, v.rfbm); },
        benchmark::kNanosecond);
}

}  // namespace fpubench
