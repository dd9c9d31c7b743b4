// mcpd::sdk::prompt_result: what a prompt handler returns (GetPromptResult).
#ifndef MCPD_SDK_PROMPT_RESULT_HPP
#define MCPD_SDK_PROMPT_RESULT_HPP

#include <mcpd/sdk/content.hpp>
#include <mcpd/sdk/input_required.hpp>

#include <string>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpd::sdk {

/// A prompt's messages, one content block each, and an optional description.
///   return sdk::prompt_result{}
///       .description("Asks for a review")
///       .user("Please review this code:")
///       .user(sdk::content_block::resource_text("file:///a.cpp", "text/x-c++", source))
///       .assistant("Sure.");
class prompt_result {
 public:
  prompt_result() = default;
  /// Not an answer yet: the client is asked first, and the handler is called again with what it said.
  prompt_result(input_required input) : input_(std::move(input)) {}  // NOLINT: implicit by design
  const std::optional<input_required>& input() const noexcept { return input_; }

  struct message {
    std::string role;  ///< "user" or "assistant"
    content_block content;
  };

  prompt_result& description(std::string_view text) {
    description_ = text;
    return *this;
  }
  prompt_result& user(content_block content) { return add("user", std::move(content)); }
  prompt_result& assistant(content_block content) { return add("assistant", std::move(content)); }

  const std::string& description() const noexcept { return description_; }
  const std::vector<message>& messages() const noexcept { return messages_; }

 private:
  prompt_result& add(std::string_view role, content_block content) {
    messages_.push_back(message{std::string(role), std::move(content)});
    return *this;
  }

  std::string description_;
  std::vector<message> messages_;
  std::optional<input_required> input_;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_PROMPT_RESULT_HPP
