// Built with -mgeneral-regs-only: it runs inside timed intervals while a register pattern is loaded.
#include "bench/tsc_clock.h"
#include "host/harness/timed_benchmark.h"

namespace fpubench {

void spin_ticks(int64_t ticks) {
  if (ticks < 0) return;
  // No PAUSE in the loop: it takes ~50 ns on recent cores, which would be the granularity of
  // the delay.
  uint64_t end = tsc_begin() + uint64_t(ticks);
  while (tsc_begin() < end) {
  }
}

}  // namespace fpubench
