#pragma once
// The live sessions of the HTTP transport by Mcp-Session-Id, with the limits
// on how many may exist (in all, and per client address) and a reaper that
// closes the ones left idle.
//
// A full table does not lock new clients out until abandoned sessions time
// out: a new session takes the place of the least recently used session that
// is idle (no request running, no stream open, quiet for a moment), first
// among the sessions of the same client address, then among all. Only when
// every session is busy is a new one refused.
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
  struct Limits {
    std::size_t max_sessions = 1000;             // http.max_sessions
    std::size_t max_sessions_per_client = 1000;  // http.max_sessions_per_client
    std::chrono::milliseconds idle_timeout{30 * 60 * 1000};
    // A session younger or busier than this is never evicted: its client has
    // just initialized and is about to send notifications/initialized.
    std::chrono::milliseconds eviction_grace{1000};
  };
  SessionTable(Limits limits);
  ~SessionTable();
  SessionTable(const SessionTable&) = delete;
  SessionTable& operator=(const SessionTable&) = delete;

  enum class Refusal { none, table_full, client_full };
  struct Inserted {
    Refusal refusal = Refusal::none;
    std::size_t evicted = 0;  // idle sessions closed to make room
  };
  // Adds a session of the client at `client` (its address), evicting an idle
  // session when a limit is reached (see above); refused when none is idle.
  Inserted insert(const std::shared_ptr<HttpSession>& session, const std::string& client);
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
  struct Entry {
    std::shared_ptr<HttpSession> session;
    std::string client;
  };
  using Entries = std::map<std::string, Entry, std::less<>>;

  std::vector<std::shared_ptr<HttpSession>> take_expired_locked();
  // The least recently used evictable session (of `client` only, when given).
  Entries::iterator eviction_candidate_locked(const std::string* client);
  void reap_loop();

  const Limits limits_;
  mutable std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  Entries sessions_;
  std::map<std::string, std::size_t, std::less<>> per_client_;
  std::thread reaper_;
};

}  // namespace mcpd::transport::http
