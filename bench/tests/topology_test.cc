#include "bench/topology.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "bench/tests/testdata.h"

namespace fpubench {
namespace {

using testing::testdata;

TEST(Topology, TwoSocketSmtSummaryAndNames) {
  Topology t = Topology::from_xml_file(testdata("topology/two-socket-smt.xml"));
  EXPECT_EQ(t.summary(), "2 packages, 8 cores, 16 PUs, 2 NUMA nodes, SMT on");
  EXPECT_EQ(t.pu_count(), 16u);
  EXPECT_EQ(t.location_of(t.pu(0)), "package:0.core:0.pu:0");
  EXPECT_EQ(t.location_of(t.pu(1)), "package:0.core:0.pu:1");
  EXPECT_EQ(t.location_of(t.pu(9)), "package:1.core:0.pu:1");
}

TEST(Topology, ResolvesHwlocLocations) {
  Topology t = Topology::from_xml_file(testdata("topology/two-socket-smt.xml"));
  EXPECT_EQ(t.resolve("pu:5")->logical_index, 5u);
  EXPECT_EQ(t.resolve("core:1")->logical_index, 2u);  // first PU of the second core
  EXPECT_EQ(t.resolve("package:1")->logical_index, 8u);
  EXPECT_EQ(t.resolve("package:1.core:2.pu:1")->logical_index, 13u);
  EXPECT_EQ(t.resolve("numa:1")->logical_index, 8u);
}

TEST(Topology, LocationNamesParseBack) {
  Topology t = Topology::from_xml_file(testdata("topology/two-socket-smt.xml"));
  for (unsigned i = 0; i < t.pu_count(); ++i)
    EXPECT_EQ(t.resolve(t.location_of(t.pu(i))), t.pu(i)) << t.location_of(t.pu(i));
}

TEST(Topology, BadLocationsSayWhy) {
  Topology t = Topology::from_xml_file(testdata("topology/one-socket-nosmt.xml"));
  EXPECT_EQ(t.summary(), "1 package, 4 cores, 4 PUs, 1 NUMA node, SMT off");
  for (const char* bad : {"pu:9", "core:0.pu:1", "gizmo:1", "pu", "pu:x"}) {
    try {
      t.resolve(bad);
      ADD_FAILURE() << bad << " resolved";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(Topology, LoadsFromXmlText) {
  std::ifstream f(testdata("topology/this-machine-2pu.xml"));
  std::stringstream ss;
  ss << f.rdbuf();
  Topology t = Topology::from_xml_text(ss.str());
  EXPECT_EQ(t.pu_count(), 2u);
  EXPECT_THROW(t.bind_thread(t.pu(0)), std::logic_error);  // not this system
}

TEST(Topology, MissingXmlIsAClearError) {
  EXPECT_THROW(Topology::from_xml_file("/nonexistent.xml"), std::runtime_error);
}

TEST(Topology, BindsThisThreadStrictly) {
  Topology t = Topology::load();
  hwloc_obj_t last = t.pu(t.pu_count() - 1);
  t.bind_thread(last);
  EXPECT_EQ(t.current_pu(), last);
  t.bind_thread(t.pu(0));
  EXPECT_EQ(t.current_pu(), t.pu(0));
}

}  // namespace
}  // namespace fpubench
