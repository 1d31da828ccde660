// probe counters: what libpfm4 detects, whether a hardware PMU exists, and for each requested
// event whether it can be counted here and, if not, why.
#pragma once

#include <string>

#include "bench/event_names.h"

namespace fpubench {

std::string list_counters(const EventResolver& resolver, const std::string& list);

}  // namespace fpubench
