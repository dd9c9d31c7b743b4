#include "protocol/suspended_call.hpp"

#include <vector>

namespace mcpd::protocol {
namespace json = boost::json;

SuspendedCall::Target SuspendedCall::ask(const std::string& key, json::object question) {
  std::lock_guard lock(mutex_);
  pending_key_ = key;
  pending_question_ = std::move(question);
  answer_.reset();
  return target_;
}

std::optional<json::value> SuspendedCall::wait(std::chrono::milliseconds timeout,
                                               const std::atomic<bool>& cancelled) {
  std::unique_lock lock(mutex_);
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!answer_ && !cancelled.load()) {
    // Cancellation is a flag, not a notification: look at it every so often.
    if (changed_.wait_until(
            lock, std::min(until, std::chrono::steady_clock::now() + std::chrono::milliseconds(200))) ==
            std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= until)
      break;
  }
  if (!answer_) return std::nullopt;
  pending_key_.clear();
  return std::exchange(answer_, std::nullopt);
}

std::optional<std::pair<std::string, json::object>> SuspendedCall::pending() const {
  std::lock_guard lock(mutex_);
  if (pending_key_.empty() || answer_) return std::nullopt;
  return std::make_pair(pending_key_, pending_question_);
}

void SuspendedCall::resume(Target retry, json::value answer) {
  {
    std::lock_guard lock(mutex_);
    target_ = std::move(retry);
    answer_ = std::move(answer);
  }
  changed_.notify_all();
}

SuspendedCall::Target SuspendedCall::target() const {
  std::lock_guard lock(mutex_);
  return target_;
}

void SuspendedCall::wake() {
  changed_.notify_all();
}

void SuspendedCalls::add(const std::shared_ptr<SuspendedCall>& call) {
  std::lock_guard lock(mutex_);
  std::erase_if(calls_, [](const auto& entry) { return entry.second.expired(); });
  calls_[call->id()] = call;
}

std::shared_ptr<SuspendedCall> SuspendedCalls::find(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second.lock();
}

void SuspendedCalls::cancel_all() {
  std::vector<std::shared_ptr<SuspendedCall>> waiting;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, call] : calls_)
      if (auto live = call.lock()) waiting.push_back(std::move(live));
  }
  for (const auto& call : waiting) {
    call->target().call->cancelled->store(true);
    call->wake();
  }
}

void SuspendedCalls::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  calls_.erase(id);
}

}  // namespace mcpd::protocol
