#include "host/app/counter_listing.h"

#include <sstream>
#include <stdexcept>

#include "bench/counters.h"
#include "bench/perf_event.h"

namespace fpubench {

std::string list_counters(const EventResolver& resolver, const std::string& list) {
  std::ostringstream out;
  out << "PMUs libpfm4 detects:\n";
  for (const std::string& p : resolver.detected_pmus()) out << "  " << p << "\n";
  out << "hardware PMU in the kernel: "
      << (has_hardware_pmu() ? "yes" : "no (/sys/bus/event_source/devices has no cpu PMU)") << "\n";
  out << "tracefs: " << resolver.tracefs().events_dir().value_or("not mounted") << "\n";
  out << "events (" << list << "):\n";
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::vector<std::string> names = resolver.set_members(item);
    if (names.empty()) names.push_back(item);
    for (const std::string& name : names) {
      std::string why;
      std::string encoding;
      try {
        ResolvedEvent ev = resolver.resolve(name);
        encoding = ev.encoding;
        why = probe_open(ev);
      } catch (const std::invalid_argument& e) {
        why = e.what();
      }
      if (why.empty())
        out << "  ok      " << name << "  [" << encoding << "]\n";
      else
        out << "  cannot  " << name << ": " << why << "\n";
    }
  }
  return out.str();
}

}  // namespace fpubench
