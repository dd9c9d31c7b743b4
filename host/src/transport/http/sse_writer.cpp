#include "transport/http/sse_writer.hpp"

#include <algorithm>

#include "log/logger.hpp"
#include "transport/http/current_connection.hpp"
#include "transport/http/session_id.hpp"
#include "transport/http/sse_format.hpp"

namespace mcpd::transport::http {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kLivenessCheck{1000};

// Lives as long as the response's content provider; its destructor is where
// the connection lets go of the stream.
class SseConnection {
 public:
  SseConnection(std::shared_ptr<HttpSession> session, HttpSession::Reader reader, SseOptions options)
      : session_(std::move(session)),
        reader_(std::move(reader)),
        options_(std::move(options)),
        close_at_(options_.close_after.count() > 0 ? Clock::now() + options_.close_after
                                                   : Clock::time_point::max()) {}

  ~SseConnection() {
    session_->detach(reader_);
    if (options_.on_finished) options_.on_finished();
  }

  SseConnection(const SseConnection&) = delete;
  SseConnection& operator=(const SseConnection&) = delete;

  // One round of the provider: false when the connection broke.
  bool pump(httplib::DataSink& sink) {
    auto& stream = *reader_.stream;
    if (!primed_) {
      primed_ = true;
      if (options_.priming && !write(sink, sse_event(stream.event_id(reader_.after_seq), "", options_.retry)))
        return false;
    }
    const auto now = Clock::now();
    // A stream may stay quiet for long (a listen with nothing to say): look
    // at the connection every second, so a client that went away gives its
    // thread and connection slot back now rather than at the next keep-alive.
    const auto until = std::min({close_at_, now + options_.keepalive, now + kLivenessCheck});
    auto batch = stream.next(reader_.generation, reader_.after_seq, until);
    if (batch.superseded) {  // a reconnection took over: this response just ends
      sink.done();
      return true;
    }
    if (batch.lost > 0)
      log::warn("SSE resumption: events left the replay buffer before the client saw them",
                {{"session", loggable_session_id(session_->id())},
                 {"lost", std::to_string(batch.lost)},
                 {"hint", "raise http.sse_replay_events"}});
    for (const auto& event : batch.events) {
      if (!write(sink,
                 sse_event(options_.event_ids ? stream.event_id(event.seq) : std::string(), event.data)))
        return false;
      reader_.after_seq = event.seq;
      stream.mark_delivered(event.seq);
      if (event.final) {
        sink.done();
        return true;
      }
    }
    if (batch.ended) {
      sink.done();
      return true;
    }
    if (Clock::now() >= close_at_) {
      // The 2025-11-25 polling behaviour: the stream goes on, this
      // connection does not; the client comes back with Last-Event-ID.
      if (!write(sink, sse_retry(options_.retry))) return false;
      sink.done();
      return true;
    }
    if (batch.events.empty()) {
      if (!client_connected()) return false;
      if (Clock::now() >= last_write_ + options_.keepalive) {
        if (!write(sink, sse_comment("keep-alive"))) return false;
      }
    }
    return true;
  }

 private:
  bool write(httplib::DataSink& sink, const std::string& text) {
    last_write_ = Clock::now();
    return sink.write(text.data(), text.size());
  }

  std::shared_ptr<HttpSession> session_;
  HttpSession::Reader reader_;
  SseOptions options_;
  Clock::time_point close_at_;
  bool primed_ = false;
  Clock::time_point last_write_ = Clock::now();
};

}  // namespace

void write_event_stream(httplib::Response& res, std::shared_ptr<HttpSession> session,
                        HttpSession::Reader reader, SseOptions options) {
  auto connection =
      std::make_shared<SseConnection>(std::move(session), std::move(reader), std::move(options));
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  // A buffering proxy (nginx by default) would hold events back until the
  // response ends; progress and listen notifications must arrive as they happen.
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider("text/event-stream", [connection](std::size_t, httplib::DataSink& sink) {
    return connection->pump(sink);
  });
}

}  // namespace mcpd::transport::http
