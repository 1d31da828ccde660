#include "bench/placement.h"

#include <gtest/gtest.h>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

Topology load(const char* name) {
  return Topology::from_xml_file(testing::testdata(std::string("topology/") + name));
}

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

std::vector<std::string> names(const Placements& p) {
  std::vector<std::string> out;
  for (const Placement& pl : p.available) out.push_back(pl.name);
  return out;
}
using Names = std::vector<std::string>;

TEST(Placements, TwoSocketSmtMachine) {
  Topology t = load("two-socket-smt.xml");  // synthetic: 2 packages x 4 cores x 2 PUs, an L3 each
  Placements p = resolve_placements(t);
  EXPECT_EQ(names(p), (Names{"same-pu", "smt", "shared-l3", "cross-package"}));
  EXPECT_TRUE(find(p, "same-pu")->same_pu());
  EXPECT_EQ(t.location_of(find(p, "smt")->first), "package:0.core:0.pu:0");
  EXPECT_EQ(t.location_of(find(p, "smt")->second), "package:0.core:0.pu:1");
  EXPECT_EQ(t.location_of(find(p, "shared-l3")->second), "package:0.core:1.pu:0");
  EXPECT_EQ(t.location_of(find(p, "cross-package")->second), "package:1.core:0.pu:0");
  EXPECT_EQ(why(p, "cross-numa"), "no package spans two NUMA nodes");
}

TEST(Placements, TwoCoresSharingAnL3) {
  Placements p = resolve_placements(load("this-machine-2pu.xml"));  // recorded: the Intel AMX VM
  EXPECT_EQ(names(p), (Names{"same-pu", "shared-l3"}));
  EXPECT_EQ(why(p, "smt"), "no core has two PUs (SMT is off or absent)");
  EXPECT_EQ(why(p, "cross-package"), "only one package");
}

TEST(Placements, TwoCoresSharingNoCacheAreCrossLlc) {
  // Recorded: the AMD family 0x1a VM whose two cores each have their own L3.
  Topology t = load("zen5-vm-no-rdtscp.xml");
  Placements p = resolve_placements(t);
  EXPECT_EQ(names(p), (Names{"same-pu", "cross-llc"}));
  EXPECT_EQ(t.location_of(find(p, "cross-llc")->second), "package:0.core:1.pu:0");
  EXPECT_EQ(why(p, "shared-l3"), "no two cores have an L3 as their closest shared cache");
}

TEST(Placements, EpycWithTwoCcdsAndSmt) {
  // Synthetic: one package, two dies with an L3 each, 4 cores per die, SMT.
  Topology t = load("epyc-2ccd-smt.xml");
  Placements p = resolve_placements(t);
  EXPECT_EQ(names(p), (Names{"same-pu", "smt", "shared-l3", "cross-llc"}));
  EXPECT_EQ(t.location_of(find(p, "cross-llc")->second), "package:0.core:4.pu:0");
}

TEST(Placements, ClientCoreClustersShareAnL2) {
  // Synthetic: two clusters of four cores, an L2 per cluster, one L3.
  Topology t = load("client-l2-cluster.xml");
  Placements p = resolve_placements(t);
  EXPECT_EQ(names(p), (Names{"same-pu", "shared-l2", "shared-l3"}));
  EXPECT_EQ(t.location_of(find(p, "shared-l2")->second), "package:0.core:1.pu:0");
  EXPECT_EQ(t.location_of(find(p, "shared-l3")->second), "package:0.core:4.pu:0");
}

TEST(Placements, PackagesSplitInNumaNodes) {
  // Synthetic: 2 packages x 2 NUMA nodes x 2 L3s x 2 cores x 2 PUs (EPYC NPS2).
  Topology t = load("epyc-2socket-nps2-smt.xml");
  Placements p = resolve_placements(t);
  EXPECT_EQ(names(p), (Names{"same-pu", "smt", "shared-l3", "cross-llc", "cross-numa", "cross-package"}));
  EXPECT_EQ(why(p, "shared-l2"), "no two cores share an L2 (no core clusters)");
}

TEST(Placements, EveryPairOfPusHasExactlyOneClass) {
  Topology t = load("epyc-2socket-nps2-smt.xml");
  EXPECT_EQ(classify_pair(t, t.pu(0), t.pu(0)), PlacementClass::kSamePu);
  EXPECT_EQ(classify_pair(t, t.pu(0), t.pu(1)), PlacementClass::kSmt);
  EXPECT_EQ(classify_pair(t, t.pu(0), t.pu(2)), PlacementClass::kSharedL3);
  EXPECT_EQ(classify_pair(t, t.pu(0), t.pu(4)), PlacementClass::kCrossLlc);
  EXPECT_EQ(classify_pair(t, t.pu(0), t.pu(8)), PlacementClass::kCrossNuma);
  EXPECT_EQ(classify_pair(t, t.pu(0), t.pu(16)), PlacementClass::kCrossPackage);
  EXPECT_EQ(classify_pair(t, t.pu(16), t.pu(0)), PlacementClass::kCrossPackage);  // symmetric
}

TEST(Placements, PinOverrideResolvesLocations) {
  Topology t = load("two-socket-smt.xml");
  Placement p = pinned_placement(t, "package:1.core:3.pu:1,pu:0");
  EXPECT_EQ(p.name, "pinned");
  EXPECT_EQ(p.first->logical_index, 15u);
  EXPECT_EQ(p.second->logical_index, 0u);
  EXPECT_THROW(pinned_placement(t, "pu:0"), std::invalid_argument);
  EXPECT_THROW(pinned_placement(t, ","), std::invalid_argument);  // not pu:0,pu:0
  EXPECT_THROW(pinned_placement(t, "pu:1,"), std::invalid_argument);
  EXPECT_THROW(pinned_placement(t, "pu:0,pu:99"), std::invalid_argument);
}

}  // namespace
}  // namespace fpubench
