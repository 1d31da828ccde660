// The exit-status contract of every fpubench command, the binary's and the script's alike
// (README, "Exit status"): a lab's job turns each into pass, fail or skip.
#pragma once

namespace fpubench {

enum ExitStatus : int {
  kExitOk = 0,             // measured, passed, or nothing was asked to compare
  kExitChanged = 1,        // a comparison found a change (compare, ab), or tests failed (test)
  kExitBadInput = 2,       // bad input, or what was asked cannot run on this machine
  kExitIntegrity = 3,      // FPU state integrity failure (torture, or corruption seen in a run)
  kExitMachine = 4,        // the machine or an outside dependency failed (a scenario's error, I/O, QEMU)
  kExitInterrupted = 128,  // + the signal: 130 for SIGINT, 143 for SIGTERM
};

}  // namespace fpubench
