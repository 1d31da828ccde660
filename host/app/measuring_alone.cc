#include "host/app/measuring_alone.h"

#include <cstdio>

namespace fpubench {
namespace {

std::string waited_for;  // set by the lock's callback, read once the lock is ours

void say_waiting(const std::string& holder) {
  waited_for = holder;
  std::fprintf(stderr,
               "fpubench: waiting for another measurement on this machine to finish (%s); two at once "
               "would time each other (--no-wait refuses instead)\n",
               holder.c_str());
}

PmQosHold hold_pm_qos(bool on) { return on ? PmQosHold("/dev/cpu_dma_latency", 0) : PmQosHold::off(); }

}  // namespace

MeasuringAlone::MeasuringAlone(const MeasuringOptions& options, Context* context)
    : lock_(measurement_lock_path(),
            options.wait ? MeasurementLock::Mode::kWait : MeasurementLock::Mode::kRefuse,
            "fpubench " + options.what, say_waiting),
      qos_(hold_pm_qos(options.pm_qos)) {
  context->emplace_back("measured_alone",
                        lock_.acquired_at_once() ? "yes" : "yes, after waiting for " + waited_for);
  context->emplace_back("pm_qos.cpu_dma_latency", qos_.state());
}

}  // namespace fpubench
