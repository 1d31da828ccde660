// A lab's name for one figure of a row (LAVA test case, LKP stat key, KCIDB test path), built from
// the row's fields, never from its display name:
//   fpubench.<suite>.<mechanism>[.at-<placement>][.fpu-<state>][.peer-<partner_state>]
//           [.condition-<condition>][.check-<selfcheck variant>][.cost].<figure>
// (".cost": the row's xstate cost, its cost_figure). Short tags: the longest row, a self-check's
// cost of a cross-package eventfd ping-pong, still fits in 100 characters.
// Lower case [a-z0-9_-] components joined by '.', at most 100 characters: what all three engines
// accept. scripts/fpubench_cli/lab/case_names.py reads the fields back.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "host/plan/row.h"

namespace fpubench {

inline constexpr size_t kLabNameMax = 100;  // LAVA's limit for a test case name

// Throws std::invalid_argument when a field has a character outside the alphabet (after lower
// casing) or the name is too long: a row that cannot be named is not renamed into a collision.
std::string lab_name(const Row& row, const std::string& figure, bool cost = false);

// {"figure": name of the row's figure, "cost": name of its xstate cost or "" (no cost_figure)}.
nlohmann::ordered_json lab_names(const Row& row);

// What the binary skipped ("kvm/*/guest-avx/*" -> fpubench.skipped.kvm.any.guest-avx.any).
std::string lab_skip_name(const std::string& pattern);

}  // namespace fpubench
