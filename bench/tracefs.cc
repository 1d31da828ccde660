#include "bench/tracefs.h"

#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace fpubench {
namespace {

constexpr const char* kMountPoints[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

bool is_dir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> subdirs(const std::string& path) {
  std::vector<std::string> out;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.' && is_dir(path + "/" + e->d_name)) out.push_back(e->d_name);
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::optional<std::string> Tracefs::events_dir() const {
  for (const char* m : kMountPoints)
    if (is_dir(root_ + m + "/events")) return root_ + m + "/events";
  return std::nullopt;
}

std::string Tracefs::mount_if_possible() const {
  if (events_dir()) return "";
  if (std::string why = why_unusable(); !why.empty()) return why;
  if (mount("nodev", kMountPoints[0], "tracefs", 0, nullptr) != 0)
    return std::string("tracefs is not mounted and mounting it failed (") + std::strerror(errno) +
           "); mount it as root: mount -t tracefs nodev /sys/kernel/tracing";
  return "";
}

std::string Tracefs::why_unusable() const {
  if (events_dir()) return "";
  std::string how = "mount it as root: mount -t tracefs nodev /sys/kernel/tracing";
  for (const char* m : kMountPoints) {
    // A mounted tracefs that this user may not search looks like no tracefs at all to stat().
    std::string events = root_ + m + "/events";
    if (access(events.c_str(), F_OK) != 0 && errno == EACCES)
      return "tracefs at " + root_ + m +
             " is not readable by this user; count as root (or with CAP_PERFMON and access to tracefs)";
  }
  if (!root_.empty()) return "tracefs is not mounted under " + root_ + "; " + how;
  if (geteuid() != 0) return "tracefs is not mounted and mounting it needs root; " + how;
  return "";
}

std::optional<unsigned> Tracefs::tracepoint_id(const std::string& subsystem, const std::string& event) const {
  auto dir = events_dir();
  if (!dir || subsystem.find('/') != std::string::npos || event.find('/') != std::string::npos)
    return std::nullopt;
  std::ifstream f(*dir + "/" + subsystem + "/" + event + "/id");
  unsigned id;
  if (!(f >> id)) return std::nullopt;
  return id;
}

std::vector<std::string> Tracefs::subsystems() const {
  auto dir = events_dir();
  return dir ? subdirs(*dir) : std::vector<std::string>{};
}

std::vector<std::string> Tracefs::events(const std::string& subsystem) const {
  auto dir = events_dir();
  return dir ? subdirs(*dir + "/" + subsystem) : std::vector<std::string>{};
}

}  // namespace fpubench
