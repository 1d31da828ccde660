// What a benchmark row is, as fields: the schema between the binary and whatever reads its
// results. Each row of the result JSON carries these (as "row"), and fpubench plan --json lists them,
// so the Python side reads fields and parses no benchmark name (scripts/fpubench_cli/analysis/schema.py).
// Every name of a row is made here from its fields: its benchmark name and a lab's names.
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

// A lab's name for one figure of a row (LAVA test case, LKP stat key, KCIDB test path), built from
// the row's fields, never from its display name:
//   fpubench.<suite>.<mechanism>[.at-<placement>][.fpu-<state>][.peer-<partner_state>]
//           [.condition-<condition>][.check-<selfcheck variant>][.cost].<figure>
// (".cost": the row's xstate cost, its cost_figure). Short tags: the longest row, a self-check's
// cost of a cross-package eventfd ping-pong, still fits in 100 characters.
// Lower case [a-z0-9_-] components joined by '.', at most 100 characters: what all three engines
// accept. scripts/fpubench_cli/lab/case_names.py reads the fields back.
inline constexpr size_t kLabNameMax = 100;  // LAVA's limit for a test case name

// Throws std::invalid_argument when a field has a character outside the alphabet (after lower
// casing) or the name is too long: a row that cannot be named is not renamed into a collision.
std::string lab_name(const Row& row, const std::string& figure, bool cost = false);

// {"figure": name of the row's figure, "cost": name of its xstate cost or "" (no cost_figure)}.
nlohmann::ordered_json lab_names(const Row& row);

// What the binary skipped ("kvm/*/guest-avx/*" -> fpubench.skipped.kvm.any.guest-avx.any).
std::string lab_skip_name(const std::string& pattern);

}  // namespace fpubench
