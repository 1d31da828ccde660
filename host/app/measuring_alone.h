// What every measurement holds while it measures: the machine-wide lock (one measurement at a
// time) and PM QoS at 0 (no deep idle on the benchmark PUs), and what it records of both.
#pragma once

#include <memory>
#include <string>

#include "bench/environment.h"
#include "bench/measurement_lock.h"
#include "bench/pm_qos.h"

namespace fpubench {

struct MeasuringOptions {
  bool wait = true;    // false: --no-wait, refuse when another measurement holds the lock
  bool pm_qos = true;  // false: --no-pm-qos
  std::string what;    // this measurement, as the next waiter reads it ("benchmarks", "torture")
};

class MeasuringAlone {
 public:
  // Takes the lock (waiting with one line on stderr, or refusing) and then PM QoS; appends
  // measured_alone and pm_qos.cpu_dma_latency to `context`.
  MeasuringAlone(const MeasuringOptions& options, Context* context);

 private:
  MeasurementLock lock_;
  PmQosHold qos_;
};

}  // namespace fpubench
