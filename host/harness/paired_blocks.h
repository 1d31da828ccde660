// Time-paired blocks: a variant's xstate cost measured inside one benchmark, next to its baseline.
// Every iteration is a quad of four blocks of round trips, the variant's state held (H) and every
// component in init (I), in a random ABBA order (HIIH or IHHI): both sides sit at the same mean
// time, so a change of the machine's speed that is slow against a quad cancels in their
// difference, and one that is fast hits both sides alike. The first round trips of every block
// are not kept (the switch of state, and the caches it cools, land there). Per repetition: each
// side's p50, their difference (the cost), and an A/A difference between the init blocks of even
// and of odd quads, which must be zero within its noise (README, "Time-paired blocks").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "bench/latency_histogram.h"

namespace fpubench {

struct PairedSettings {
  unsigned block = 32;   // kept round trips per block (--paired-block)
  unsigned discard = 2;  // round trips at the start of every block that are not kept
};

// What a paired repetition reports, in ticks.
struct PairedFigures {
  double held_p50 = 0, init_p50 = 0;
  double cost = 0;  // held_p50 - init_p50
  // p50 of the init blocks of even quads - of odd quads; none from a single quad
  std::optional<double> aa;
};

class PairedBlocks {
 public:
  // `n` round trips of one side (the state held, or all in init), each timed into `ticks`;
  // false when one failed (the body says why).
  using RunSide = std::function<bool(bool held, unsigned n, uint64_t* ticks)>;

  // `overhead_ticks` is taken off every round trip (the timer's own cost); `seed` draws the orders.
  PairedBlocks(PairedSettings settings, uint64_t overhead_ticks, uint64_t seed);

  // One quad; `*total` gets the ticks of all its round trips (the iteration's time). False when
  // `run` failed.
  bool quad(const RunSide& run, uint64_t* total);

  const LatencyRecorder& held() const { return held_; }
  const LatencyRecorder& init() const { return init_; }
  // Round trips run on both sides, the discarded ones included: what per-operation counts divide by.
  uint64_t round_trips() const { return round_trips_; }
  // Throws std::logic_error before the first quad.
  PairedFigures figures() const;

 private:
  bool block(const RunSide& run, bool held, uint64_t* total);

  PairedSettings settings_;
  uint64_t overhead_;
  std::mt19937_64 order_;
  std::vector<uint64_t> ticks_;
  LatencyRecorder held_, init_, init_even_, init_odd_;
  uint64_t quads_ = 0, round_trips_ = 0;
};

}  // namespace fpubench
