#include "placement.h"

#include <gtest/gtest.h>

#include "testdata.h"

namespace fpubench {
namespace {

Topology load(const char* name) { return Topology::from_xml_file(testing::testdata(std::string("topology/") + name)); }

const Placement* find(const Placements& p, const std::string& name) {
  for (const Placement& pl : p.available)
    if (pl.name == name) return &pl;
  return nullptr;
}
std::string why(const Placements& p, const std::string& name) {
  for (const UnavailablePlacement& u : p.unavailable)
    if (u.name == name) return u.why;
  return "";
}

TEST(Placements, TwoSocketSmtMachineHasEveryPlacement) {
  Topology t = load("two-socket-smt.xml");
  Placements p = resolve_placements(t);
  EXPECT_TRUE(p.unavailable.empty());
  ASSERT_EQ(p.available.size(), 5u);
  EXPECT_TRUE(find(p, "same-pu")->same_pu());
  EXPECT_EQ(t.location_of(find(p, "smt")->first), "package:0.core:0.pu:0");
  EXPECT_EQ(t.location_of(find(p, "smt")->second), "package:0.core:0.pu:1");
  EXPECT_EQ(t.location_of(find(p, "cross-core")->second), "package:0.core:1.pu:0");
  EXPECT_EQ(t.location_of(find(p, "cross-package")->second), "package:1.core:0.pu:0");
  EXPECT_EQ(t.location_of(find(p, "cross-numa")->second), "package:1.core:0.pu:0");
}

TEST(Placements, ThisMachineShapeSkipsWithReasons) {
  Placements p = resolve_placements(load("this-machine-2pu.xml"));
  EXPECT_TRUE(find(p, "same-pu"));
  EXPECT_TRUE(find(p, "cross-core"));  // the two cores share the L3
  EXPECT_EQ(why(p, "smt"), "no core has two PUs (SMT is off or absent)");
  EXPECT_EQ(why(p, "cross-package"), "only one package");
  EXPECT_EQ(why(p, "cross-numa"), "only one NUMA node");
}

TEST(Placements, PinOverrideResolvesLocations) {
  Topology t = load("two-socket-smt.xml");
  Placement p = pinned_placement(t, "package:1.core:3.pu:1,pu:0");
  EXPECT_EQ(p.name, "pinned");
  EXPECT_EQ(p.first->logical_index, 15u);
  EXPECT_EQ(p.second->logical_index, 0u);
  EXPECT_THROW(pinned_placement(t, "pu:0"), std::invalid_argument);
  EXPECT_THROW(pinned_placement(t, "pu:0,pu:99"), std::invalid_argument);
}

}  // namespace
}  // namespace fpubench
