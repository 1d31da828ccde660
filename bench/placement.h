// Where the two threads of a ping-pong run, named the same everywhere (host ping-pong, vCPUs, full
// guests). Every pair of PUs falls in exactly one class, by the closest thing the two share:
//   same-pu        one PU: every round trip is two context switches on one CPU
//   smt            two PUs of one core (hyper-thread siblings)
//   shared-l2      two cores sharing an L2 (a core cluster) or a closer cache
//   shared-l3      two cores whose closest shared cache is an L3 (or beyond)
//   cross-llc      two cores of one package and NUMA node that share no cache (AMD CCX/CCD boundary)
//   cross-numa     two cores of one package in different NUMA nodes (SNC, NPS2/4), no shared cache
//   cross-package  two packages
// Resolved from an hwloc topology; a class the machine lacks comes back with the reason.
#pragma once

#include <string>
#include <vector>

#include "bench/topology.h"

namespace fpubench {

enum class PlacementClass { kSamePu, kSmt, kSharedL2, kSharedL3, kCrossLlc, kCrossNuma, kCrossPackage };

// Closest first; the name used in benchmark names and the sentence saying why it is absent.
struct PlacementClassInfo {
  PlacementClass placement_class;
  const char* name;
  const char* why_absent;
};
const std::vector<PlacementClassInfo>& placement_classes();

PlacementClass classify_pair(const Topology& topology, hwloc_obj_t a, hwloc_obj_t b);

struct Placement {
  std::string name;
  hwloc_obj_t first = nullptr;   // PU of the measuring thread
  hwloc_obj_t second = nullptr;  // PU of its partner
  bool same_pu() const { return first == second; }
};

struct UnavailablePlacement {
  std::string name;
  std::string why;
};

struct Placements {
  std::vector<Placement> available;  // closest first
  std::vector<UnavailablePlacement> unavailable;
};

// One pair per class present: the first pair in hwloc's PU order.
Placements resolve_placements(const Topology& topology);

// "--pin A,B": two hwloc locations. Throws std::invalid_argument naming the bad part.
Placement pinned_placement(const Topology& topology, const std::string& spec);

}  // namespace fpubench
