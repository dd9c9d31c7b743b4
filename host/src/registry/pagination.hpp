#pragma once
// Cursor pagination for the */list methods. Cursors are opaque to clients; a
// cursor we did not issue is invalid params (-32602).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mcpd::registry {

struct Page {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::optional<std::string> next_cursor;
};

std::string encode_cursor(std::size_t offset);
std::optional<std::size_t> decode_cursor(std::string_view cursor);

// nullopt when `cursor` is malformed or points past the end.
std::optional<Page> paginate(std::size_t total, std::optional<std::string_view> cursor,
                             std::size_t page_size);

}  // namespace mcpd::registry
