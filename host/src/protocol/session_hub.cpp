#include <unistd.h>

#include "protocol/server_context.hpp"
#include "protocol/session.hpp"

namespace mcpd::protocol {

std::string make_instance_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  // The random part tells a restarted process (same host, maybe the same pid) from the one before it.
  return std::string(host[0] != '\0' ? host : "mcpd") + "-" + std::to_string(getpid()) + "-" +
         tasks::random_task_id().substr(0, 8);
}

void SessionHub::add(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
  sessions_.push_back(session);
}

std::vector<std::shared_ptr<Session>> SessionHub::live() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Session>> out;
  for (const auto& w : sessions_)
    if (auto s = w.lock()) out.push_back(std::move(s));
  return out;
}

void SessionHub::notify_resource_updated(std::string_view uri) {
  for (const auto& s : live()) s->notify_resource_updated(uri);
}

std::size_t SessionHub::notify_list_changed(std::string_view kind) {
  std::size_t sent = 0;
  for (const auto& s : live())
    if (s->notify_list_changed(kind)) ++sent;
  return sent;
}

void SessionHub::notify_task(const boost::json::object& detailed) {
  for (const auto& s : live()) s->notify_task(detailed);
}

void SessionHub::end_listens() {
  for (const auto& s : live()) s->end_listens();
}

}  // namespace mcpd::protocol
