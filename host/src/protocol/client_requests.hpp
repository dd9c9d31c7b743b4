#pragma once
// Requests the server sends to the client (sampling/createMessage,
// elicitation/create, roots/list) while a tool runs: each waits here for the
// matching response, a timeout, cancellation, or the client going away.
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bridge/client_channel.hpp"

namespace mcpd::protocol {

class PendingClientRequests {
 public:
  struct Slot;
  // A fresh request id ("mcpd-<n>") and the slot its answer will land in.
  std::pair<boost::json::value, std::shared_ptr<Slot>> open();
  // Delivers a response from the client. False when no request has that id.
  bool resolve(const boost::json::value& id, std::optional<boost::json::value> result,
               std::optional<boost::json::object> error);
  // Blocks for the answer. Removes the slot in every case.
  bridge::ClientReply wait(const boost::json::value& id, const std::shared_ptr<Slot>& slot,
                           std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled);
  // Fails every waiting request and every later open() (the client is gone).
  void close(const std::string& reason);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Slot>> slots_;
  std::uint64_t next_id_ = 1;
  std::optional<std::string> closed_reason_;
};

}  // namespace mcpd::protocol
