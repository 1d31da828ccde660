// Linux tracefs, for tracepoint ids: where it is mounted (under an injected root for tests),
// mounting it when it is not and we are root, and listing a subsystem's events.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fpubench {

class Tracefs {
 public:
  explicit Tracefs(std::string root = "") : root_(std::move(root)) {}

  // The events/ directory, or nullopt when tracefs is not mounted at either usual place.
  std::optional<std::string> events_dir() const;
  // Mounts tracefs at /sys/kernel/tracing (real root only). Returns "" on success, otherwise
  // one sentence saying why not and what to run.
  std::string mount_if_possible() const;
  // "" when tracepoint ids can be read now, or after mount_if_possible() as root; otherwise one
  // sentence saying why not. Changes nothing.
  std::string why_unusable() const;
  // Tracepoint id of "subsystem:event", nullopt when there is no such event.
  std::optional<unsigned> tracepoint_id(const std::string& subsystem, const std::string& event) const;
  std::vector<std::string> subsystems() const;
  std::vector<std::string> events(const std::string& subsystem) const;

 private:
  std::string root_;
};

}  // namespace fpubench
