#include "bench/disturbance.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sys/syscall.h>

namespace fpubench {
namespace {

// A 4-CPU guest's /proc/interrupts, CPU 2 offline (no column), a device line for virtio.
const char* kInterrupts =
    "           CPU0       CPU1       CPU3\n"
    "  1:          9          0          0  IO-APIC   1-edge      i8042\n"
    " 24:        100         50          7  PCI-MSI 49152-edge      virtio0-config\n"
    "NMI:          0          0          0   Non-maskable interrupts\n"
    "LOC:      12345      67890        111   Local timer interrupts\n"
    "RES:        500        600        700   Rescheduling interrupts\n"
    "ERR:          0\n";

TEST(Disturbance, DeviceInterruptsAreTheNumberedLinesOfTheChosenCpusColumns) {
  EXPECT_EQ(device_interrupts_on(kInterrupts, {0}), 109u);
  EXPECT_EQ(device_interrupts_on(kInterrupts, {1}), 50u);
  EXPECT_EQ(device_interrupts_on(kInterrupts, {3}), 7u) << "columns follow the header, not positions";
  EXPECT_EQ(device_interrupts_on(kInterrupts, {0, 1, 3}), 166u);
  EXPECT_EQ(device_interrupts_on(kInterrupts, {2}), 0u) << "an offline CPU has no column";
}

TEST(Disturbance, StealIsTheEighthValueOfEachCpuLine) {
  const char* stat =
      "cpu  10 0 10 100 0 0 0 9 0 0\n"
      "cpu0 5 0 5 50 0 0 0 4 0 0\n"
      "cpu1 5 0 5 50 0 0 0 5 0 0\n"
      "intr 12345\n";
  EXPECT_EQ(steal_ticks_on(stat, {0}), 4u);
  EXPECT_EQ(steal_ticks_on(stat, {0, 1}), 9u);
  EXPECT_EQ(steal_ticks_on(stat, {7}), 0u);
}

TEST(Disturbance, NonvoluntarySwitchesComeFromTheTaskStatus) {
  EXPECT_EQ(nonvoluntary_switches("voluntary_ctxt_switches:\t3\nnonvoluntary_ctxt_switches:\t42\n"), 42u);
  EXPECT_EQ(nonvoluntary_switches("Name:\tx\n"), 0u);
}

TEST(Disturbance, TheProbeReadsThisMachineAndTheThreadsPus) {
  pid_t tid = pid_t(syscall(SYS_gettid));
  DisturbanceProbe probe({tid}, true);
  EXPECT_FALSE(probe.cpus().empty());
  probe.start();
  Disturbance d = probe.stop();
  EXPECT_LT(d.preemptions, 1000u);  // a delta, not a running total
}

}  // namespace
}  // namespace fpubench
