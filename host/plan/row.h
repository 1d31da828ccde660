// What a benchmark row is, as fields: the schema between the binary and whatever reads its
// results. Each row of the result JSON carries these (as "row"), and fpubench plan --json lists them,
// so the Python side reads fields and parses no benchmark name (scripts/fpubench_cli/analysis/schema.py).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace fpubench {

// Every field defaults to "", so a suite names only the fields its rows have.
struct Row {
  std::string suite = {};      // pingpong, signal, kvm, xsave, reference
  std::string family = {};     // the rows that differ only in FPU state: the name without `variant`
  std::string variant = {};    // the rest of the name: what varies within the family ("" for none)
  std::string mechanism = {};  // futex ... spin, signal, pio-exit, irqfd-pingpong, XSAVE ..., user-loop
  std::string placement = {};  // same-pu, cross-llc, ... ("" for one thread)
  // The FPU state of the measuring thread and of its partner (a thread, or the guest for KVM), as
  // component-set names (none, sse, avx, avx512, amx, all; host-init or host-dirty for the host
  // thread of a KVM exit); "" when there is no such side or the row does not vary it.
  std::string state = {}, partner_state = {};
  std::string condition = {};  // xsave: init, modified, unmodified
  std::string baseline = {};   // the row whose figure this row's xstate cost is measured against ("": none)
  // The counter of this row's own entries that holds its xstate cost, measured against the
  // baseline's state in time-paired blocks ("cost_p50_ns"); "" when the cost is the difference of
  // two benchmarks (the baseline's figure subtracted from this row's, per repetition).
  std::string cost_figure = {};
  std::string figure = {};     // the counter the row is judged by (rtt_p50_ns, ticks_per_insn, ns_per_op)
  std::string unit = {};       // of that figure: ns or ticks
  std::string selfcheck = {};  // --selfcheck's variant (a, a-again, inject), "" otherwise
  // What can move the figure: "kernel" (a system call or a VM exit is in the timed region: a
  // kernel change can), "control" (user-mode work alone, steady: the machine's own speed, which a
  // comparison uses to tell the machine from the kernel), "kernel-free" (user-mode work alone, but
  // too bimodal to be a control: the spin floor).
  std::string role = {};
  std::string better = {};  // which way of the figure is better: "lower" (every figure is a time)
};

// The benchmark's name, made from the row alone (the one place names are made):
// [selfcheck/<variant>/]<family>[/<variant>], e.g. pingpong/futex/same-pu/avx512.
std::string row_name(const Row& row);

// The row as a JSON object, its name first (nlohmann's conversion: `json j = row;`).
void to_json(nlohmann::ordered_json& j, const Row& row);

}  // namespace fpubench
