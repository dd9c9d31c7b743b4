// mcpd::sdk::tool_result: what a tool handler returns (an MCP CallToolResult under construction).
#ifndef MCPD_SDK_TOOL_RESULT_HPP
#define MCPD_SDK_TOOL_RESULT_HPP

#include <mcpd/sdk/content.hpp>
#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/json_serialize.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpd::sdk {

/// Content blocks in order, an optional structuredContent and an optional isError mark.
///
///   return sdk::tool_result{}.text("done").structured({{"count", 3}});
///   return sdk::tool_result::error("no such session: 42");
///   return sdk::tool_result::structured_with_text({{"sum", 5}});
class tool_result {
 public:
  tool_result& text(std::string_view value) { return content(content_block(value)); }
  /// Raw bytes; the host does the base64.
  tool_result& image(std::span<const std::uint8_t> bytes, std::string_view mime_type) {
    return content(content_block::image(bytes, mime_type));
  }
  tool_result& audio(std::span<const std::uint8_t> bytes, std::string_view mime_type) {
    return content(content_block::audio(bytes, mime_type));
  }
  /// An embedded resource with text contents.
  tool_result& resource_text(std::string_view uri, std::string_view mime_type, std::string_view text) {
    return content(content_block::resource_text(uri, mime_type, text));
  }
  /// An embedded resource with binary contents.
  tool_result& resource_blob(std::string_view uri, std::string_view mime_type,
                             std::span<const std::uint8_t> bytes) {
    return content(content_block::resource_blob(uri, mime_type, bytes));
  }
  /// A ResourceLink: uri and name required; title, description, mimeType, size optional. Without "type".
  tool_result& resource_link(json::object link) {
    return content(content_block::resource_link(std::move(link)));
  }
  /// Any ContentBlock as JSON (must have a "type").
  tool_result& content(json::object block) { return content(content_block(std::move(block))); }
  tool_result& content(content_block block) {
    blocks_.push_back(std::move(block));
    return *this;
  }
  /// structuredContent: an object matching the tool's outputSchema. Set twice, the last one wins.
  tool_result& structured(json::object value) {
    structured_ = std::move(value);
    return *this;
  }
  /// Marks the result isError:true and appends `message` as a text block.
  tool_result& fail(std::string_view message) {
    error_blocks_.push_back(blocks_.size());
    blocks_.emplace_back(message);
    return *this;
  }

  /// A result with isError:true and the message as text.
  [[nodiscard]] static tool_result error(std::string_view message) { return tool_result{}.fail(message); }
  /// structuredContent plus its serialization as a text block (what MCP asks of tools with an
  /// outputSchema, for clients that only read content).
  [[nodiscard]] static tool_result structured_with_text(json::object value) {
    tool_result result;
    result.text(to_json_text(value));
    result.structured(std::move(value));
    return result;
  }

  // Read access, for the SDK and for unit tests of handlers.
  const std::vector<content_block>& blocks() const noexcept { return blocks_; }
  const std::optional<json::object>& structured_content() const noexcept { return structured_; }
  bool is_error() const noexcept { return !error_blocks_.empty(); }
  /// Whether blocks()[index] is an error message added by fail()/error().
  bool is_error_message(std::size_t index) const noexcept {
    return std::find(error_blocks_.begin(), error_blocks_.end(), index) != error_blocks_.end();
  }

 private:
  std::vector<content_block> blocks_;
  std::optional<json::object> structured_;
  std::vector<std::size_t> error_blocks_;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_TOOL_RESULT_HPP
