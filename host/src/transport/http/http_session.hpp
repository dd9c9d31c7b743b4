#pragma once
// One MCP session as Streamable HTTP sees it: a protocol::Session plus the
// SSE streams its messages travel on. Every outgoing message is routed by the
// request it belongs to (the Sink's `related` key): to that request's POST
// stream, or, for messages that belong to no request, to the newest GET
// stream that is connected (held back until one connects). A stateless
// exchange uses the same machinery with an empty id and a single request.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "protocol/server_context.hpp"
#include "protocol/session.hpp"
#include "transport/http/event_stream.hpp"

namespace mcpd::transport::http {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    std::size_t replay_events = 512;  // per stream
    std::size_t max_calls = 32;       // concurrent counted requests
  };

  // `id` is empty for a stateless exchange.
  static std::shared_ptr<HttpSession> create(protocol::ServerContext& context, std::string id,
                                             Options options);
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  const std::string& id() const { return id_; }
  protocol::Session& protocol() { return *protocol_; }

  enum class OpenStatus { opened, id_in_use, too_many_calls, closed };
  struct Opened {
    OpenStatus status;
    std::shared_ptr<EventStream> stream;
  };
  // Registers the stream of the request with id key `key` before the request
  // is delivered, so nothing it produces can miss it. `counted` requests are
  // limited to Options::max_calls at a time. With `json_only` (the client
  // cannot read SSE) only the response goes to the stream; the request's
  // other messages go where messages of no request go.
  Opened open_request(const std::string& key, bool counted, bool json_only);
  // One POST body, parsed once by the endpoint, for the protocol session.
  void deliver(jsonrpc::ParsedLine message);

  // A connection reading a stream.
  struct Reader {
    std::shared_ptr<EventStream> stream;
    std::uint64_t generation = 0;
    std::uint64_t after_seq = 0;  // resume after this event
  };
  Reader attach(const std::shared_ptr<EventStream>& stream);
  // A new GET stream; it becomes the home of messages that belong to no request.
  Reader open_standalone();
  // Continues the stream `last_event_id` belongs to, superseding any
  // connection still reading it; nullopt when the id is unknown or evicted.
  std::optional<Reader> resume(std::string_view last_event_id);
  void detach(const Reader& reader);
  // A request stream whose response went out as a plain JSON body.
  void forget(const std::shared_ptr<EventStream>& stream);

  void touch();
  // No request running, no stream connected, and no activity for `timeout`.
  bool idle_longer_than(std::chrono::milliseconds timeout) const;
  // When the session last saw a request or a stream (for least-recently-used eviction).
  Clock::time_point last_activity() const;
  std::size_t streams() const;
  // Some request has not produced its response yet.
  bool running() const;

  // Closes the protocol session (in-flight calls get up to `deadline`), then
  // ends every stream. Idempotent.
  void close(std::chrono::milliseconds deadline);
  bool closed() const { return closed_.load(); }

 private:
  HttpSession(std::string id, Options options);

  struct Route {
    std::shared_ptr<EventStream> stream;
    bool counted;
    bool json_only;
  };

  void route(std::string message, const protocol::Outgoing& about);
  void unanswered(const std::string& related);
  std::shared_ptr<EventStream> standalone_target_locked() const;
  std::shared_ptr<EventStream> new_stream_locked(EventStream::Kind kind);
  void release_route_locked(std::map<std::string, Route>::iterator it);
  void prune_locked();

  const std::string id_;
  const Options options_;
  std::shared_ptr<protocol::Session> protocol_;

  mutable std::mutex mutex_;
  std::map<std::string, Route> routes_;  // request id key -> its stream, until its response
  std::map<std::uint64_t, std::shared_ptr<EventStream>> streams_;
  std::deque<std::string> held_;  // messages of no request while no GET stream is connected
  std::uint64_t next_stream_ = 1;
  std::size_t counted_calls_ = 0;
  Clock::time_point last_activity_;
  std::atomic<bool> closed_{false};
};

}  // namespace mcpd::transport::http
