#include "bench/environment.h"

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "bench/text_file.h"

namespace fpubench {
namespace {

constexpr const char* kUnavailable = "unavailable";

std::string read_text(const std::string& path) {
  std::string s = read_whole_file(path).value_or(kUnavailable);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') names.push_back(e->d_name);
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The first "key : value" line of /proc/cpuinfo for `key`.
std::string cpuinfo_field(const std::string& cpuinfo_path, const std::string& key) {
  std::ifstream f(cpuinfo_path);
  std::string line;
  while (std::getline(f, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = line.substr(0, colon);
    k.erase(k.find_last_not_of(" \t") + 1);
    if (k != key) continue;
    std::string v = line.substr(colon + 1);
    v.erase(0, v.find_first_not_of(" \t"));
    return v;
  }
  return kUnavailable;
}

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

// Turbo/boost is spelled differently per driver: acpi-cpufreq and amd-pstate have cpufreq/boost,
// intel_pstate has the inverse, no_turbo.
std::string boost_state(const std::string& sys) {
  std::string boost = read_text(sys + "/devices/system/cpu/cpufreq/boost");
  if (boost != kUnavailable) return boost == "1" ? "on" : "off";
  std::string no_turbo = read_text(sys + "/devices/system/cpu/intel_pstate/no_turbo");
  if (no_turbo != kUnavailable) return no_turbo == "0" ? "on" : "off";
  return kUnavailable;
}

std::string xsave_features(const XstateLayout& x) {
  std::string out;
  auto add = [&](bool has, const char* name) {
    if (has) out += std::string(out.empty() ? "" : " ") + name;
  };
  add(x.xsave, "XSAVE");
  add(x.xsaveopt, "XSAVEOPT");
  add(x.xsavec, "XSAVEC");
  add(x.xsaves, "XSAVES");
  add(x.xgetbv1, "XGETBV1");
  add(x.xfd, "XFD");
  return out.empty() ? "none" : out;
}

}  // namespace

Context collect_environment(const EnvironmentSources& s) {
  std::string root = s.root == "/" ? "" : s.root;
  std::string proc = root + "/proc", sys = root + "/sys";
  Context c;
  auto add = [&](std::string k, std::string v) { c.emplace_back(std::move(k), std::move(v)); };

  add("kernel_release", read_text(proc + "/sys/kernel/osrelease"));
  add("kernel_version", read_text(proc + "/sys/kernel/version"));
  add("kernel_cmdline", read_text(proc + "/cmdline"));

  CpuIdentity id = identify_cpu(*s.cpu);
  add("cpu_vendor", id.vendor);
  add("cpu_brand", id.brand.empty() ? kUnavailable : id.brand);
  add("cpu_family", hex(id.family));
  add("cpu_model", hex(id.model));
  add("cpu_stepping", std::to_string(id.stepping));
  add("cpu_microcode", cpuinfo_field(proc + "/cpuinfo", "microcode"));
  add("hypervisor", id.hypervisor.empty() ? "none" : id.hypervisor);

  const XstateLayout& x = *s.xstate;
  add("xcr0", hex(x.xcr0));
  add("xcr0_components", describe_components(x.xcr0));
  add("xss_supported_components", describe_components(x.supported_xss));
  add("xsave_features", xsave_features(x));
  KernelXsaveInsns kernel = kernel_xsave_insns(x);
  add("kernel_xsave_insn", kernel.save);
  add("kernel_xrstor_insn", kernel.restore);
  add("xsave_standard_bytes", std::to_string(x.standard_size(x.xcr0)));
  add("xsave_compacted_bytes", std::to_string(x.xsave ? x.compacted_size(x.xcr0 & ~uint64_t{3}) : 0));

  if (s.tsc) {
    char hz[32];
    std::snprintf(hz, sizeof hz, "%.0f", s.tsc->hz);
    add("tsc_hz", hz);
    add("tsc_source", s.tsc->source);
    add("tsc_invariant", s.tsc->invariant ? "yes" : "no");
    add("tsc_overhead_ticks", std::to_string(s.tsc->overhead_ticks));
    add("tsc_read", tsc_read_name(s.tsc->read));
  }

  for (const std::string& name : list_dir(sys + "/devices/system/cpu/vulnerabilities"))
    add("vulnerability." + name, read_text(sys + "/devices/system/cpu/vulnerabilities/" + name));
  add("cpufreq_governor", read_text(sys + "/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
  add("cpu_boost", boost_state(sys));
  add("smt_control", read_text(sys + "/devices/system/cpu/smt/control"));
  add("smt_active", read_text(sys + "/devices/system/cpu/smt/active"));
  add("perf_event_paranoid", read_text(proc + "/sys/kernel/perf_event_paranoid"));
  if (s.topology) add("topology", s.topology->summary());
  return c;
}

}  // namespace fpubench
