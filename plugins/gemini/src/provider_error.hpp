// The exceptions the providers throw: what() is the whole message for the tool's caller, already
// actionable and free of secrets. Tool handlers turn them into an isError result.
#pragma once

#include <stdexcept>
#include <string>

namespace mcpd::gemini {

class provider_error : public std::runtime_error {
 public:
  explicit provider_error(std::string message) : std::runtime_error(std::move(message)) {}
};

// The provider does not offer the model asked for: Gemini answers generateContent with 404 NOT_FOUND for a
// withdrawn (or misspelled) model. what() is complete on its own; the tools replace it with a message that
// also lists the models available (tools/unknown_model.hpp), which takes another request.
class unknown_model_error : public provider_error {
 public:
  // `code` is " (HTTP 404 NOT_FOUND)", `said` the provider's quoted explanation (" Gemini said: ...").
  unknown_model_error(std::string message, std::string model, std::string code, std::string said)
      : provider_error(std::move(message)),
        model_(std::move(model)),
        code_(std::move(code)),
        said_(std::move(said)) {}

  const std::string& model() const { return model_; }
  const std::string& code() const { return code_; }
  const std::string& said() const { return said_; }

 private:
  std::string model_;
  std::string code_;
  std::string said_;
};

}  // namespace mcpd::gemini
