#include "bench/event_names.h"

#include <perfmon/pfmlib_perf_event.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace fpubench {
namespace {

EventKind kind_of(uint32_t type) {
  switch (type) {
    case PERF_TYPE_HARDWARE:
    case PERF_TYPE_HW_CACHE:
    case PERF_TYPE_RAW: return EventKind::kHardware;
    case PERF_TYPE_SOFTWARE: return EventKind::kSoftware;
    case PERF_TYPE_TRACEPOINT: return EventKind::kTracepoint;
    default: return EventKind::kOther;  // a dynamic PMU type: a hardware PMU too, in practice
  }
}

bool looks_like_tracepoint(const std::string& name) {
  auto colon = name.find(':');
  return colon != std::string::npos && colon > 0 && name.find(':', colon + 1) == std::string::npos;
}

}  // namespace

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      bool same = std::tolower(a[i - 1]) == std::tolower(b[j - 1]);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

EventResolver::EventResolver(Tracefs tracefs) : tracefs_(std::move(tracefs)) {
  int rc = pfm_initialize();
  if (rc != PFM_SUCCESS)
    throw std::runtime_error(std::string("libpfm4 cannot initialize: ") + pfm_strerror(rc));
}

ResolvedEvent EventResolver::resolve(const std::string& name) const {
  ResolvedEvent ev;
  ev.name = name;
  pfm_perf_encode_arg_t arg;
  std::memset(&arg, 0, sizeof arg);
  arg.attr = &ev.attr;
  arg.size = sizeof arg;
  char* fstr = nullptr;
  arg.fstr = &fstr;
  int rc = pfm_get_os_event_encoding(name.c_str(), PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
  if (rc == PFM_SUCCESS) {
    ev.encoding = fstr ? fstr : name;
    std::free(fstr);
    ev.kind = kind_of(ev.attr.type);
    return ev;
  }
  std::string pfm_says = pfm_strerror(rc);
  if (looks_like_tracepoint(name)) {
    if (std::string why = tracefs_.mount_if_possible(); !why.empty())
      throw std::invalid_argument("cannot resolve tracepoint '" + name + "': " + why);
    auto colon = name.find(':');
    if (auto id = tracefs_.tracepoint_id(name.substr(0, colon), name.substr(colon + 1))) {
      ev.attr = perf_event_attr{};
      ev.attr.size = sizeof ev.attr;
      ev.attr.type = PERF_TYPE_TRACEPOINT;
      ev.attr.config = *id;
      ev.encoding = "tracepoint id " + std::to_string(*id);
      ev.kind = EventKind::kTracepoint;
      return ev;
    }
  }
  std::string msg = "unknown event '" + name + "' (libpfm4: " + pfm_says + "; not a tracepoint in tracefs)";
  auto close = close_matches(name);
  if (!close.empty()) {
    msg += "; close matches:";
    for (size_t i = 0; i < close.size(); ++i) msg += (i ? ", " : " ") + close[i];
  }
  throw std::invalid_argument(msg);
}

std::vector<std::string> EventResolver::set_members(const std::string& set) const {
  if (set == "core") return {"cycles", "instructions", "branch-misses", "cache-misses"};
  if (set != "fpu") return {};
  std::vector<std::string> out;
  for (const std::string& e : tracefs_.events("x86_fpu")) out.push_back("x86_fpu:" + e);
  if (out.empty()) out.push_back("x86_fpu:x86_fpu_regs_activated");  // resolving says why not
  out.insert(out.end(),
             {"kvm:kvm_fpu", "kvm:kvm_userspace_exit", "perf::CONTEXT-SWITCHES", "perf::CPU-MIGRATIONS"});
  return out;
}

std::vector<std::string> EventResolver::detected_pmus() const {
  std::vector<std::string> out;
  pfm_pmu_info_t info;
  for (int p = 0; p < PFM_PMU_MAX; ++p) {
    std::memset(&info, 0, sizeof info);
    info.size = sizeof info;
    if (pfm_get_pmu_info(pfm_pmu_t(p), &info) == PFM_SUCCESS && info.is_present)
      out.push_back(std::string(info.name) + " (" + info.desc + ")");
  }
  return out;
}

std::vector<std::string> EventResolver::close_matches(const std::string& name) const {
  std::vector<std::pair<size_t, std::string>> scored;
  // Scored against the full name and, for "pmu::event", the event alone ("cycls" ~ perf::CYCLES).
  auto consider = [&](const std::string& candidate) {
    size_t d = edit_distance(name, candidate);
    if (auto sep = candidate.find("::"); sep != std::string::npos && name.find("::") == std::string::npos)
      d = std::min(d, edit_distance(name, candidate.substr(sep + 2)));
    scored.emplace_back(d, candidate);
  };
  pfm_pmu_info_t pinfo;
  pfm_event_info_t einfo;
  for (int p = 0; p < PFM_PMU_MAX; ++p) {
    std::memset(&pinfo, 0, sizeof pinfo);
    pinfo.size = sizeof pinfo;
    if (pfm_get_pmu_info(pfm_pmu_t(p), &pinfo) != PFM_SUCCESS || !pinfo.is_present) continue;
    for (int i = pinfo.first_event; i != -1; i = pfm_get_event_next(i)) {
      std::memset(&einfo, 0, sizeof einfo);
      einfo.size = sizeof einfo;
      if (pfm_get_event_info(i, PFM_OS_PERF_EVENT_EXT, &einfo) == PFM_SUCCESS)
        consider(std::string(pinfo.name) + "::" + einfo.name);
    }
  }
  for (const std::string& sub : tracefs_.subsystems())
    for (const std::string& ev : tracefs_.events(sub)) consider(sub + ":" + ev);
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  size_t limit = std::max<size_t>(3, name.size() / 3);
  for (const auto& [d, candidate] : scored) {
    if (d > limit || out.size() == 3) break;
    out.push_back(candidate);
  }
  return out;
}

}  // namespace fpubench
