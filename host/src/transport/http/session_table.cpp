#include "transport/http/session_table.hpp"

#include <algorithm>

#include "log/logger.hpp"
#include "transport/http/session_id.hpp"

namespace mcpd::transport::http {

SessionTable::SessionTable(std::size_t max_sessions, std::chrono::milliseconds idle_timeout)
    : max_sessions_(max_sessions), idle_timeout_(idle_timeout) {}

SessionTable::~SessionTable() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (reaper_.joinable()) reaper_.join();
}

bool SessionTable::insert(const std::shared_ptr<HttpSession>& session) {
  std::vector<std::shared_ptr<HttpSession>> expired;
  bool inserted = false;
  {
    std::lock_guard lock(mutex_);
    if (sessions_.size() >= max_sessions_) expired = take_expired_locked();
    if (sessions_.size() < max_sessions_) {
      sessions_.emplace(session->id(), session);
      inserted = true;
    }
  }
  for (auto& s : expired) s->close(std::chrono::milliseconds(0));
  return inserted;
}

std::shared_ptr<HttpSession> SessionTable::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second;
}

std::shared_ptr<HttpSession> SessionTable::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  auto session = it->second;
  sessions_.erase(it);
  return session;
}

std::vector<std::shared_ptr<HttpSession>> SessionTable::take_all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<HttpSession>> all;
  for (auto& [id, session] : sessions_) all.push_back(session);
  sessions_.clear();
  return all;
}

std::vector<std::shared_ptr<HttpSession>> SessionTable::list() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<HttpSession>> all;
  for (const auto& [id, session] : sessions_) all.push_back(session);
  return all;
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<HttpSession>> SessionTable::take_expired_locked() {
  std::vector<std::shared_ptr<HttpSession>> expired;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second->idle_longer_than(idle_timeout_)) {
      expired.push_back(it->second);
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

void SessionTable::start_reaper() {
  reaper_ = std::thread([this] { reap_loop(); });
}

void SessionTable::reap_loop() {
  // Often enough that a session is gone soon after its timeout, rarely
  // enough to cost nothing.
  const auto interval =
      std::clamp(idle_timeout_ / 4, std::chrono::milliseconds(25), std::chrono::milliseconds(1000));
  std::unique_lock lock(mutex_);
  while (!stop_.wait_for(lock, interval, [this] { return stopping_; })) {
    auto expired = take_expired_locked();
    if (expired.empty()) continue;
    lock.unlock();
    for (auto& session : expired) {
      log::info("session expired after being idle", {{"session", loggable_session_id(session->id())}});
      session->close(std::chrono::milliseconds(0));
    }
    lock.lock();
  }
}

}  // namespace mcpd::transport::http
