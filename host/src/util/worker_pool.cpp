#include "util/worker_pool.hpp"

#include <utility>
#include <vector>

#include "log/logger.hpp"
#include "util/exception_text.hpp"

namespace mcpd {

WorkerPool::WorkerPool(unsigned threads, unsigned max_replacements) : max_replacements_(max_replacements) {
  if (threads == 0) threads = 1;
  std::lock_guard lock(mutex_);
  for (unsigned i = 0; i < threads; ++i) start_worker();
  watchdog_ = std::thread([this] { watch(); });
}

WorkerPool::~WorkerPool() {
  shutdown();
}

bool WorkerPool::submit(std::function<void()> job) {
  return enqueue(Job{std::move(job), std::chrono::milliseconds(0), {}});
}

bool WorkerPool::submit(std::function<void()> job, std::chrono::milliseconds limit,
                        std::function<void()> on_overdue) {
  return enqueue(Job{std::move(job), limit, std::move(on_overdue)});
}

bool WorkerPool::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::start_deadline(Worker& worker, Job& job) {
  if (job.limit.count() <= 0 || !job.on_overdue) return;
  worker.deadline = Clock::now() + job.limit;
  worker.on_overdue = std::move(job.on_overdue);
  // The watchdog only needs waking when it would sleep past this deadline. With one time limit for every
  // call, that is when it sleeps with no deadline at all: once per limit, not once per call (waking it
  // for every call cost two context switches per call).
  if (!watchdog_wakes_at_ || *worker.deadline < *watchdog_wakes_at_) watch_.notify_one();
}

bool WorkerPool::run_here(const std::function<void()>& job, std::chrono::milliseconds limit,
                          std::function<void()> on_overdue) {
  std::list<Worker>::iterator self;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    self = workers_.emplace(workers_.end());
    self->borrowed = true;
    ++live_;
    Job watched{nullptr, limit, std::move(on_overdue)};
    start_deadline(*self, watched);
  }
  try {
    job();
  } catch (...) {
    log::error("a job run in place threw", {{"error", current_exception_text()}});
  }
  std::function<void()> unused_overdue;
  {
    std::lock_guard lock(mutex_);
    unused_overdue = std::exchange(self->on_overdue, nullptr);
    workers_.erase(self);
    --live_;
  }
  exited_.notify_all();
  return true;
}

void WorkerPool::start_worker() {
  Worker& worker = workers_.emplace_back();
  ++live_;
  worker.thread = std::thread([this, &worker] { work(worker); });
}

void WorkerPool::work(Worker& self) {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) break;  // stopping and drained
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    start_deadline(self, job);
    lock.unlock();
    try {
      job.run();
    } catch (...) {
      log::error("a worker job threw", {{"error", current_exception_text()}});
    }
    job = Job{};  // what the job captured is released outside the lock
    lock.lock();
    self.deadline.reset();
    std::function<void()> unused_overdue = std::exchange(self.on_overdue, nullptr);
    const bool leave = self.replaced;  // another worker has taken this one's place
    if (leave) --replaced_;
    self.abandoned = false;
    lock.unlock();
    unused_overdue = nullptr;
    lock.lock();
    if (leave) break;
  }
  self.exited = true;
  --live_;
  exited_.notify_all();
  watch_.notify_one();  // the watchdog reaps exited threads
}

void WorkerPool::watch() {
  std::unique_lock lock(mutex_);
  while (!watchdog_stopping_) {
    reap_exited();
    std::optional<Clock::time_point> next;
    for (const auto& w : workers_)
      if (w.deadline && !w.abandoned && (!next || *w.deadline < *next)) next = w.deadline;
    watchdog_wakes_at_ = next;
    if (next)
      watch_.wait_until(lock, *next);
    else
      watch_.wait(lock);
    watchdog_wakes_at_ = Clock::time_point::min();  // awake: a new deadline needs no notification
    if (watchdog_stopping_) break;

    const auto now = Clock::now();
    std::vector<std::function<void()>> overdue;
    for (auto& w : workers_) {
      if (!w.deadline || w.abandoned || *w.deadline > now) continue;
      w.abandoned = true;
      overdue.push_back(std::move(w.on_overdue));
      w.on_overdue = nullptr;
      if (!w.borrowed && !stopping_ && replaced_ < max_replacements_) {
        w.replaced = true;
        ++replaced_;
        start_worker();
      }
    }
    if (overdue.empty()) continue;
    lock.unlock();
    for (auto& f : overdue) {
      try {
        if (f) f();
      } catch (...) {
        log::error("an overdue-job callback threw", {{"error", current_exception_text()}});
      }
      f = nullptr;
    }
    lock.lock();
  }
}

void WorkerPool::reap_exited() {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (!it->exited) {
      ++it;
      continue;
    }
    // exited is set under the lock just before the thread function returns,
    // so this join waits for nothing but that return.
    if (it->thread.joinable()) it->thread.join();
    it = workers_.erase(it);
  }
}

std::size_t WorkerPool::stop(Clock::time_point deadline) {
  return stop_by(deadline);
}

void WorkerPool::shutdown() {
  stop_by(std::nullopt);
}

std::size_t WorkerPool::stop_by(std::optional<Clock::time_point> deadline) {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  std::unique_lock lock(mutex_);
  const auto all_exited = [this] { return live_ == 0; };
  if (deadline)
    exited_.wait_until(lock, *deadline, all_exited);
  else
    exited_.wait(lock, all_exited);
  const std::size_t stuck = live_;
  watchdog_stopping_ = true;
  lock.unlock();
  watch_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
  lock.lock();
  reap_exited();
  // What is left is running plugin code that did not return in time; it may
  // never return. Its Worker entry stays, because the thread refers to it.
  for (auto& w : workers_)
    if (w.thread.joinable()) w.thread.detach();
  return stuck;
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

std::size_t WorkerPool::replaced_workers() const {
  std::lock_guard lock(mutex_);
  return replaced_;
}

bool WorkerPool::replacement_limit_reached() const {
  std::lock_guard lock(mutex_);
  return replaced_ >= max_replacements_;
}

}  // namespace mcpd
