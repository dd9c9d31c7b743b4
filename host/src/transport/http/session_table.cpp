#include "transport/http/session_table.hpp"

#include <algorithm>

#include "log/logger.hpp"
#include "transport/http/session_id.hpp"

namespace mcpd::transport::http {

SessionTable::SessionTable(Limits limits) : limits_(limits) {}

SessionTable::~SessionTable() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (reaper_.joinable()) reaper_.join();
}

SessionTable::Inserted SessionTable::insert(const std::shared_ptr<HttpSession>& session,
                                            const std::string& client) {
  std::vector<std::shared_ptr<HttpSession>> closing;
  Inserted result;
  {
    std::lock_guard lock(mutex_);
    if (sessions_.size() >= limits_.max_sessions) closing = take_expired_locked();
    const auto evict = [&](Entries::iterator it) {
      closing.push_back(it->second.session);
      if (--per_client_[it->second.client] == 0) per_client_.erase(it->second.client);
      sessions_.erase(it);
      ++result.evicted;
    };
    const auto held = per_client_.find(client);
    if (held != per_client_.end() && held->second >= limits_.max_sessions_per_client) {
      auto victim = eviction_candidate_locked(&client);
      if (victim == sessions_.end())
        result.refusal = Refusal::client_full;
      else
        evict(victim);
    }
    if (result.refusal == Refusal::none && sessions_.size() >= limits_.max_sessions) {
      auto victim = eviction_candidate_locked(nullptr);
      if (victim == sessions_.end())
        result.refusal = Refusal::table_full;
      else
        evict(victim);
    }
    if (result.refusal == Refusal::none) {
      sessions_.emplace(session->id(), Entry{session, client});
      ++per_client_[client];
    }
  }
  for (auto& s : closing) {
    log::info("idle session evicted to make room for a new one", {{"session", loggable_session_id(s->id())}});
    s->close(std::chrono::milliseconds(0));
  }
  return result;
}

SessionTable::Entries::iterator SessionTable::eviction_candidate_locked(const std::string* client) {
  auto best = sessions_.end();
  HttpSession::Clock::time_point oldest = HttpSession::Clock::time_point::max();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (client != nullptr && it->second.client != *client) continue;
    const auto& session = *it->second.session;
    if (!session.idle_longer_than(limits_.eviction_grace)) continue;
    const auto last = session.last_activity();
    if (last < oldest) {
      oldest = last;
      best = it;
    }
  }
  return best;
}

std::shared_ptr<HttpSession> SessionTable::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.session;
}

std::shared_ptr<HttpSession> SessionTable::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  auto session = it->second.session;
  if (--per_client_[it->second.client] == 0) per_client_.erase(it->second.client);
  sessions_.erase(it);
  return session;
}

std::vector<std::shared_ptr<HttpSession>> SessionTable::take_all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<HttpSession>> all;
  for (auto& [id, entry] : sessions_) all.push_back(entry.session);
  sessions_.clear();
  per_client_.clear();
  return all;
}

std::vector<std::shared_ptr<HttpSession>> SessionTable::list() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<HttpSession>> all;
  for (const auto& [id, entry] : sessions_) all.push_back(entry.session);
  return all;
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<HttpSession>> SessionTable::take_expired_locked() {
  std::vector<std::shared_ptr<HttpSession>> expired;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.session->idle_longer_than(limits_.idle_timeout)) {
      expired.push_back(it->second.session);
      if (--per_client_[it->second.client] == 0) per_client_.erase(it->second.client);
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
      std::clamp(limits_.idle_timeout / 4, std::chrono::milliseconds(25), std::chrono::milliseconds(1000));
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
