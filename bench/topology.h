// The machine's topology through hwloc: load it (this machine, restricted to the CPUs this process
// may use, or an injected XML export for tests), name PUs in hwloc location syntax, and bind the
// calling thread to one PU strictly.
#pragma once

#include <hwloc.h>

#include <string>
#include <vector>

namespace fpubench {

class Topology {
 public:
  static Topology load();  // this machine; throws std::runtime_error with hwloc's reason
  static Topology from_xml_file(const std::string& path);
  static Topology from_xml_text(const std::string& xml);

  Topology(Topology&& other) noexcept;
  Topology& operator=(Topology&& other) noexcept;
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;
  ~Topology();

  // Logical PU indexes in hwloc order.
  unsigned pu_count() const;
  // The first PU inside a location like "pu:1", "core:1", "package:0.core:1.pu:0", "numa:1".
  // Indexes are hwloc logical indexes within the parent. Throws with the location's problem.
  hwloc_obj_t resolve(const std::string& location) const;
  hwloc_obj_t pu(unsigned logical_index) const;
  // "package:P.core:C.pu:U", logical indexes, the canonical name for a PU in results.
  std::string location_of(hwloc_obj_t pu) const;
  // "1 package, 2 cores, 2 PUs, 1 NUMA node, SMT off"
  std::string summary() const;
  bool smt() const;

  // Binds the calling thread to exactly this PU (HWLOC_CPUBIND_STRICT) and checks the binding
  // took. Throws with hwloc's reason otherwise. Only for the topology of this machine.
  void bind_thread(hwloc_obj_t pu) const;
  // The PU the calling thread last ran on.
  hwloc_obj_t current_pu() const;

  // Writes the topology as hwloc XML (what lstopo --of xml writes). Throws with hwloc's reason.
  void export_xml(const std::string& path) const;

  hwloc_topology_t raw() const { return topo_; }

 private:
  explicit Topology(hwloc_topology_t t) : topo_(t) {}
  hwloc_topology_t topo_ = nullptr;
  bool this_system_ = false;
};

// Binds the calling thread to a PU for its lifetime, then puts the previous binding back.
class ScopedThreadBinding {
 public:
  ScopedThreadBinding(const Topology& topology, hwloc_obj_t pu);
  ~ScopedThreadBinding();
  ScopedThreadBinding(const ScopedThreadBinding&) = delete;
  ScopedThreadBinding& operator=(const ScopedThreadBinding&) = delete;

 private:
  const Topology& topology_;
  hwloc_bitmap_t previous_;
};

}  // namespace fpubench
