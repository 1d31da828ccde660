#include "bench/placement.h"

#include <map>
#include <stdexcept>

namespace fpubench {
namespace {

hwloc_obj_t ancestor(const Topology& t, hwloc_obj_type_t type, hwloc_obj_t pu) {
  return hwloc_get_ancestor_obj_by_type(t.raw(), type, pu);
}

// The closest cache holding both PUs: the common ancestor or above it.
hwloc_obj_t closest_shared_cache(const Topology& t, hwloc_obj_t a, hwloc_obj_t b) {
  for (hwloc_obj_t o = hwloc_get_common_ancestor_obj(t.raw(), a, b); o; o = o->parent)
    if (hwloc_obj_type_is_cache(o->type)) return o;
  return nullptr;
}

}  // namespace

const std::vector<PlacementClassInfo>& placement_classes() {
  static const std::vector<PlacementClassInfo> classes = {
      {PlacementClass::kSamePu, "same-pu", "the topology has no PU"},
      {PlacementClass::kSmt, "smt", "no core has two PUs (SMT is off or absent)"},
      {PlacementClass::kSharedL2, "shared-l2", "no two cores share an L2 (no core clusters)"},
      {PlacementClass::kSharedL3, "shared-l3", "no two cores have an L3 as their closest shared cache"},
      {PlacementClass::kCrossLlc, "cross-llc",
       "every two cores of a package and NUMA node share a cache (no CCX/CCD boundary)"},
      {PlacementClass::kCrossNuma, "cross-numa", "no package spans two NUMA nodes"},
      {PlacementClass::kCrossPackage, "cross-package", "only one package"},
  };
  return classes;
}

PlacementClass classify_pair(const Topology& t, hwloc_obj_t a, hwloc_obj_t b) {
  if (a == b) return PlacementClass::kSamePu;
  hwloc_obj_t core_a = ancestor(t, HWLOC_OBJ_CORE, a);
  if (core_a && core_a == ancestor(t, HWLOC_OBJ_CORE, b)) return PlacementClass::kSmt;
  if (hwloc_obj_t cache = closest_shared_cache(t, a, b))
    return cache->attr->cache.depth <= 2 ? PlacementClass::kSharedL2 : PlacementClass::kSharedL3;
  if (ancestor(t, HWLOC_OBJ_PACKAGE, a) != ancestor(t, HWLOC_OBJ_PACKAGE, b))
    return PlacementClass::kCrossPackage;
  // A PU's nodeset is the NUMA nodes local to it.
  if (!hwloc_bitmap_isequal(a->nodeset, b->nodeset)) return PlacementClass::kCrossNuma;
  return PlacementClass::kCrossLlc;
}

Placements resolve_placements(const Topology& t) {
  std::map<PlacementClass, Placement> found;
  if (t.pu_count() > 0) found[PlacementClass::kSamePu] = {"", t.pu(0), t.pu(0)};
  const size_t classes = placement_classes().size();
  for (unsigned i = 0; i < t.pu_count() && found.size() < classes; ++i)
    for (unsigned j = i + 1; j < t.pu_count() && found.size() < classes; ++j)
      found.try_emplace(classify_pair(t, t.pu(i), t.pu(j)), Placement{"", t.pu(i), t.pu(j)});
  Placements p;
  for (const PlacementClassInfo& c : placement_classes()) {
    auto it = found.find(c.placement_class);
    if (it == found.end()) {
      p.unavailable.push_back({c.name, t.pu_count() < 2 && c.placement_class != PlacementClass::kSamePu
                                           ? "only one PU is available"
                                           : c.why_absent});
      continue;
    }
    it->second.name = c.name;
    p.available.push_back(it->second);
  }
  return p;
}

Placement pinned_placement(const Topology& t, const std::string& spec) {
  auto comma = spec.find(',');
  if (comma == std::string::npos || spec.find(',', comma + 1) != std::string::npos)
    throw std::invalid_argument(
        "--pin takes two hwloc locations separated by a comma, like --pin pu:0,pu:1; got '" + spec + "'");
  if (comma == 0 || comma + 1 == spec.size())
    throw std::invalid_argument(
        "--pin takes two hwloc locations separated by a comma, like --pin pu:0,pu:1; got '" + spec +
        "', which leaves one empty");
  try {
    return {"pinned", t.resolve(spec.substr(0, comma)), t.resolve(spec.substr(comma + 1))};
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(std::string("--pin: ") + e.what());
  }
}

}  // namespace fpubench
