// Event names to perf_event_attr: libpfm4 encodes everything it knows (generic perf::* events,
// PMU-specific events with modifiers); Linux tracepoints ("subsystem:event"), which libpfm4 does
// not encode, are resolved from tracefs ids here. Also the named sets "fpu" and "core".
#pragma once

#include <linux/perf_event.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "bench/tracefs.h"

namespace fpubench {

enum class EventKind { kHardware, kSoftware, kTracepoint, kOther };

struct ResolvedEvent {
  std::string name;      // as the user wrote it, or the set's name for it
  std::string encoding;  // libpfm4's canonical string, or "tracepoint id N"
  perf_event_attr attr{};
  EventKind kind = EventKind::kOther;
};

class EventResolver {
 public:
  // Initializes libpfm4; throws std::runtime_error if it cannot.
  explicit EventResolver(Tracefs tracefs = Tracefs());

  // Throws std::invalid_argument: "unknown event 'X' (...); close matches: a, b, c".
  ResolvedEvent resolve(const std::string& name) const;
  // The members of a named set ("fpu", "core"), empty for any other name. Tracepoints of the
  // fpu set are listed from tracefs, so the set follows the running kernel.
  std::vector<std::string> set_members(const std::string& set) const;
  // PMUs libpfm4 detects on this machine, "name (description)".
  std::vector<std::string> detected_pmus() const;
  const Tracefs& tracefs() const { return tracefs_; }

 private:
  std::vector<std::string> close_matches(const std::string& name) const;
  Tracefs tracefs_;
};

// Levenshtein distance, case-insensitive; for "did you mean".
size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace fpubench
