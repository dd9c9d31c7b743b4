#include "batch_plan.hpp"

namespace mcpd::tracking {

std::vector<event_range> plan_batches(const std::vector<std::size_t>& event_sizes, std::size_t envelope_bytes,
                                      std::size_t max_request_bytes) {
  std::vector<event_range> ranges;
  std::size_t begin = 0;
  std::size_t body = envelope_bytes;
  for (std::size_t i = 0; i < event_sizes.size(); ++i) {
    const std::size_t added = event_sizes[i] + (i > begin ? 1 : 0);  // the comma before it
    if (i > begin && body + added > max_request_bytes) {
      ranges.push_back({begin, i});
      begin = i;
      body = envelope_bytes + event_sizes[i];
    } else {
      body += added;
    }
  }
  if (begin < event_sizes.size()) ranges.push_back({begin, event_sizes.size()});
  return ranges;
}

std::vector<event_range> halve(const event_range& range) {
  if (range.size() < 2) return {range};
  const std::size_t middle = range.begin + range.size() / 2;
  return {{range.begin, middle}, {middle, range.end}};
}

}  // namespace mcpd::tracking
