#include "host/harness/paired_blocks.h"

#include <stdexcept>

namespace fpubench {

PairedBlocks::PairedBlocks(PairedSettings settings, uint64_t overhead_ticks, uint64_t seed)
    : settings_(settings),
      overhead_(overhead_ticks),
      order_(seed),
      ticks_(settings.discard + settings.block) {
  if (settings.block == 0) throw std::invalid_argument("a paired block needs at least one kept round trip");
}

bool PairedBlocks::block(const RunSide& run, bool held, uint64_t* total) {
  unsigned n = unsigned(ticks_.size());
  if (!run(held, n, ticks_.data())) return false;
  round_trips_ += n;
  LatencyRecorder& half = quads_ % 2 ? init_odd_ : init_even_;
  for (unsigned i = 0; i < n; ++i) {
    uint64_t t = ticks_[i] > overhead_ ? ticks_[i] - overhead_ : 0;
    *total += ticks_[i];
    if (i < settings_.discard) continue;
    (held ? held_ : init_).add(t);
    if (!held) half.add(t);
  }
  return true;
}

bool PairedBlocks::quad(const RunSide& run, uint64_t* total) {
  *total = 0;
  bool held_first = order_() & 1;  // HIIH or IHHI
  for (bool held : {held_first, !held_first, !held_first, held_first})
    if (!block(run, held, total)) return false;
  ++quads_;
  return true;
}

PairedFigures PairedBlocks::figures() const {
  if (held_.count() == 0 || init_.count() == 0) throw std::logic_error("paired figures before any quad");
  PairedFigures f;
  f.held_p50 = double(held_.percentile(50));
  f.init_p50 = double(init_.percentile(50));
  f.cost = f.held_p50 - f.init_p50;
  if (init_odd_.count() > 0) f.aa = double(init_even_.percentile(50)) - double(init_odd_.percentile(50));
  return f;
}

}  // namespace fpubench
