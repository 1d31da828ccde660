// Where the two threads of a ping-pong run, named the same everywhere (host ping-pong, vCPUs):
// same-pu, smt, cross-core (different cores sharing a cache), cross-package, cross-numa.
// Resolved from an hwloc topology; a placement the machine lacks comes back with the reason.
#pragma once

#include <string>
#include <vector>

#include "topology.h"

namespace fpubench {

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
  std::vector<Placement> available;
  std::vector<UnavailablePlacement> unavailable;
};

Placements resolve_placements(const Topology& topology);

// "--pin A,B": two hwloc locations. Throws std::invalid_argument naming the bad part.
Placement pinned_placement(const Topology& topology, const std::string& spec);

}  // namespace fpubench
