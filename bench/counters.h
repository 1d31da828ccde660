// Counting for benchmarks: which events a --counters list asks for (named sets expanded, and what
// cannot be counted here dropped or refused), and counting them on every thread that does a
// benchmark's work.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "bench/event_names.h"
#include "bench/perf_event.h"

namespace fpubench {

struct DroppedEvent {
  std::string name;
  std::string why;  // the full sentence
};

struct CounterPlan {
  std::vector<ResolvedEvent> events;
  std::vector<DroppedEvent> dropped;  // named-set members that cannot be counted here
};

// One line for all dropped events: "not counting a, b (reason); c (other reason)".
std::string dropped_summary(const std::vector<DroppedEvent>& dropped);

// Returns "" when `event` can be opened on this thread, otherwise why not.
using OpenProbe = std::function<std::string(const ResolvedEvent&)>;
std::string probe_open(const ResolvedEvent& event);

// "fpu,cycles,x86_fpu:x86_fpu_dropped": set names expand to their members; a member that cannot
// be resolved or opened is dropped (listed in `dropped`); an explicitly named event that cannot is
// an error (std::invalid_argument with the reason). Duplicates are counted once.
CounterPlan plan_counters(const std::string& list, const EventResolver& resolver,
                          const OpenProbe& probe = probe_open);

struct CounterReading {
  std::string name;
  double total = 0;             // summed over threads, scaled for multiplexing
  double running_fraction = 1;  // the smallest over threads; 1.0 means exact
};

// Every planned event on every thread in `tids`, counted between start() and stop().
class ThreadCounters {
 public:
  ThreadCounters(const std::vector<ResolvedEvent>& events, const std::vector<pid_t>& tids);
  void start();
  void stop();
  std::vector<CounterReading> read() const;
  size_t threads() const { return tids_; }

 private:
  const std::vector<ResolvedEvent>& events_;
  size_t tids_;
  std::vector<PerfEvent> fds_;  // event-major: fds_[e * tids + t]
};

}  // namespace fpubench
