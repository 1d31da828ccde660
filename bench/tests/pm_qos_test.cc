#include "bench/pm_qos.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>

namespace fpubench {
namespace {

TEST(PmQosHold, WritesTheLatencyAsOneBinary32BitValueAndSaysItHoldsIt) {
  char path[] = "/tmp/fpubench-pmqos-test-XXXXXX";  // a file standing in for the device
  close(mkstemp(path));
  {
    PmQosHold hold(path, 0);
    EXPECT_TRUE(hold.held());
    EXPECT_EQ(hold.state(), "held at 0 us");
  }
  std::ifstream f(path, std::ios::binary);
  int32_t value = -1;
  f.read(reinterpret_cast<char*>(&value), sizeof value);
  EXPECT_EQ(f.gcount(), 4);
  EXPECT_EQ(value, 0);
  std::remove(path);
}

TEST(PmQosHold, AMissingDeviceIsRecordedAsNotPresentNotAnError) {
  PmQosHold hold("/nonexistent/cpu_dma_latency", 0);
  EXPECT_FALSE(hold.held());
  EXPECT_EQ(hold.state(), "not present (/nonexistent/cpu_dma_latency)");
}

TEST(PmQosHold, OffSaysTheUserTurnedItOff) {
  EXPECT_EQ(PmQosHold::off().state(), "off (--no-pm-qos)");
  EXPECT_FALSE(PmQosHold::off().held());
}

}  // namespace
}  // namespace fpubench
