// --selfcheck=NAME: the round-trip benchmark NAME registered three times, as selfcheck/a/NAME,
// selfcheck/a-again/NAME and selfcheck/inject/NAME, only the last with the --inject-ns delay (or,
// for a paired row, the --inject-cost-ns delay of its held side).
// With random interleaving the three run interleaved in one process, so a comparison of them
// shows whether the suite can see a delay of that size (it must) and not see a difference that
// is not there (it must not).
#pragma once

#include <cstdint>
#include <string>

#include <vector>
#include "bench/tsc_clock.h"
#include "host/plan/row.h"

namespace fpubench {

struct Variant {
  std::string name;
  double inject_ns;            // negative: no wait code in the timed interval at all
  std::string selfcheck;       // a, a-again or inject for the self-check's three; "" otherwise
  double cost_inject_ns = -1;  // paired rows: the wait of the held side only (negative: none)
};

void set_selfcheck(const std::string& benchmark, double inject_ns, double cost_inject_ns = 0);
// A variant's delay in TSC ticks for spin_ticks(): negative when it has none.
int64_t inject_ticks(const TscInfo& tsc, double inject_ns);
bool selfcheck_active();
// The names and delays to register `name` under: itself with the run's delay, or the three
// self-check variants when it is the self-check's benchmark.
// `paired`: the row measures its cost in time-paired blocks; a cost delay asked of the self-check
// of a row without one throws std::invalid_argument.
std::vector<Variant> variants_of(const std::string& name, double inject_ns, double cost_inject_ns = 0,
                                 bool paired = true);
// `row` as `v` registers it: a self-check variant has no baseline (its rows are compared with each
// other, not costed).
Row row_of_variant(Row row, const Variant& v);
// Throws std::invalid_argument when --selfcheck named nothing that was registered.
void check_selfcheck_found();

}  // namespace fpubench
