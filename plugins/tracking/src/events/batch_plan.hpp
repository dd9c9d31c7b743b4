// Which events travel together: consecutive runs whose /batch/ request body stays under the size limit.
#pragma once

#include <cstddef>
#include <vector>

namespace mcpd::tracking {

struct event_range {
  std::size_t begin = 0;
  std::size_t end = 0;  // exclusive
  std::size_t size() const noexcept { return end - begin; }
  friend bool operator==(const event_range&, const event_range&) = default;
};

// Splits events (their serialized sizes, in order) into ranges whose body, `envelope_bytes` plus the events
// and the commas between them, is at most `max_request_bytes`. An event too big to fit with any other gets
// a range of its own (the server's 413 then says so). No event is dropped or reordered.
std::vector<event_range> plan_batches(const std::vector<std::size_t>& event_sizes, std::size_t envelope_bytes,
                                      std::size_t max_request_bytes);

// The two halves of a range PostHog refused as too large (413); a range of one event cannot be halved.
std::vector<event_range> halve(const event_range& range);

}  // namespace mcpd::tracking
