#pragma once
// One SSE stream of a session: either the messages of one POST request (its
// progress, log messages and server->client requests, then its response) or
// a standalone GET stream (messages that belong to no request). Events are
// numbered and kept in a bounded buffer, so a client whose connection broke
// (or that the server disconnected on purpose, the 2025-11-25 "polling"
// behaviour) can reconnect with Last-Event-ID and miss nothing.
//
// At most one HTTP connection reads a stream at a time: a reconnection
// supersedes the connection it replaces, so no message is written twice.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace mcpd::transport::http {

class EventStream {
 public:
  enum class Kind { request, standalone };
  using Clock = std::chrono::steady_clock;

  struct Event {
    std::uint64_t seq;
    std::string data;
    bool final;          // the response that ends a request stream
    int error_code = 0;  // of a final error response
  };

  struct Batch {
    std::vector<Event> events;  // in order, all after the cursor
    bool ended = false;         // nothing will ever follow `events`
    bool superseded = false;    // another connection took the stream over
    std::uint64_t lost = 0;     // events that left the replay buffer before this connection saw them
  };

  EventStream(std::uint64_t number, Kind kind, std::size_t replay_capacity);

  std::uint64_t number() const { return number_; }
  Kind kind() const { return kind_; }
  // "<stream>-<seq>": unique in the session and names its stream, so a
  // Last-Event-ID says which stream to resume and from where.
  std::string event_id(std::uint64_t seq) const;
  // Splits an event id back; false when it is not one of ours.
  static bool parse_event_id(std::string_view id, std::uint64_t& stream, std::uint64_t& seq);

  // Producer side (called with the owning session's lock held).
  void append(std::string data, bool final, int error_code = 0);
  void end();  // no (more) response will come: cancelled, or the session is gone

  // Consumer side. attach() returns the connection's generation.
  std::uint64_t attach();
  void detach(std::uint64_t generation);
  bool attached() const;

  // The events after `after_seq`; waits until there is at least one, the
  // stream ends, the connection is superseded, or `until`.
  Batch next(std::uint64_t generation, std::uint64_t after_seq, Clock::time_point until);
  // Records that the events up to `seq` reached a connection.
  void mark_delivered(std::uint64_t seq);

  // The final event was appended, or end() was called.
  bool finished() const;
  // Finished and every event reached a connection: nothing left to replay.
  bool fully_delivered() const;

 private:
  const std::uint64_t number_;
  const Kind kind_;
  const std::size_t capacity_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Event> buffer_;
  std::uint64_t last_seq_ = 0;
  std::uint64_t delivered_ = 0;
  bool finished_ = false;
  std::uint64_t generation_ = 0;
  bool attached_ = false;
};

}  // namespace mcpd::transport::http
