#pragma once
// The live sessions of the HTTP transport by Mcp-Session-Id, with the limit
// on how many may exist and a reaper that closes the ones left idle.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "transport/http/http_session.hpp"

namespace mcpd::transport::http {

class SessionTable {
 public:
  SessionTable(std::size_t max_sessions, std::chrono::milliseconds idle_timeout);
  ~SessionTable();
  SessionTable(const SessionTable&) = delete;
  SessionTable& operator=(const SessionTable&) = delete;

  // False when the table is full (expired sessions are reaped first).
  bool insert(const std::shared_ptr<HttpSession>& session);
  // nullptr when unknown, expired or deleted.
  std::shared_ptr<HttpSession> find(const std::string& id) const;
  // The session, removed; the caller closes it. nullptr when unknown.
  std::shared_ptr<HttpSession> remove(const std::string& id);
  // Every session, removed (shutdown).
  std::vector<std::shared_ptr<HttpSession>> take_all();
  std::size_t size() const;
  // The live sessions, still in the table.
  std::vector<std::shared_ptr<HttpSession>> list() const;

  // Starts the thread that closes sessions idle for longer than the timeout.
  void start_reaper();

 private:
  std::vector<std::shared_ptr<HttpSession>> take_expired_locked();
  void reap_loop();

  const std::size_t max_sessions_;
  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<HttpSession>, std::less<>> sessions_;
  std::thread reaper_;
};

}  // namespace mcpd::transport::http
