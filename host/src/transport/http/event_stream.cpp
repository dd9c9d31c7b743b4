#include "transport/http/event_stream.hpp"

#include <charconv>

namespace mcpd::transport::http {

EventStream::EventStream(std::uint64_t number, Kind kind, std::size_t replay_capacity)
    : number_(number), kind_(kind), capacity_(replay_capacity == 0 ? 1 : replay_capacity) {}

std::string EventStream::event_id(std::uint64_t seq) const {
  return std::to_string(number_) + "-" + std::to_string(seq);
}

bool EventStream::parse_event_id(std::string_view id, std::uint64_t& stream, std::uint64_t& seq) {
  const auto dash = id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= id.size()) return false;
  auto parse = [](std::string_view text, std::uint64_t& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  };
  return parse(id.substr(0, dash), stream) && parse(id.substr(dash + 1), seq);
}

void EventStream::append(std::string data, bool final, int error_code) {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;  // nothing follows a response (or an ended stream)
    buffer_.push_back(Event{++last_seq_, std::move(data), final, error_code});
    if (final) finished_ = true;
    // The response itself is never evicted: it is what a reconnecting client waits for.
    while (buffer_.size() > capacity_ && !buffer_.front().final) buffer_.pop_front();
  }
  changed_.notify_all();
}

void EventStream::end() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  changed_.notify_all();
}

std::uint64_t EventStream::attach() {
  std::uint64_t generation;
  {
    std::lock_guard lock(mutex_);
    generation = ++generation_;
    attached_ = true;
  }
  changed_.notify_all();  // wakes the superseded connection
  return generation;
}

void EventStream::detach(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation == generation_) attached_ = false;
}

bool EventStream::attached() const {
  std::lock_guard lock(mutex_);
  return attached_;
}

EventStream::Batch EventStream::next(std::uint64_t generation, std::uint64_t after_seq,
                                     Clock::time_point until) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, until,
                      [&] { return generation != generation_ || finished_ || last_seq_ > after_seq; });
  Batch batch;
  if (generation != generation_) {
    batch.superseded = true;
    return batch;
  }
  for (const auto& event : buffer_)
    if (event.seq > after_seq) batch.events.push_back(event);
  const std::uint64_t first_kept = buffer_.empty() ? last_seq_ + 1 : buffer_.front().seq;
  if (first_kept > after_seq + 1) batch.lost = first_kept - after_seq - 1;
  batch.ended = finished_;
  return batch;
}

void EventStream::mark_delivered(std::uint64_t seq) {
  std::lock_guard lock(mutex_);
  if (seq > delivered_) delivered_ = seq;
}

bool EventStream::finished() const {
  std::lock_guard lock(mutex_);
  return finished_;
}

bool EventStream::fully_delivered() const {
  std::lock_guard lock(mutex_);
  return finished_ && delivered_ >= last_seq_;
}

}  // namespace mcpd::transport::http
