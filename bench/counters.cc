#include "bench/counters.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace fpubench {

std::string probe_open(const ResolvedEvent& event) {
  try {
    PerfEvent probe(event, 0);
    return "";
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

CounterPlan plan_counters(const std::string& list, const EventResolver& resolver, const OpenProbe& probe) {
  CounterPlan plan;
  auto add = [&](const std::string& name, bool from_set) {
    for (const ResolvedEvent& e : plan.events)
      if (e.name == name) return;
    ResolvedEvent ev;
    std::string why;
    try {
      ev = resolver.resolve(name);
      why = probe(ev);
    } catch (const std::invalid_argument& e) {
      why = e.what();
    }
    if (why.empty())
      plan.events.push_back(ev);
    else if (from_set)
      plan.dropped.push_back({name, why});
    else
      throw std::invalid_argument(why);
  };
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    std::vector<std::string> members = resolver.set_members(item);
    if (members.empty()) add(item, false);
    for (const std::string& m : members) add(m, true);
  }
  if (plan.events.empty() && plan.dropped.empty())
    throw std::invalid_argument("--counters is empty: name events or the sets fpu, core");
  return plan;
}

std::string dropped_summary(const std::vector<DroppedEvent>& dropped) {
  // Group by reason, with the "cannot count 'NAME': " prefix taken off each sentence.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const DroppedEvent& d : dropped) {
    std::string prefix = "cannot count '" + d.name + "': ";
    std::string reason = d.why.rfind(prefix, 0) == 0 ? d.why.substr(prefix.size()) : d.why;
    auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g.first == reason; });
    if (it == groups.end())
      groups.push_back({reason, {d.name}});
    else
      it->second.push_back(d.name);
  }
  std::string out = "not counting ";
  for (size_t g = 0; g < groups.size(); ++g) {
    out += g ? "; " : "";
    for (size_t i = 0; i < groups[g].second.size(); ++i) out += (i ? ", " : "") + groups[g].second[i];
    out += " (" + groups[g].first + ")";
  }
  return out;
}

ThreadCounters::ThreadCounters(const std::vector<ResolvedEvent>& events, const std::vector<pid_t>& tids)
    : events_(events), tids_(tids.size()) {
  fds_.reserve(events.size() * tids.size());
  for (const ResolvedEvent& e : events)
    for (pid_t t : tids) fds_.emplace_back(e, t);
}

void ThreadCounters::start() {
  for (PerfEvent& e : fds_) e.enable();
}
void ThreadCounters::stop() {
  for (PerfEvent& e : fds_) e.disable();
}

std::vector<CounterReading> ThreadCounters::read() const {
  std::vector<CounterReading> out;
  for (size_t e = 0; e < events_.size(); ++e) {
    CounterReading r{events_[e].name, 0, 1};
    for (size_t t = 0; t < tids_; ++t) {
      CounterValue v = fds_[e * tids_ + t].read();
      r.total += v.scaled();
      r.running_fraction = std::min(r.running_fraction, v.running_fraction());
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace fpubench
