#pragma once
// A fixed pool of threads for tool calls and other plugin work, so that a slow
// call never blocks the transport's reader (ping, cancellation, other calls).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mcpd {

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a job; returns false once shutdown has begun.
  bool submit(std::function<void()> job);
  // Runs every queued job, then joins the threads. Idempotent.
  void shutdown();
  std::size_t queued() const;

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace mcpd
