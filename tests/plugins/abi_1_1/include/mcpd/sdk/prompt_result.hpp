// mcpd::sdk::prompt_result: what a prompt handler returns (GetPromptResult).
#ifndef MCPD_SDK_PROMPT_RESULT_HPP
#define MCPD_SDK_PROMPT_RESULT_HPP

#include <mcpd/sdk/content.hpp>

#include <string>
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
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_PROMPT_RESULT_HPP
