#include "host/app/probes.h"

#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "bench/counters.h"
#include "bench/event_names.h"
#include "bench/perf_event.h"
#include "bench/placement.h"

namespace fpubench {
namespace {

template <typename... Args>
std::string format(const char* fmt, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

// probe counters: what libpfm4 detects, whether a hardware PMU exists, and for each requested
// event whether it can be counted here and, if not, why.
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

}  // namespace

std::string describe_layout(const XstateLayout& x) {
  std::string out;
  out += format("xsave: %s  xcr0=0x%llx (%s)\n", x.xsave ? "enabled" : "not enabled",
                static_cast<unsigned long long>(x.xcr0), describe_components(x.xcr0).c_str());
  out += format("instructions: XSAVEOPT=%d XSAVEC=%d XSAVES=%d XGETBV1=%d XFD=%d\n", x.xsaveopt, x.xsavec,
                x.xsaves, x.xgetbv1, x.xfd);
  out += format("IA32_XSS could enable: %s\n", describe_components(x.supported_xss).c_str());
  out += format("standard size %u (CPUID %u), compacted size %u (CPUID, with XSS: %u)\n",
                x.standard_size(x.xcr0), x.cpuid_standard_size, x.compacted_size(x.xcr0),
                x.cpuid_compacted_size);
  out += format("%-10s %4s %6s %9s %6s %s\n", "component", "id", "size", "std.off", "cmp.off", "flags");
  for (const XstateComponent& c : x.components) {
    uint64_t xcomp = c.supervisor ? (x.xcr0 | x.supported_xss) : x.xcr0;
    out += format("%-10s %4u %6u %9u %6u %s%s%s\n", component_name(c.id).c_str(), c.id, c.size, c.offset,
                  x.compacted_offset(c.id, xcomp), c.supervisor ? "supervisor " : "",
                  c.align64 ? "align64 " : "", c.xfd ? "xfd" : "");
  }
  return out;
}

std::string describe_placements(const Topology& topology) {
  Placements p = resolve_placements(topology);
  std::string out;
  for (const Placement& pl : p.available)
    out += pl.name + " " + topology.location_of(pl.first) + " " + topology.location_of(pl.second) + "\n";
  for (const UnavailablePlacement& u : p.unavailable) out += u.name + " unavailable: " + u.why + "\n";
  return out;
}

std::string describe_counters(const std::string& counters) {
  EventResolver resolver;
  return list_counters(resolver, counters.empty() ? "fpu,core" : counters);
}

}  // namespace fpubench
