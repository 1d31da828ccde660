#include "bench/perf_event.h"

#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace fpubench {
namespace {

std::string read_line(const std::string& path) {
  std::ifstream f(path);
  std::string s;
  std::getline(f, s);
  return s.empty() ? "unreadable" : s;
}

}  // namespace

bool has_hardware_pmu(const std::string& sysroot) {
  // The kernel names the core PMU "cpu" (x86), "cpu_core"/"cpu_atom" (hybrid), "armv8_*" (arm64).
  bool found = false;
  if (DIR* d = opendir((sysroot + "/sys/bus/event_source/devices").c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n == "cpu" || n.rfind("cpu_", 0) == 0 || n.rfind("armv8", 0) == 0) found = true;
    }
    closedir(d);
  }
  return found;
}

std::string explain_open_failure(int err, const ResolvedEvent& ev, const std::string& sysroot) {
  std::string what = "cannot count '" + ev.name + "'";
  switch (err) {
    case EACCES:
    case EPERM:
      return what + ": permission denied (kernel.perf_event_paranoid is " +
             read_line(sysroot + "/proc/sys/kernel/perf_event_paranoid") +
             "); run as root, give the binary CAP_PERFMON (or CAP_SYS_ADMIN), or lower "
             "kernel.perf_event_paranoid";
    case ENOENT:
    case ENODEV:
    case EOPNOTSUPP:
      if (ev.kind == EventKind::kHardware || ev.kind == EventKind::kOther) {
        if (!has_hardware_pmu(sysroot))
          return what +
                 ": no hardware PMU here (/sys/bus/event_source/devices has no cpu PMU; "
                 "a VM whose hypervisor exposes no virtual PMU looks like this)";
        return what + ": the CPU's PMU does not support this event (" + ev.encoding + ")";
      }
      return what + ": the kernel does not provide it (" + std::strerror(err) + ")";
    case EINVAL:
      return what + ": the kernel rejected its encoding " + ev.encoding + " (" + std::strerror(err) + ")";
    case EMFILE: return what + ": out of file descriptors (raise ulimit -n)";
    default: return what + ": perf_event_open failed: " + std::strerror(err);
  }
}

PerfEvent::PerfEvent(const ResolvedEvent& ev, pid_t tid) {
  perf_event_attr attr = ev.attr;
  attr.size = sizeof attr;
  attr.disabled = 1;
  attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  fd_ = int(syscall(SYS_perf_event_open, &attr, tid, -1, -1, PERF_FLAG_FD_CLOEXEC));
  if (fd_ < 0) throw std::runtime_error(explain_open_failure(errno, ev));
}

PerfEvent& PerfEvent::operator=(PerfEvent&& o) noexcept {
  std::swap(fd_, o.fd_);
  return *this;
}

PerfEvent::~PerfEvent() {
  if (fd_ >= 0) close(fd_);
}

void PerfEvent::enable() { ioctl(fd_, PERF_EVENT_IOC_ENABLE, 0); }
void PerfEvent::disable() { ioctl(fd_, PERF_EVENT_IOC_DISABLE, 0); }

CounterValue PerfEvent::read() const {
  // Layout for read_format = TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING, no group.
  uint64_t buf[3] = {};
  if (::read(fd_, buf, sizeof buf) != ssize_t(sizeof buf))
    throw std::runtime_error(std::string("reading a perf counter failed: ") + std::strerror(errno));
  return {buf[0], buf[1], buf[2]};
}

}  // namespace fpubench
