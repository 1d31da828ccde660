#include "bench/disturbance.h"

#include <sched.h>
#include <unistd.h>

#include <cctype>
#include <set>
#include <sstream>

#include "bench/text_file.h"

namespace fpubench {
namespace {

// A file that is gone (a thread that ended, procfs not mounted) reads as nothing happened.
std::string slurp(const std::string& path) { return read_whole_file(path).value_or(""); }

bool numbered(const std::string& label) {
  if (label.empty()) return false;
  for (char c : label)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

uint64_t device_interrupts_on(const std::string& text, const std::vector<int>& cpus) {
  std::istringstream in(text);
  std::string header;
  if (!std::getline(in, header)) return 0;
  // The header names the columns (CPU0 CPU1 ...); offline CPUs have none.
  std::vector<int> columns;
  std::istringstream h(header);
  for (std::string name; h >> name;)
    if (name.rfind("CPU", 0) == 0) columns.push_back(std::stoi(name.substr(3)));
  std::set<int> wanted(cpus.begin(), cpus.end());
  uint64_t total = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream l(line);
    std::string label;
    l >> label;
    if (label.empty() || label.back() != ':' || !numbered(label.substr(0, label.size() - 1))) continue;
    for (int cpu : columns) {
      uint64_t count;
      if (!(l >> count)) break;
      if (wanted.count(cpu)) total += count;
    }
  }
  return total;
}

uint64_t steal_ticks_on(const std::string& text, const std::vector<int>& cpus) {
  std::set<int> wanted(cpus.begin(), cpus.end());
  std::istringstream in(text);
  uint64_t total = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("cpu", 0) != 0 || line.size() < 4 || !std::isdigit(static_cast<unsigned char>(line[3])))
      continue;
    std::istringstream l(line.substr(3));
    int cpu;
    uint64_t v[8] = {};  // user nice system idle iowait irq softirq steal
    l >> cpu;
    for (uint64_t& x : v) l >> x;
    if (wanted.count(cpu)) total += v[7];
  }
  return total;
}

uint64_t nonvoluntary_switches(const std::string& text) {
  const std::string key = "nonvoluntary_ctxt_switches:";
  size_t at = text.find(key);
  if (at == std::string::npos) return 0;
  return std::stoull(text.substr(at + key.size()));
}

DisturbanceProbe::DisturbanceProbe(const std::vector<pid_t>& tids, bool count_preemptions, std::string proc)
    : tids_(tids), count_preemptions_(count_preemptions), proc_(std::move(proc)) {
  std::set<int> cpus;
  for (pid_t tid : tids) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(tid, sizeof set, &set) != 0) continue;
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) cpus.insert(c);
  }
  cpus_.assign(cpus.begin(), cpus.end());
}

Disturbance DisturbanceProbe::read() const {
  Disturbance d;
  d.device_irqs = device_interrupts_on(slurp(proc_ + "/interrupts"), cpus_);
  d.steal_ticks = steal_ticks_on(slurp(proc_ + "/stat"), cpus_);
  if (count_preemptions_)
    for (pid_t tid : tids_)
      d.preemptions += nonvoluntary_switches(
          slurp(proc_ + "/" + std::to_string(getpid()) + "/task/" + std::to_string(tid) + "/status"));
  return d;
}

void DisturbanceProbe::start() { at_start_ = read(); }

Disturbance DisturbanceProbe::stop() const {
  Disturbance now = read(), d;
  d.device_irqs = now.device_irqs - at_start_.device_irqs;
  d.steal_ticks = now.steal_ticks - at_start_.steal_ticks;
  d.preemptions = now.preemptions - at_start_.preemptions;
  return d;
}

}  // namespace fpubench
