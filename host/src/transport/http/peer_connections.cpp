#include "transport/http/peer_connections.hpp"

namespace mcpd::transport::http {

PeerConnections::Slot PeerConnections::acquire(const std::string& peer) {
  std::lock_guard lock(mutex_);
  auto& open = open_[peer];
  if (open >= max_per_peer_) {
    if (open == 0) open_.erase(peer);
    return Slot();
  }
  ++open;
  return Slot(this, peer);
}

void PeerConnections::release(const std::string& peer) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(peer);
  if (it != open_.end() && --it->second == 0) open_.erase(it);
}

}  // namespace mcpd::transport::http
