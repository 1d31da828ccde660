// Benchmarks that could not be registered on this machine, each with a one-line reason. Printed
// on stderr and recorded in the result context, never dropped silently.
#pragma once

#include <string>
#include <vector>

namespace fpubench {

struct Skipped {
  std::string what;  // a benchmark name or a name pattern like "xsave/*/amx/*"
  std::string why;
};

using SkipList = std::vector<Skipped>;

}  // namespace fpubench
