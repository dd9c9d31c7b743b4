#pragma once
// Open connections per client address, so that one client cannot take every
// HTTP worker thread (http.max_connections_per_client).
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace mcpd::transport::http {

class PeerConnections {
 public:
  explicit PeerConnections(std::size_t max_per_peer) : max_per_peer_(max_per_peer) {}

  // Holds one connection of a peer while it lives; empty when the peer is at its limit.
  class Slot {
   public:
    Slot() = default;
    Slot(PeerConnections* owner, std::string peer) : owner_(owner), peer_(std::move(peer)) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_), peer_(std::move(other.peer_)) {
      other.owner_ = nullptr;
    }
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (owner_ != nullptr) owner_->release(peer_);
    }
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    PeerConnections* owner_ = nullptr;
    std::string peer_;
  };

  Slot acquire(const std::string& peer);
  std::size_t max_per_peer() const { return max_per_peer_; }

 private:
  void release(const std::string& peer);

  const std::size_t max_per_peer_;
  std::mutex mutex_;
  std::map<std::string, std::size_t> open_;
};

}  // namespace mcpd::transport::http
