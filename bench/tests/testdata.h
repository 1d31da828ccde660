// Where the recorded inputs live, and a loader for the CPUID dumps named after the CPU.
#pragma once

#include <string>

#include "bench/cpuid_source.h"

namespace fpubench::testing {

inline std::string testdata(const std::string& relative) {
  return std::string(FPUBENCH_TESTDATA) + "/" + relative;
}

inline RecordedCpuid recorded_cpu(const std::string& name) {
  return RecordedCpuid::load(testdata("cpuid/" + name + ".txt"));
}

}  // namespace fpubench::testing
