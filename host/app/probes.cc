#include "host/app/probes.h"

#include <cstdio>

#include "bench/event_names.h"
#include "bench/placement.h"
#include "host/app/counter_listing.h"

namespace fpubench {
namespace {

template <typename... Args>
std::string format(const char* fmt, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
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
