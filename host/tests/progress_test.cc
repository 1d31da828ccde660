#include "host/plan/progress.h"

#include <gtest/gtest.h>

namespace fpubench {
namespace {

TEST(Progress, ProbesOfARepetitionCountOnceAndAdjacentRepetitionsTwice) {
  Progress p(6, false);
  p.started("a", 1);
  p.started("a", 10);  // probes of a's first repetition
  p.started("a", 100);
  p.started("b", 1);
  p.started("b", 50);
  p.started("a", 100);  // a's second repetition, with the count it settled on
  p.started("a", 100);  // and its third, right after
  p.started("b", 50);
  EXPECT_EQ(p.done(), 5u);
}

}  // namespace
}  // namespace fpubench
