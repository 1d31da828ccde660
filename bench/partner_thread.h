// A thread that works beside the measuring one: a ping-pong partner, a vCPU's thread. Its body
// runs on the new thread and marks it ready (ready(), or status() = 1 from code that must not
// call out); an exception the body throws is kept. The owner waits for ready or failure;
// finish() asks the body to return (the owner's `stop`) and joins, once; so does the destructor,
// so a partner never outlives its owner, however the owner leaves.
#pragma once

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <exception>
#include <functional>
#include <string>
#include <thread>

namespace fpubench {

class PartnerThread {
 public:
  PartnerThread(std::function<void(PartnerThread&)> body, std::function<void()> stop)
      : stop_(std::move(stop)) {
    thread_ = std::thread([this, body = std::move(body)] {
      tid_.store(pid_t(syscall(SYS_gettid)), std::memory_order_release);
      try {
        body(*this);
      } catch (...) {
        error_ = std::current_exception();
        status_.store(-1, std::memory_order_release);
      }
    });
  }
  PartnerThread(const PartnerThread&) = delete;
  PartnerThread& operator=(const PartnerThread&) = delete;
  ~PartnerThread() { finish(); }

  void ready() { status_.store(1, std::memory_order_release); }
  std::atomic<int>& status() { return status_; }  // 0 starting, 1 ready, -1 failed
  // Waits for ready or failure; true when ready.
  bool wait_ready() {
    int s;
    while ((s = status_.load(std::memory_order_acquire)) == 0) std::this_thread::yield();
    return s > 0;
  }
  bool running() const { return status_.load(std::memory_order_acquire) == 1; }
  pid_t tid() const { return tid_.load(std::memory_order_acquire); }

  // Stops and joins (the first time); the body's exception, or null.
  std::exception_ptr finish() {
    if (thread_.joinable()) {
      if (stop_) stop_();
      thread_.join();
    }
    return error_;
  }
  // The body's failure as text, after finish(); "" when there was none.
  std::string error() const {
    if (!error_) return "";
    try {
      std::rethrow_exception(error_);
    } catch (const std::exception& e) {
      return e.what();
    } catch (...) {
      return "an unknown exception";
    }
  }

 private:
  std::function<void()> stop_;
  std::atomic<int> status_{0};
  std::atomic<pid_t> tid_{0};
  std::exception_ptr error_;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace fpubench
