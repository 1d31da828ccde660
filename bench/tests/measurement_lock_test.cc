#include "bench/measurement_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace fpubench {
namespace {

std::string temp_lock() {
  char path[] = "/tmp/fpubench-lock-test-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  return path;
}

TEST(MeasurementLock, ASecondMeasurementThatMustNotWaitIsRefusedWithTheHoldersName) {
  std::string path = temp_lock();
  MeasurementLock first(path, MeasurementLock::Mode::kWait, "fpubench benchmarks", [](const std::string&) {});
  EXPECT_TRUE(first.acquired_at_once());
  try {
    MeasurementLock second(path, MeasurementLock::Mode::kRefuse, "fpubench torture",
                           [](const std::string&) {});
    FAIL() << "the second lock was taken while the first was held";
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("pid " + std::to_string(getpid()) + ", fpubench benchmarks"), std::string::npos)
        << what;
    EXPECT_NE(what.find("--no-wait"), std::string::npos) << what;
  }
  std::remove(path.c_str());
}

TEST(MeasurementLock, ASecondMeasurementWaitsSaysForWhomAndRunsOnceTheFirstEnds) {
  std::string path = temp_lock();
  auto first = std::make_unique<MeasurementLock>(path, MeasurementLock::Mode::kWait, "fpubench benchmarks",
                                                 [](const std::string&) {});
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    first.reset();
  });
  std::string waited_for;
  MeasurementLock second(path, MeasurementLock::Mode::kWait, "fpubench torture",
                         [&](const std::string& holder) { waited_for = holder; });
  release.join();
  EXPECT_FALSE(second.acquired_at_once());
  EXPECT_NE(waited_for.find("fpubench benchmarks"), std::string::npos) << waited_for;
  std::ifstream f(path);
  std::string now((std::istreambuf_iterator<char>(f)), {});
  EXPECT_NE(now.find("fpubench torture"), std::string::npos) << "the file names the new holder: " << now;
  std::remove(path.c_str());
}

TEST(MeasurementLock, AFolderThatCannotHoldTheLockIsOneLineNamingFpubenchLock) {
  try {
    MeasurementLock lock("/nonexistent-folder/fpubench.lock", MeasurementLock::Mode::kWait, "x",
                         [](const std::string&) {});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("FPUBENCH_LOCK"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fpubench
