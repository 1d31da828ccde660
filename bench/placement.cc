#include "placement.h"

#include <stdexcept>

namespace fpubench {
namespace {

hwloc_obj_t first_pu_in(const Topology& t, hwloc_const_cpuset_t set) {
  return hwloc_get_obj_inside_cpuset_by_type(t.raw(), set, HWLOC_OBJ_PU, 0);
}

// Two different objects of `type` that both hold PUs.
bool two_of(const Topology& t, hwloc_obj_type_t type, Placement& out) {
  hwloc_topology_t topo = t.raw();
  hwloc_obj_t a = nullptr, b = nullptr;
  for (hwloc_obj_t o = nullptr; (o = hwloc_get_next_obj_by_type(topo, type, o));) {
    if (!o->cpuset || hwloc_bitmap_iszero(o->cpuset)) continue;
    (a ? b : a) = o;
    if (b) break;
  }
  if (!b) return false;
  out.first = first_pu_in(t, a->cpuset);
  out.second = first_pu_in(t, b->cpuset);
  return true;
}

bool smt_pair(const Topology& t, Placement& out) {
  for (hwloc_obj_t core = nullptr; (core = hwloc_get_next_obj_by_type(t.raw(), HWLOC_OBJ_CORE, core));) {
    if (hwloc_get_nbobjs_inside_cpuset_by_type(t.raw(), core->cpuset, HWLOC_OBJ_PU) < 2) continue;
    out.first = hwloc_get_obj_inside_cpuset_by_type(t.raw(), core->cpuset, HWLOC_OBJ_PU, 0);
    out.second = hwloc_get_obj_inside_cpuset_by_type(t.raw(), core->cpuset, HWLOC_OBJ_PU, 1);
    return true;
  }
  return false;
}

// The first two cores under the smallest cache that holds two cores.
bool shared_cache_pair(const Topology& t, Placement& out) {
  for (hwloc_obj_type_t cache : {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L3CACHE,
                                 HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE}) {
    for (hwloc_obj_t c = nullptr; (c = hwloc_get_next_obj_by_type(t.raw(), cache, c));) {
      if (hwloc_get_nbobjs_inside_cpuset_by_type(t.raw(), c->cpuset, HWLOC_OBJ_CORE) < 2) continue;
      hwloc_obj_t a = hwloc_get_obj_inside_cpuset_by_type(t.raw(), c->cpuset, HWLOC_OBJ_CORE, 0);
      hwloc_obj_t b = hwloc_get_obj_inside_cpuset_by_type(t.raw(), c->cpuset, HWLOC_OBJ_CORE, 1);
      out.first = first_pu_in(t, a->cpuset);
      out.second = first_pu_in(t, b->cpuset);
      return true;
    }
  }
  return false;
}

}  // namespace

Placements resolve_placements(const Topology& t) {
  Placements p;
  // Each finder fills a Placement or says it cannot.
  auto offer = [&](const char* name, bool (*find)(const Topology&, Placement&), const std::string& why) {
    Placement pl;
    if (find(t, pl)) {
      pl.name = name;
      p.available.push_back(pl);
    } else {
      p.unavailable.push_back({name, why});
    }
  };
  offer("same-pu", [](const Topology& t, Placement& pl) {
    pl.first = pl.second = t.pu(0);
    return true;
  }, "");
  offer("smt", smt_pair, "no core has two PUs (SMT is off or absent)");
  offer("cross-core", shared_cache_pair,
        t.pu_count() < 2 ? "only one PU is available" : "no two cores share a cache");
  offer("cross-package", [](const Topology& t, Placement& pl) { return two_of(t, HWLOC_OBJ_PACKAGE, pl); },
        "only one package");
  offer("cross-numa", [](const Topology& t, Placement& pl) { return two_of(t, HWLOC_OBJ_NUMANODE, pl); },
        "only one NUMA node");
  return p;
}

Placement pinned_placement(const Topology& t, const std::string& spec) {
  auto comma = spec.find(',');
  if (comma == std::string::npos || spec.find(',', comma + 1) != std::string::npos)
    throw std::invalid_argument("--pin takes two hwloc locations separated by a comma, like --pin pu:0,pu:1; got '" + spec + "'");
  try {
    return {"pinned", t.resolve(spec.substr(0, comma)), t.resolve(spec.substr(comma + 1))};
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(std::string("--pin: ") + e.what());
  }
}

}  // namespace fpubench
