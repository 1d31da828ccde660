// Built with -mgeneral-regs-only (see torture_loops.h).
#include "host/torture/torture_loops.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fpubench {

uint64_t migrate_and_check(StateCheck& mine, const cpu_set_t& a, const cpu_set_t& b,
                           const std::atomic<bool>& stop, bool* ok) {
  mine.load();
  uint64_t moves = 0;
  *ok = true;
  while (!stop.load(std::memory_order_relaxed)) {
    const cpu_set_t& to = (moves & 1) ? a : b;
    syscall(SYS_sched_setaffinity, 0, sizeof to, &to);  // moves us before it returns
    ++moves;
    if (!mine.registers_match()) {
      *ok = false;
      break;
    }
  }
  mine.unload();
  return moves;
}

namespace {
const RegisterState* g_regs;
const XstateImage* g_clobber;
uint64_t g_mask;
void clobbering_handler(int) { g_regs->load(*g_clobber, g_mask); }
}  // namespace

void install_clobbering_handler(int signo, const RegisterState* regs, const XstateImage* clobber,
                                uint64_t mask) {
  g_regs = regs;
  g_clobber = clobber;
  g_mask = mask;
  struct sigaction sa {};
  sa.sa_handler = clobbering_handler;
  sigemptyset(&sa.sa_mask);
  sigaction(signo, &sa, nullptr);
}

uint64_t signal_and_check(StateCheck& mine, int signo, const std::atomic<bool>& stop, bool* ok) {
  pid_t pid = getpid();
  pid_t tid = pid_t(syscall(SYS_gettid));
  mine.load();
  uint64_t n = 0;
  *ok = true;
  while (!stop.load(std::memory_order_relaxed)) {
    syscall(SYS_tgkill, pid, tid, signo);
    ++n;
    if (!mine.registers_match()) {
      *ok = false;
      break;
    }
  }
  mine.unload();
  return n;
}

uint64_t fork_and_check(StateCheck& mine, StateCheck& child, const std::atomic<bool>& stop, bool* ok,
                        bool* child_ok, int* child_status) {
  static const char* const argv[] = {"/bin/true", nullptr};
  static const char* const envp[] = {nullptr};
  mine.load();
  uint64_t n = 0;
  *ok = *child_ok = true;
  while (!stop.load(std::memory_order_relaxed)) {
    long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {  // the child: its registers must be the parent's at the fork
      bool same = child.registers_match();
      if (same) syscall(SYS_execve, argv[0], argv, envp);
      syscall(SYS_exit_group, same ? 0 : 1);
    }
    if (pid < 0) break;
    int status = 0;
    syscall(SYS_wait4, pid, &status, 0, 0);
    ++n;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      *child_ok = false;
      *child_status = status;
      break;
    }
    if (!mine.registers_match()) {
      *ok = false;
      break;
    }
  }
  mine.unload();
  return n;
}

uint64_t spin_and_check(StateCheck& mine, const std::atomic<bool>& stop, bool* ok) {
  mine.load();
  uint64_t n = 0;
  *ok = true;
  while (!stop.load(std::memory_order_relaxed)) {
    ++n;
    if (!mine.registers_match()) {
      *ok = false;
      break;
    }
  }
  mine.unload();
  return n;
}

}  // namespace fpubench
