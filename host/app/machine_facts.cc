#include "host/app/machine_facts.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "bench/perf_event.h"
#include "bench/text_file.h"
#include "bench/tracefs.h"
#include "bench/xstate_permission.h"
#include "host/kvm/kvm_system.h"

namespace fpubench {
namespace {

std::string read_file(const std::string& path) {
  if (auto text = read_whole_file(path)) return *text;
  throw std::runtime_error("cannot read '" + path + "'");
}

std::string trim(const std::string& s) {
  auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// "ok"/"yes" is available (""), anything else the reason it is not.
std::string reason(const std::string& value) { return value == "ok" || value == "yes" ? "" : value; }

// cpuid and topology name the profile's inputs when they live elsewhere in the corpus.
const std::set<std::string> kKeys = {"amx",         "kvm",          "guest_avx",  "guest_avx512",
                                     "guest_xsave", "guest_xsaves", "guest_xcr0", "hardware_counters",
                                     "tracepoints", "cpuid",        "topology"};

std::map<std::string, std::string> parse_lines(const std::string& text) {
  std::map<std::string, std::string> kv;
  std::istringstream in(text);
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    if (trim(line).empty()) continue;
    auto colon = line.find(':');
    std::string key = colon == std::string::npos ? "" : trim(line.substr(0, colon));
    if (!kKeys.count(key))
      throw std::runtime_error("facts line " + std::to_string(lineno) +
                               " is not 'key: value' with a known key (" +
                               "amx, kvm, guest_avx, guest_avx512, guest_xsave, guest_xsaves, guest_xcr0, " +
                               "hardware_counters, tracepoints, cpuid, topology): '" + line + "'");
    kv[key] = trim(line.substr(colon + 1));
  }
  return kv;
}

}  // namespace

MachineFacts live_facts(const XstateLayout& layout) {
  MachineFacts f;
  uint64_t amx = kAmxComponents;
  f.amx_unavailable = layout.enables(amx) ? request_xstate_permission(amx) : "XCR0 does not enable AMX";
  if (const KvmSystem* kvm = KvmSystem::get(&f.kvm_unavailable)) f.guest = guest_abilities(*kvm);
  if (!has_hardware_pmu())
    f.hardware_counters_unavailable = "no hardware PMU (/sys/bus/event_source/devices has no CPU PMU)";
  f.tracepoints_unavailable = Tracefs().why_unusable();
  return f;
}

MachineFacts parse_facts(const std::string& text) {
  std::map<std::string, std::string> kv = parse_lines(text);
  for (const char* required : {"amx", "kvm", "hardware_counters", "tracepoints"})
    if (!kv.count(required)) throw std::runtime_error(std::string("facts have no '") + required + ":' line");
  MachineFacts f;
  f.amx_unavailable = reason(kv["amx"]);
  f.kvm_unavailable = reason(kv["kvm"]);
  f.hardware_counters_unavailable = reason(kv["hardware_counters"]);
  f.tracepoints_unavailable = reason(kv["tracepoints"]);
  if (f.kvm_unavailable.empty()) {
    for (const char* k : {"guest_avx", "guest_avx512", "guest_xsave", "guest_xsaves", "guest_xcr0"})
      if (!kv.count(k))
        throw std::runtime_error(std::string("facts say KVM can be used but have no '") + k + ":' line");
    f.guest.avx_unavailable = reason(kv["guest_avx"]);
    f.guest.avx512_unavailable = reason(kv["guest_avx512"]);
    f.guest.xsave_unavailable = reason(kv["guest_xsave"]);
    f.guest.xsaves = kv["guest_xsaves"] == "yes";
    f.guest.xcr0 = std::stoull(kv["guest_xcr0"], nullptr, 0);
  }
  return f;
}

std::string format_facts(const MachineFacts& f) {
  auto value = [](const std::string& why) { return why.empty() ? std::string("ok") : why; };
  std::string out = "amx: " + value(f.amx_unavailable) + "\nkvm: " + value(f.kvm_unavailable) + "\n";
  if (f.kvm_unavailable.empty()) {
    char xcr0[32];
    std::snprintf(xcr0, sizeof xcr0, "0x%llx", static_cast<unsigned long long>(f.guest.xcr0));
    out += "guest_avx: " + value(f.guest.avx_unavailable) +
           "\nguest_avx512: " + value(f.guest.avx512_unavailable) +
           "\nguest_xsave: " + value(f.guest.xsave_unavailable) +
           "\nguest_xsaves: " + (f.guest.xsaves ? "yes" : "no") + "\nguest_xcr0: " + xcr0 + "\n";
  }
  return out + "hardware_counters: " + value(f.hardware_counters_unavailable) +
         "\ntracepoints: " + value(f.tracepoints_unavailable) + "\n";
}

void record_profile(const std::string& dir, const CpuidSource& cpu, const Topology& topology,
                    const MachineFacts& facts) {
  // A new folder, as the help says: one that exists already is refused, empty or not, so a profile
  // never mixes with other files.
  if (mkdir(dir.c_str(), 0755) != 0)
    throw std::invalid_argument(
        "cannot create the profile folder '" + dir + "': " + std::strerror(errno) +
        (errno == EEXIST ? " (fpubench writes a profile into a new folder only: name one that does not exist)"
                         : ""));
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream f(dir + "/" + name);
    f << text;
    if (!f.flush()) throw std::runtime_error("cannot write '" + dir + "/" + name + "'");
  };
  write("cpuid.txt", dump_cpuid(cpu));
  topology.export_xml(dir + "/topology.xml");
  write("facts.txt", "# recorded by fpubench --record-profile\n" + format_facts(facts));
}

MachineProfile load_profile(const std::string& dir) {
  MachineProfile p;
  p.name = dir.substr(dir.find_last_of('/', dir.size() - 2) + 1);
  std::map<std::string, std::string> inputs;
  if (access((dir + "/facts.txt").c_str(), F_OK) != 0)
    throw std::invalid_argument(
        "--profile=" + dir +
        " is not a recorded machine (it has no facts.txt): give a folder written by "
        "fpubench probe record-profile DIR, like bench/tests/testdata/machines/zen3-kvm-pvm");
  try {
    std::string text = read_file(dir + "/facts.txt");
    inputs = parse_lines(text);
    p.facts = parse_facts(text);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(dir + "/facts.txt: " + e.what());
  }
  auto input = [&](const char* key, const char* file) {
    return dir + "/" + (inputs.count(key) ? inputs[key] : file);
  };
  p.cpu = std::make_unique<RecordedCpuid>(RecordedCpuid::load(input("cpuid", "cpuid.txt")));
  p.topology = std::make_unique<Topology>(Topology::from_xml_file(input("topology", "topology.xml")));
  return p;
}

}  // namespace fpubench
