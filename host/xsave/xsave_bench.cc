#include "host/xsave/xsave_bench.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <string>

#include "bench/xstate_image.h"
#include "bench/xstate_permission.h"
#include "host/harness/timed_benchmark.h"
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

// kXsaveBatch instructions per iteration, timed around the batch.
class XsaveBody : public TimedBody {
 public:
  XsaveBody(const Machine& s, XsaveOp op, StateCondition condition, uint64_t rfbm)
      : s_(s),
        op_(op),
        rfbm_(rfbm),
        buffer_(s.layout),
        other_(s.layout),
        pattern_(make_pattern(s.layout, rfbm & s.regs.controllable(), 1)),
        other_pattern_(make_pattern(s.layout, rfbm & s.regs.controllable(), 2)),
        batch_{op,        condition,
               rfbm,      &s.regs,
               &buffer_,  is_restore(op) && condition == StateCondition::kModified ? &other_ : nullptr,
               &pattern_, &other_pattern_} {
    prepare_buffers(batch_);
  }
  bool step(Step& step) override {
    step.ticks = run_xsave_batch(batch_);
    step.operations = kXsaveBatch;
    return true;
  }
  void report(benchmark::State& state, const Totals& t) const override {
    uint64_t xstate_bv = buffer_.xstate_bv();
    if (op_ == XsaveOp::kFxsave || op_ == XsaveOp::kFxrstor) xstate_bv = kSseComponents;
    state.counters["ticks_per_insn"] = t.ticks / t.operations;
    state.counters["ticks_per_insn_min"] = double(t.best_ticks) / kXsaveBatch;
    state.counters["ns_per_insn"] = s_.tsc.ticks_to_ns(t.ticks / t.operations);
    state.counters["bytes_per_insn"] = xsave_bytes_per_insn(op_, s_.layout, rfbm_, xstate_bv);
    state.counters["rfbm"] = double(rfbm_);
    state.counters["xstate_bv"] = double(xstate_bv & rfbm_);
    state.SetItemsProcessed(int64_t(t.operations));
    state.SetLabel("rfbm=" + describe_components(rfbm_) +
                   " xstate_bv=" + describe_components(xstate_bv & rfbm_));
  }

 private:
  const Machine& s_;
  XsaveOp op_;
  uint64_t rfbm_;
  XstateImage buffer_, other_, pattern_, other_pattern_;
  XsaveBatch batch_;
};

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
      for (const Condition& c : kConditions) {
        std::string family = std::string("xsave/") + insn.name;
        Row row{.suite = "xsave",
                .family = family,
                .variant = set.name + "/" + c.name,
                .mechanism = insn.name,
                .state = set.name,
                .condition = c.name,
                .figure = "ticks_per_insn",
                .unit = "ticks",
                .role = "control",
                .better = "lower"};
        plan.push_back({row, insn.op, c.condition, set.mask});
      }
    }
  }
  return plan;
}

void plan_xsave_suite(const Machine& s, SuitePlan& plan) {
  for (const XsaveVariant& v : plan_xsave_benchmarks(s.layout, s.amx_unavailable, plan.skipped))
    plan.add(
        v.row,
        [&s, v](benchmark::State& st, const PlannedBenchmark& b) {
          run_timed(st, {&s.tsc, nullptr}, "xsave", b.name, Figure::kOwn,
                    [&] { return std::make_unique<XsaveBody>(s, v.op, v.condition, v.rfbm); });
        },
        Delayable::kNone, benchmark::kNanosecond);
}

}  // namespace fpubench
