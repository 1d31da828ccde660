#include "bench/topology.h"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace fpubench {
namespace {

std::runtime_error hwloc_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

hwloc_topology_t init_topology() {
  hwloc_topology_t t;
  if (hwloc_topology_init(&t) != 0) throw hwloc_error("hwloc_topology_init failed");
  return t;
}

void finish_load(hwloc_topology_t t, const std::string& what) {
  if (hwloc_topology_load(t) != 0) {
    int err = errno;
    hwloc_topology_destroy(t);
    errno = err;
    throw hwloc_error("cannot load the hwloc topology from " + what);
  }
}

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

Topology Topology::load() {
  hwloc_topology_t t = init_topology();
  // hwloc restricts to the CPUs this process may use unless told otherwise, which is what we
  // want: a cpuset from taskset or a cgroup limits the placements we offer.
  finish_load(t, "this machine");
  Topology topo(t);
  topo.this_system_ = true;
  return topo;
}

Topology Topology::from_xml_file(const std::string& path) {
  hwloc_topology_t t = init_topology();
  if (hwloc_topology_set_xml(t, path.c_str()) != 0) {
    hwloc_topology_destroy(t);
    throw hwloc_error("cannot read hwloc XML '" + path + "'");
  }
  finish_load(t, "'" + path + "'");
  return Topology(t);
}

Topology Topology::from_xml_text(const std::string& xml) {
  hwloc_topology_t t = init_topology();
  if (hwloc_topology_set_xmlbuffer(t, xml.c_str(), int(xml.size()) + 1) != 0) {
    hwloc_topology_destroy(t);
    throw hwloc_error("cannot parse hwloc XML text");
  }
  finish_load(t, "XML text");
  return Topology(t);
}

Topology::Topology(Topology&& o) noexcept : topo_(o.topo_), this_system_(o.this_system_) {
  o.topo_ = nullptr;
}
Topology& Topology::operator=(Topology&& o) noexcept {
  std::swap(topo_, o.topo_);
  std::swap(this_system_, o.this_system_);
  return *this;
}
Topology::~Topology() {
  if (topo_) hwloc_topology_destroy(topo_);
}

unsigned Topology::pu_count() const { return hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PU); }

hwloc_obj_t Topology::pu(unsigned logical_index) const {
  hwloc_obj_t o = hwloc_get_obj_by_type(topo_, HWLOC_OBJ_PU, logical_index);
  if (!o)
    throw std::runtime_error("there is no pu:" + std::to_string(logical_index) + " (this topology has " +
                             plural(int(pu_count()), "PU", "PUs") + ")");
  return o;
}

// hwloc's library has no parser for its own location syntax (it lives in the hwloc-calc tool), so
// this handles the "type:index[.type:index]" subset, with hwloc_type_sscanf for the type names.
hwloc_obj_t Topology::resolve(const std::string& location) const {
  hwloc_obj_t parent = hwloc_get_root_obj(topo_);
  std::stringstream ss(location);
  std::string part;
  while (std::getline(ss, part, '.')) {
    auto colon = part.find(':');
    hwloc_obj_type_t type;
    char* end = nullptr;
    unsigned long index = colon == std::string::npos ? 0 : std::strtoul(part.c_str() + colon + 1, &end, 10);
    if (colon == std::string::npos || end == part.c_str() + colon + 1 || *end != '\0' ||
        hwloc_type_sscanf(part.substr(0, colon).c_str(), &type, nullptr, 0) != 0)
      throw std::runtime_error(
          "'" + location +
          "' is not an hwloc location: expected type:index parts joined by '.', like pu:1 or core:0.pu:1");
    hwloc_obj_t obj = hwloc_get_obj_inside_cpuset_by_type(topo_, parent->cpuset, type, unsigned(index));
    if (!obj)
      throw std::runtime_error("location '" + location + "' does not exist here: no " + part + " inside " +
                               (parent->parent ? std::string(hwloc_obj_type_string(parent->type)) + ":" +
                                                     std::to_string(parent->logical_index)
                                               : std::string("the machine")) +
                               " (" + summary() + ")");
    parent = obj;
  }
  if (parent->type == HWLOC_OBJ_PU) return parent;
  hwloc_obj_t first = hwloc_get_obj_inside_cpuset_by_type(topo_, parent->cpuset, HWLOC_OBJ_PU, 0);
  if (!first) throw std::runtime_error("location '" + location + "' holds no PU");
  return first;
}

// Position of `obj` among the objects of its type inside `outer`: the index resolve() takes.
static unsigned index_within(hwloc_topology_t t, hwloc_obj_t outer, hwloc_obj_t obj) {
  unsigned idx = 0;
  for (hwloc_obj_t o = nullptr;
       (o = hwloc_get_next_obj_inside_cpuset_by_type(t, outer->cpuset, obj->type, o)) && o != obj;)
    ++idx;
  return idx;
}

std::string Topology::location_of(hwloc_obj_t pu) const {
  std::string out;
  hwloc_obj_t outer = hwloc_get_root_obj(topo_);
  for (hwloc_obj_type_t type : {HWLOC_OBJ_PACKAGE, HWLOC_OBJ_CORE}) {
    hwloc_obj_t anc = hwloc_get_ancestor_obj_by_type(topo_, type, pu);
    if (!anc) continue;
    out += std::string(type == HWLOC_OBJ_PACKAGE ? "package:" : ".core:") +
           std::to_string(index_within(topo_, outer, anc));
    outer = anc;
  }
  if (!out.empty()) out += '.';
  return out + "pu:" + std::to_string(index_within(topo_, outer, pu));
}

void Topology::export_xml(const std::string& path) const {
  if (hwloc_topology_export_xml(topo_, path.c_str(), 0) != 0)
    throw hwloc_error("cannot write hwloc XML to '" + path + "'");
}

bool Topology::smt() const {
  return hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PU) > hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_CORE);
}

std::string Topology::summary() const {
  int packages = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PACKAGE);
  int cores = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_CORE);
  int pus = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_PU);
  int numa = hwloc_get_nbobjs_by_type(topo_, HWLOC_OBJ_NUMANODE);
  return plural(packages, "package", "packages") + ", " + plural(cores, "core", "cores") + ", " +
         plural(pus, "PU", "PUs") + ", " + plural(numa, "NUMA node", "NUMA nodes") + ", SMT " +
         (smt() ? "on" : "off");
}

void Topology::bind_thread(hwloc_obj_t pu) const {
  if (!this_system_) throw std::logic_error("cannot bind to a PU of a topology loaded from XML");
  if (hwloc_set_cpubind(topo_, pu->cpuset, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT) != 0)
    throw hwloc_error("cannot bind this thread to " + location_of(pu));
  hwloc_bitmap_t got = hwloc_bitmap_alloc();
  int rc = hwloc_get_cpubind(topo_, got, HWLOC_CPUBIND_THREAD);
  bool ok = rc == 0 && hwloc_bitmap_isequal(got, pu->cpuset);
  hwloc_bitmap_free(got);
  if (!ok) throw std::runtime_error("binding this thread to " + location_of(pu) + " did not take");
}

hwloc_obj_t Topology::current_pu() const {
  hwloc_bitmap_t set = hwloc_bitmap_alloc();
  hwloc_get_last_cpu_location(topo_, set, HWLOC_CPUBIND_THREAD);
  hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(topo_, unsigned(hwloc_bitmap_first(set)));
  hwloc_bitmap_free(set);
  return pu;
}

ScopedThreadBinding::ScopedThreadBinding(const Topology& topology, hwloc_obj_t pu)
    : topology_(topology), previous_(hwloc_bitmap_alloc()) {
  if (hwloc_get_cpubind(topology.raw(), previous_, HWLOC_CPUBIND_THREAD) != 0) {
    hwloc_bitmap_free(previous_);
    throw hwloc_error("cannot read this thread's binding");
  }
  try {
    topology.bind_thread(pu);
  } catch (...) {
    hwloc_bitmap_free(previous_);
    throw;
  }
}

ScopedThreadBinding::~ScopedThreadBinding() {
  hwloc_set_cpubind(topology_.raw(), previous_, HWLOC_CPUBIND_THREAD);
  hwloc_bitmap_free(previous_);
}

}  // namespace fpubench
