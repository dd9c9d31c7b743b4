#pragma once
// A pool of threads for tool calls and other plugin work, so that a slow
// call never blocks the transport's reader (ping, cancellation, other calls).
//
// Plugin code runs in this process and a thread cannot be killed, so a job
// may carry a time limit: when it is still running at its deadline, its
// on_overdue callback runs (on the pool's watchdog thread) and the worker is
// abandoned. Up to `max_replacements` abandoned workers are replaced by new
// threads so that the pool keeps its capacity; an abandoned worker whose job
// ever returns then exits instead of taking more work.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

namespace mcpd {

class WorkerPool {
 public:
  using Clock = std::chrono::steady_clock;

  explicit WorkerPool(unsigned threads, unsigned max_replacements = 0);
  // Waits for every worker (shutdown()). A pool whose stop() reported stuck
  // workers must not be destroyed: their threads still use it. End the
  // process instead (see cli/bounded_shutdown.hpp).
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a job; returns false once shutdown has begun.
  bool submit(std::function<void()> job);
  // As submit(job), with a time limit counted from when the job starts
  // (time spent queued does not count). `on_overdue` runs once, on the
  // watchdog thread, if the job is still running `limit` after it started.
  // A zero limit means none.
  bool submit(std::function<void()> job, std::chrono::milliseconds limit, std::function<void()> on_overdue);

  // Runs `job` on the calling thread (a quick call on the stdio reading thread, say), watched like a pool
  // job: `on_overdue` runs on the watchdog thread if it is still running `limit` after it started, and
  // stop() counts it while it runs. Returns false, without running it, once shutdown has begun.
  bool run_here(const std::function<void()>& job, std::chrono::milliseconds limit,
                std::function<void()> on_overdue);
  // Stops taking jobs (queued ones still run) and waits until every worker
  // has finished or `deadline` passed. Returns how many workers are still
  // running a job then: those are stuck and left running (detached).
  std::size_t stop(Clock::time_point deadline);
  // stop() without a deadline. Idempotent.
  void shutdown();

  std::size_t queued() const;
  // Abandoned workers that were replaced and whose job has not returned.
  std::size_t replaced_workers() const;
  // True once no further abandoned worker will be replaced.
  bool replacement_limit_reached() const;
  unsigned max_replacements() const { return max_replacements_; }

 private:
  struct Job {
    std::function<void()> run;
    std::chrono::milliseconds limit{0};
    std::function<void()> on_overdue;
  };
  struct Worker {
    std::thread thread;
    std::optional<Clock::time_point> deadline;  // of the job it runs, when that has a limit
    std::function<void()> on_overdue;
    bool abandoned = false;  // its job passed its deadline
    bool replaced = false;   // ... and another worker took its place: exit when the job returns
    bool exited = false;
    bool borrowed = false;  // not a pool thread: run_here's caller, never replaced
  };

  bool enqueue(Job job);
  void start_deadline(Worker& worker, Job& job);                   // with mutex_ held
  std::size_t stop_by(std::optional<Clock::time_point> deadline);  // none: wait as long as it takes
  void start_worker();                                             // with mutex_ held
  void work(Worker& self);
  void watch();
  void reap_exited();  // with mutex_ held

  mutable std::mutex mutex_;
  std::condition_variable wake_;    // workers: a job is queued, or stopping
  std::condition_variable watch_;   // watchdog: a deadline was set, or stopping
  std::condition_variable exited_;  // stop(): a worker exited
  std::deque<Job> jobs_;
  std::list<Worker> workers_;  // a list: each thread keeps a reference to its own entry
  std::size_t live_ = 0;       // workers that have not exited
  std::size_t replaced_ = 0;   // see replaced_workers()
  const unsigned max_replacements_;
  bool stopping_ = false;
  bool watchdog_stopping_ = false;
  // When the sleeping watchdog wakes by itself (none: not before it is notified). While it is awake this is
  // time_point::min(), so that no worker notifies it: it looks at every deadline before sleeping again.
  std::optional<Clock::time_point> watchdog_wakes_at_;
  std::thread watchdog_;
};

}  // namespace mcpd
