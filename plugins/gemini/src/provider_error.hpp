// The one exception the providers throw: what() is the whole message for the tool's caller, already
// actionable and free of secrets. Tool handlers turn it into an isError result.
#pragma once

#include <stdexcept>
#include <string>

namespace mcpd::gemini {

class provider_error : public std::runtime_error {
 public:
  explicit provider_error(std::string message) : std::runtime_error(std::move(message)) {}
};

}  // namespace mcpd::gemini
