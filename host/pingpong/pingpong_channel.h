// The wake-up mechanisms of a ping-pong: each hands the turn to the other thread. Built with
// -mgeneral-regs-only, like everything that runs while a thread's register pattern is loaded.
#pragma once

#include <memory>
#include <string>

namespace fpubench {

enum class Mechanism { kFutex, kEventfd, kPipe, kUnixSocket, kSchedYield, kSpin };
enum class Side { kPing = 0, kPong = 1 };

class Channel {
 public:
  virtual ~Channel() = default;
  virtual void send(Side from) = 0;  // let the other side run
  virtual void wait(Side me) = 0;    // return once the other side has sent
};

// Throws std::runtime_error with the failing system call and errno.
std::unique_ptr<Channel> make_channel(Mechanism m);

}  // namespace fpubench
