#include "registry/pagination.hpp"

#include <charconv>

#include "util/base64.hpp"

namespace mcpd::registry {
namespace {
constexpr std::string_view kPrefix = "mcpd-offset:";
}

std::string encode_cursor(std::size_t offset) {
  return base64_encode(std::string(kPrefix) + std::to_string(offset));
}

std::optional<std::size_t> decode_cursor(std::string_view cursor) {
  auto text = base64_decode(cursor);
  if (!text || text->size() <= kPrefix.size() || text->compare(0, kPrefix.size(), kPrefix) != 0)
    return std::nullopt;
  std::size_t offset = 0;
  const char* first = text->data() + kPrefix.size();
  const char* last = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(first, last, offset);
  if (ec != std::errc{} || ptr != last) return std::nullopt;
  return offset;
}

std::optional<Page> paginate(std::size_t total, std::optional<std::string_view> cursor,
                             std::size_t page_size) {
  if (page_size == 0) page_size = 1;
  std::size_t begin = 0;
  if (cursor) {
    auto offset = decode_cursor(*cursor);
    if (!offset || *offset > total) return std::nullopt;
    begin = *offset;
  }
  Page page;
  page.begin = begin;
  page.end = begin + page_size < total ? begin + page_size : total;
  if (page.end < total) page.next_cursor = encode_cursor(page.end);
  return page;
}

}  // namespace mcpd::registry
