// The parts of the torture scenarios that run while a pattern is loaded. Built with
// -mgeneral-regs-only, and calling only raw system calls: glibc's memcpy/memset (used inside
// hwloc and fork) would clobber the very registers being checked.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>

#include "bench/state_check.h"

namespace fpubench {

// Alternates the calling thread between two CPU sets with sched_setaffinity, checking after
// every move. Returns the number of migrations done before `stop` or a mismatch (*ok = false).
uint64_t migrate_and_check(StateCheck& mine, const cpu_set_t& a, const cpu_set_t& b,
                           const std::atomic<bool>& stop, bool* ok);

// Signals to self whose handler loads `clobber` into every register of `mask` and returns.
void install_clobbering_handler(int signo, const RegisterState* regs, const XstateImage* clobber,
                                uint64_t mask);
uint64_t signal_and_check(StateCheck& mine, int signo, const std::atomic<bool>& stop, bool* ok);

// Forks (raw clone) children that check, against `child`, the state they inherited and exec
// /bin/true (exit 0 when it matched, 1 when not); the parent checks its own after each child.
uint64_t fork_and_check(StateCheck& mine, StateCheck& child, const std::atomic<bool>& stop, bool* ok,
                        bool* child_ok, int* child_status);

// Checks its state over and over until `stop` (the hog and the victim of the preemption scenario).
uint64_t spin_and_check(StateCheck& mine, const std::atomic<bool>& stop, bool* ok);

}  // namespace fpubench
