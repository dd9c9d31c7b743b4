// mcpd::sdk::resource_result: what a resource handler returns (ReadResourceResult.contents).
#ifndef MCPD_SDK_RESOURCE_RESULT_HPP
#define MCPD_SDK_RESOURCE_RESULT_HPP

#include <mcpd/sdk/content.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace mcpd::sdk {

/// The contents entries of a resources/read result, in order.
///   return sdk::resource_result{}.text(uri, "text/plain", "hello");
class resource_result {
 public:
  resource_result& text(std::string_view uri, std::string_view mime_type, std::string_view text) {
    contents_.push_back(content_block::resource_text(uri, mime_type, text));
    return *this;
  }
  /// Raw bytes; the host does the base64.
  resource_result& blob(std::string_view uri, std::string_view mime_type,
                        std::span<const std::uint8_t> bytes) {
    contents_.push_back(content_block::resource_blob(uri, mime_type, bytes));
    return *this;
  }

  /// Entries of kind resource_text or resource_blob.
  const std::vector<content_block>& contents() const noexcept { return contents_; }

 private:
  std::vector<content_block> contents_;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_RESOURCE_RESULT_HPP
