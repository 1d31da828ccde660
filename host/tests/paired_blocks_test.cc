// Time-paired blocks on simulated machines: which round trips are kept, in which order the sides
// run, and that the pair cancels a machine whose speed switches modes where two separate
// benchmarks do not.
#include "host/harness/timed_benchmark.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

namespace fpubench {
namespace {

// A round trip's ticks on a machine that runs at one of two speeds, switching at random moments
// (modes last `mean_mode` round trips on average), with jitter, plus `cost` while the state is held.
class TwoSpeedMachine {
 public:
  TwoSpeedMachine(uint64_t seed, double mean_mode) : rng_(seed), mode_length_(1.0 / mean_mode) {
    left_ = next_mode();
  }
  uint64_t round_trip(bool held, double base, double cost) {
    if (--left_ <= 0) {
      fast_ = !fast_;
      left_ = next_mode();
    }
    double speed = fast_ ? 1.0 : 1.12;  // a repetition's p50 jumps by ~12% on the 2-core VMs
    return uint64_t(base * speed + (held ? cost : 0) + jitter_(rng_));
  }

 private:
  int64_t next_mode() { return int64_t(mode_length_(rng_)) + 1; }
  std::mt19937_64 rng_;
  std::exponential_distribution<double> mode_length_;
  std::exponential_distribution<double> jitter_{1.0 / 150};
  bool fast_ = true;
  int64_t left_ = 0;
};

double p50(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  return double(v[(v.size() + 1) / 2 - 1]);
}

struct Spread {
  double mean, sd;
};

Spread spread(const std::vector<double>& v) {
  double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return {mean, std::sqrt(ss / double(v.size() - 1))};
}

constexpr double kBase = 6000, kCost = 100;
constexpr unsigned kRoundTripsPerSide = 1600;  // a 20 ms repetition of a 6 us round trip, halved

TEST(PairedBlocks, KeepsAllButTheFirstRoundTripsOfEveryBlock) {
  PairedBlocks blocks({.block = 5, .discard = 2}, 0, 1);
  std::vector<std::pair<bool, unsigned>> calls;
  uint64_t next = 1;
  auto run = [&](bool held, unsigned n, uint64_t* ticks) {
    calls.push_back({held, n});
    for (unsigned i = 0; i < n; ++i) ticks[i] = i < 2 ? 1000000 : next++;  // the discarded ones stand out
    return true;
  };
  uint64_t total = 0;
  for (int q = 0; q < 10; ++q) ASSERT_TRUE(blocks.quad(run, &total));
  ASSERT_EQ(calls.size(), 40u);
  for (auto [held, n] : calls) EXPECT_EQ(n, 7u);  // the kept five and the two before them
  EXPECT_EQ(blocks.held().count(), 10u * 2 * 5);
  EXPECT_EQ(blocks.init().count(), 10u * 2 * 5);
  EXPECT_EQ(blocks.round_trips(), 10u * 4 * 7);
  for (uint64_t t : blocks.held().samples()) EXPECT_LT(t, 1000000u);
  for (uint64_t t : blocks.init().samples()) EXPECT_LT(t, 1000000u);
}

TEST(PairedBlocks, RunsEachQuadAsAbbaOrBaabInRandomOrder) {
  PairedBlocks blocks({.block = 1, .discard = 0}, 0, 7);
  std::vector<bool> sides;
  auto run = [&](bool held, unsigned n, uint64_t* ticks) {
    sides.push_back(held);
    std::fill(ticks, ticks + n, 10);
    return true;
  };
  uint64_t total = 0;
  int held_first = 0;
  for (int q = 0; q < 200; ++q) {
    ASSERT_TRUE(blocks.quad(run, &total));
    bool a = sides[4 * q];
    EXPECT_EQ(sides[4 * q + 1], !a);
    EXPECT_EQ(sides[4 * q + 2], !a);
    EXPECT_EQ(sides[4 * q + 3], a);
    held_first += a;
  }
  EXPECT_GT(held_first, 60);  // both orders, about as often: binomial(200, 0.5) stays in 60..140
  EXPECT_LT(held_first, 140);
}

TEST(PairedBlocks, TakesTheTimersCostOffEveryRoundTrip) {
  PairedBlocks blocks({.block = 3, .discard = 0}, 40, 3);
  auto run = [](bool held, unsigned n, uint64_t* ticks) {
    std::fill(ticks, ticks + n, held ? 1140 : 1040);
    return true;
  };
  uint64_t total = 0;
  ASSERT_TRUE(blocks.quad(run, &total));
  EXPECT_EQ(total, 6u * 1140 + 6u * 1040);  // the iteration's time is what elapsed
  PairedFigures f = blocks.figures();
  EXPECT_EQ(f.held_p50, 1100);
  EXPECT_EQ(f.init_p50, 1000);
  EXPECT_EQ(f.cost, 100);
  EXPECT_FALSE(f.aa.has_value());  // one quad: no second half to compare with
}

TEST(PairedBlocks, AFailedSideEndsTheQuad) {
  PairedBlocks blocks({.block = 3, .discard = 1}, 0, 3);
  int calls = 0;
  auto run = [&](bool, unsigned n, uint64_t* ticks) {
    std::fill(ticks, ticks + n, 5);
    return ++calls < 2;
  };
  uint64_t total = 0;
  EXPECT_FALSE(blocks.quad(run, &total));
  EXPECT_EQ(calls, 2);
  EXPECT_THROW(blocks.figures(), std::logic_error);
}

// The point of the pairing: on a machine whose speed switches modes within a repetition, the
// paired difference stays near the cost and the A/A near zero, while a difference of two separate
// benchmarks (one side after the other, as two rows run) follows whichever modes each side met.
TEST(PairedBlocks, CancelsAMachinesSpeedModesWhereSeparateBenchmarksDoNot) {
  std::vector<double> paired, separate, aa;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    TwoSpeedMachine machine(seed, 1500);
    PairedBlocks blocks({.block = 32, .discard = 2}, 0, seed);
    auto run = [&](bool held, unsigned n, uint64_t* ticks) {
      for (unsigned i = 0; i < n; ++i) ticks[i] = machine.round_trip(held, kBase, kCost);
      return true;
    };
    uint64_t total = 0;
    while (blocks.held().count() < kRoundTripsPerSide) ASSERT_TRUE(blocks.quad(run, &total));
    PairedFigures f = blocks.figures();
    paired.push_back(f.cost);
    ASSERT_TRUE(f.aa.has_value());
    aa.push_back(*f.aa);

    std::vector<uint64_t> held(kRoundTripsPerSide), init(kRoundTripsPerSide);
    for (uint64_t& t : held) t = machine.round_trip(true, kBase, kCost);
    for (uint64_t& t : init) t = machine.round_trip(false, kBase, kCost);
    separate.push_back(p50(held) - p50(init));
  }
  Spread p = spread(paired), s = spread(separate), a = spread(aa);
  // Unbiased: the mean of 60 repetitions is the cost within four of its standard errors.
  EXPECT_NEAR(p.mean, kCost, 4 * p.sd / std::sqrt(60.0));
  EXPECT_NEAR(a.mean, 0, 4 * a.sd / std::sqrt(60.0));
  // Sharp: far less spread than separate benchmarks, which jump by the modes' gap (720 ticks).
  EXPECT_LT(p.sd * 4, s.sd) << "paired SD " << p.sd << ", separate SD " << s.sd;
  EXPECT_GT(s.sd, 150);
}

}  // namespace
}  // namespace fpubench
