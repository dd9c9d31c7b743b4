#include "transport/http/http_session.hpp"

#include <boost/json.hpp>

#include "log/logger.hpp"
#include "transport/http/session_id.hpp"

namespace mcpd::transport::http {
namespace json = boost::json;

namespace {

// Streams kept after their connection went away, for Last-Event-ID; beyond
// this the oldest are forgotten (requests still running are always kept).
constexpr std::size_t kRetainedIdleStreams = 16;

}  // namespace

std::shared_ptr<HttpSession> HttpSession::create(protocol::ServerContext& context, std::string id,
                                                 Options options) {
  auto self = std::shared_ptr<HttpSession>(new HttpSession(std::move(id), options));
  std::weak_ptr<HttpSession> weak = self;
  self->protocol_ = protocol::Session::create(
      context,
      [weak](std::string message, const protocol::Outgoing& about) {
        if (auto session = weak.lock()) session->route(std::move(message), about);
      },
      [weak](const std::string& related) {
        if (auto session = weak.lock()) session->unanswered(related);
      });
  return self;
}

HttpSession::HttpSession(std::string id, Options options)
    : id_(std::move(id)), options_(options), last_activity_(Clock::now()) {}

HttpSession::Opened HttpSession::open_request(const std::string& key, bool counted, bool json_only) {
  std::lock_guard lock(mutex_);
  if (closed_) return {OpenStatus::closed, nullptr};
  if (routes_.contains(key)) return {OpenStatus::id_in_use, nullptr};
  if (counted && counted_calls_ >= options_.max_calls) return {OpenStatus::too_many_calls, nullptr};
  auto stream = new_stream_locked(EventStream::Kind::request);
  routes_.emplace(key, Route{stream, counted, json_only});
  if (counted) ++counted_calls_;
  last_activity_ = Clock::now();
  return {OpenStatus::opened, stream};
}

void HttpSession::deliver(jsonrpc::ParsedLine message) {
  protocol_->on_parsed(std::move(message));
}

std::shared_ptr<EventStream> HttpSession::new_stream_locked(EventStream::Kind kind) {
  auto stream = std::make_shared<EventStream>(next_stream_++, kind, options_.replay_events);
  streams_.emplace(stream->number(), stream);
  return stream;
}

void HttpSession::release_route_locked(std::map<std::string, Route>::iterator it) {
  if (it->second.counted && counted_calls_ > 0) --counted_calls_;
  routes_.erase(it);
}

void HttpSession::route(std::string message, const protocol::Outgoing& about) {
  const bool response = about.response;
  const std::string& related = about.related;
  std::lock_guard lock(mutex_);
  if (!related.empty()) {
    if (auto it = routes_.find(related); it != routes_.end()) {
      auto stream = it->second.stream;
      if (response) {
        release_route_locked(it);
        stream->append(std::move(message), true, about.error_code);
        return;
      }
      if (!it->second.json_only) {
        stream->append(std::move(message), false);
        return;
      }
    }
  }
  if (auto target = standalone_target_locked()) {
    target->append(std::move(message), false);
    return;
  }
  held_.push_back(std::move(message));
  if (held_.size() > options_.replay_events) {
    held_.pop_front();
    log::warn("no GET stream connected: dropped the oldest held server message",
              {{"session", loggable_session_id(id_)}, {"limit", std::to_string(options_.replay_events)}});
  }
}

void HttpSession::unanswered(const std::string& related) {
  std::lock_guard lock(mutex_);
  if (auto it = routes_.find(related); it != routes_.end()) {
    auto stream = it->second.stream;
    release_route_locked(it);
    stream->end();
  }
}

std::shared_ptr<EventStream> HttpSession::standalone_target_locked() const {
  // The newest connected GET stream: a client that opened several reads
  // each message on exactly one of them.
  for (auto it = streams_.rbegin(); it != streams_.rend(); ++it)
    if (it->second->kind() == EventStream::Kind::standalone && it->second->attached()) return it->second;
  return nullptr;
}

HttpSession::Reader HttpSession::attach(const std::shared_ptr<EventStream>& stream) {
  std::lock_guard lock(mutex_);
  last_activity_ = Clock::now();
  return Reader{stream, stream->attach(), 0};
}

HttpSession::Reader HttpSession::open_standalone() {
  std::lock_guard lock(mutex_);
  last_activity_ = Clock::now();
  auto stream = new_stream_locked(EventStream::Kind::standalone);
  Reader reader{stream, stream->attach(), 0};
  while (!held_.empty()) {
    stream->append(std::move(held_.front()), false);
    held_.pop_front();
  }
  prune_locked();
  return reader;
}

std::optional<HttpSession::Reader> HttpSession::resume(std::string_view last_event_id) {
  std::uint64_t number = 0;
  std::uint64_t seq = 0;
  if (!EventStream::parse_event_id(last_event_id, number, seq)) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = streams_.find(number);
  if (it == streams_.end()) return std::nullopt;
  last_activity_ = Clock::now();
  auto stream = it->second;
  Reader reader{stream, stream->attach(), seq};
  if (stream->kind() == EventStream::Kind::standalone) {
    while (!held_.empty()) {
      stream->append(std::move(held_.front()), false);
      held_.pop_front();
    }
  }
  return reader;
}

void HttpSession::detach(const Reader& reader) {
  reader.stream->detach(reader.generation);
  std::lock_guard lock(mutex_);
  last_activity_ = Clock::now();
  prune_locked();
}

void HttpSession::forget(const std::shared_ptr<EventStream>& stream) {
  std::lock_guard lock(mutex_);
  streams_.erase(stream->number());
}

void HttpSession::prune_locked() {
  std::size_t idle = 0;
  for (auto it = streams_.begin(); it != streams_.end();) {
    const auto& stream = it->second;
    if (stream->attached()) {
      ++it;
      continue;
    }
    if (stream->fully_delivered()) {
      it = streams_.erase(it);
      continue;
    }
    if (stream->kind() == EventStream::Kind::standalone || stream->finished()) ++idle;
    ++it;
  }
  // Oldest first: streams_ is ordered by number.
  for (auto it = streams_.begin(); idle > kRetainedIdleStreams && it != streams_.end();) {
    const auto& stream = it->second;
    const bool evictable =
        !stream->attached() && (stream->kind() == EventStream::Kind::standalone || stream->finished());
    if (evictable) {
      it = streams_.erase(it);
      --idle;
    } else {
      ++it;
    }
  }
}

void HttpSession::touch() {
  std::lock_guard lock(mutex_);
  last_activity_ = Clock::now();
}

bool HttpSession::idle_longer_than(std::chrono::milliseconds timeout) const {
  std::lock_guard lock(mutex_);
  if (!routes_.empty()) return false;
  for (const auto& [number, stream] : streams_)
    if (stream->attached()) return false;
  return Clock::now() - last_activity_ > timeout;
}

HttpSession::Clock::time_point HttpSession::last_activity() const {
  std::lock_guard lock(mutex_);
  return last_activity_;
}

std::size_t HttpSession::streams() const {
  std::lock_guard lock(mutex_);
  return streams_.size();
}

bool HttpSession::running() const {
  std::lock_guard lock(mutex_);
  return !routes_.empty();
}

void HttpSession::close(std::chrono::milliseconds deadline) {
  if (closed_.exchange(true)) return;
  protocol_->close(deadline);
  std::lock_guard lock(mutex_);
  for (auto& [number, stream] : streams_) stream->end();
  routes_.clear();
  counted_calls_ = 0;
  held_.clear();
}

}  // namespace mcpd::transport::http
