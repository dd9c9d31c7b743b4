#include "protocol/client_requests.hpp"

#include "jsonrpc/message.hpp"

namespace mcpd::protocol {
namespace json = boost::json;

struct PendingClientRequests::Slot {
  std::mutex mutex;
  std::condition_variable done;
  bool answered = false;
  bridge::ClientReply reply;
};

std::pair<json::value, std::shared_ptr<PendingClientRequests::Slot>> PendingClientRequests::open() {
  auto slot = std::make_shared<Slot>();
  std::lock_guard lock(mutex_);
  json::value id = json::string("mcpd-" + std::to_string(next_id_++));
  if (closed_reason_) {
    slot->answered = true;
    slot->reply = {MCPD_ERR_STATE, *closed_reason_};
  } else {
    slots_[jsonrpc::id_key(id)] = slot;
  }
  return {id, slot};
}

bool PendingClientRequests::resolve(const json::value& id, std::optional<json::value> result,
                                    std::optional<json::object> error) {
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(jsonrpc::id_key(id));
    if (it == slots_.end()) return false;
    slot = it->second;
    slots_.erase(it);
  }
  std::lock_guard lock(slot->mutex);
  slot->answered = true;
  if (result)
    slot->reply = {MCPD_OK, json::serialize(*result)};
  else
    slot->reply = {MCPD_ERR_INTERNAL, error ? json::serialize(*error) : "the client answered with an error"};
  slot->done.notify_all();
  return true;
}

bridge::ClientReply PendingClientRequests::wait(const json::value& id, const std::shared_ptr<Slot>& slot,
                                                std::chrono::milliseconds timeout,
                                                const std::atomic<bool>& cancelled) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bridge::ClientReply reply;
  {
    std::unique_lock lock(slot->mutex);
    // Cancellation is a flag, not an event we are woken for: poll it briefly.
    while (!slot->answered) {
      if (cancelled.load()) {
        reply = {MCPD_ERR_CANCELLED, "the request was cancelled"};
        break;
      }
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        reply = {MCPD_ERR_TIMEOUT,
                 "the client did not answer within " + std::to_string(timeout.count()) + " ms"};
        break;
      }
      slot->done.wait_for(
          lock, std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(20)));
    }
    if (slot->answered) return slot->reply;
  }
  std::lock_guard lock(mutex_);
  slots_.erase(jsonrpc::id_key(id));
  return reply;
}

void PendingClientRequests::close(const std::string& reason) {
  std::map<std::string, std::shared_ptr<Slot>> slots;
  {
    std::lock_guard lock(mutex_);
    closed_reason_ = reason;
    slots.swap(slots_);
  }
  for (auto& [key, slot] : slots) {
    std::lock_guard lock(slot->mutex);
    slot->answered = true;
    slot->reply = {MCPD_ERR_STATE, reason};
    slot->done.notify_all();
  }
}

}  // namespace mcpd::protocol
