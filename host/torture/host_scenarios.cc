// Torture scenarios on the host: forced switches, migration, signals, fork+exec, preemption.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "bench/placement.h"
#include "host/pingpong/pingpong_bench.h"
#include "host/torture/scenario_support.h"
#include "host/torture/torture_loops.h"

namespace fpubench {

ScenarioResult host_pingpong(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  uint64_t mask = all_of(s);
  Placement same{"same-pu", s.topology.pu(0), s.topology.pu(0)};
  SessionSpec spec{Mechanism::kFutex, same, mask, mask, mask, 0, {}};
  XstateImage flipped = make_pattern(s.layout, mask, 2);  // the partner's pattern (seed 2)...
  if (s.corrupt) {
    flipped.data()[160 + 7 * 16 + 5] ^= 0x20;  // ...with one bit of XMM7 flipped
    spec.hook = {1000, &flipped, component_bit(kSseState)};
  }
  PingPongSession session(s.layout, s.regs, s.topology, spec);
  uint64_t ticks[256];
  while (!s.out_of_time()) {
    if (session.round_trips(256, ticks) < 256) {
      r.corruption = session.failure();
      break;
    }
  }
  r.count = session.completed();
  r.events = std::to_string(2 * r.count) + " context switches (" + std::to_string(r.count) + " round trips)";
  return r;
}

ScenarioResult host_migration(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  if (s.topology.pu_count() < 2) {
    r.skipped = "needs two PUs";
    return r;
  }
  // hwloc names the two PUs; the moves themselves use sched_setaffinity directly, because hwloc's
  // own code may use vector registers while the pattern is loaded.
  cpu_set_t a, b;
  CPU_ZERO(&a);
  CPU_ZERO(&b);
  CPU_SET(s.topology.pu(0)->os_index, &a);
  CPU_SET(s.topology.pu(s.topology.pu_count() - 1)->os_index, &b);
  XstateImage image = make_pattern(s.layout, all_of(s), 11);
  StateCheck check(s.layout, s.regs, image, all_of(s));
  bool ok;
  uint64_t n;
  {
    ScopedThreadBinding restore(s.topology, s.topology.pu(0));
    StopAtDeadline stop(s);
    n = migrate_and_check(check, a, b, stop.flag, &ok);
  }
  r.count = n;
  r.events = std::to_string(n) + " migrations between " + s.topology.location_of(s.topology.pu(0)) + " and " +
             s.topology.location_of(s.topology.pu(s.topology.pu_count() - 1));
  if (!ok) r.corruption = corruption("migrating thread", "migration " + std::to_string(n), check.mismatch());
  return r;
}

ScenarioResult host_signals(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  uint64_t mask =
      all_of(s) & ~kAmxComponents;  // a handler must not touch AMX without its own permission dance
  XstateImage image = make_pattern(s.layout, mask, 12), clobber = make_pattern(s.layout, mask, 13);
  StateCheck check(s.layout, s.regs, image, mask);
  install_clobbering_handler(SIGUSR2, &s.regs, &clobber, mask);
  bool ok;
  StopAtDeadline stop(s);
  r.count = signal_and_check(check, SIGUSR2, stop.flag, &ok);
  r.events = std::to_string(r.count) + " signals (handler clobbers " + describe_components(mask) + ")";
  if (!ok)
    r.corruption = corruption("signalled thread", "signal " + std::to_string(r.count), check.mismatch());
  return r;
}

ScenarioResult host_fork_exec(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  XstateImage image = make_pattern(s.layout, all_of(s), 14);
  // Linux starts a forked child with its AMX tile data in init state ("x86/fpu/amx: Initialize
  // child's AMX state"); the tile configuration and everything else it inherits (seen on 6.18).
  // Patterns are drawn component by component, so the same seed without XTILEDATA gives the same
  // bytes for the rest.
  XstateImage child_image = make_pattern(s.layout, all_of(s) & ~component_bit(kXtiledata), 14);
  StateCheck check(s.layout, s.regs, image, all_of(s)), child(s.layout, s.regs, child_image, all_of(s));
  bool ok, child_ok;
  StopAtDeadline stop(s);
  int status = 0;
  r.count = fork_and_check(check, child, stop.flag, &ok, &child_ok, &status);
  r.events = std::to_string(r.count) + " fork+exec children";
  if (!child_ok) {
    r.corruption =
        "child " + std::to_string(r.count) +
        (WIFSIGNALED(status) ? " was killed by signal " + std::to_string(WTERMSIG(status))
                             : " found registers other than its parent's at the fork (exit status " +
                                   std::to_string(WEXITSTATUS(status)) + ")");
  }
  if (!ok) r.corruption = corruption("parent", "child " + std::to_string(r.count), check.mismatch());
  return r;
}

ScenarioResult host_preemption(const TortureSetup& s) {
  ScenarioResult r;  // named by the table below
  XstateImage victim_image = make_pattern(s.layout, all_of(s), 15),
              hog_image = make_pattern(s.layout, all_of(s), 16);
  StateCheck victim(s.layout, s.regs, victim_image, all_of(s)), hog(s.layout, s.regs, hog_image, all_of(s));
  bool victim_ok = true, hog_ok = true;
  long preempted = 0;
  {
    StopAtDeadline stop(s);
    std::thread hog_thread([&] {
      s.topology.bind_thread(s.topology.pu(0));
      spin_and_check(hog, stop.flag, &hog_ok);
    });
    ScopedThreadBinding bind(s.topology, s.topology.pu(0));
    spin_and_check(victim, stop.flag, &victim_ok);
    rusage ru{};
    getrusage(RUSAGE_THREAD, &ru);
    preempted = ru.ru_nivcsw;
    hog_thread.join();
  }
  r.count = uint64_t(preempted);
  r.events = std::to_string(preempted) + " preemptions of the checking thread by a CPU hog on its PU";
  if (!victim_ok)
    r.corruption = corruption("preempted thread", "a preemption", victim.mismatch());
  else if (!hog_ok)
    r.corruption = corruption("CPU hog", "a preemption", hog.mismatch());
  return r;
}

}  // namespace fpubench
