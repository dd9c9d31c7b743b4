// response_schema: the JSON Schema a structured answer must satisfy. It is compiled before anything is
// sent (an unusable schema costs no tokens), and the model's answer is parsed and validated against it
// with the host's own validator (host/src/schema, built into this plugin as gemini_schema), so
// answer_json always matches what the caller asked for.
//
// An answer that is not JSON, or JSON that violates the schema, is an isError result quoting the first
// violations and the start of the answer: a flagged success would invite callers to use data that does
// not have the promised shape.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "schema/validator.hpp"

namespace mcpd::gemini {

class answer_schema {
 public:
  // Throws std::invalid_argument saying why when `schema` is not a usable JSON Schema.
  static answer_schema compile(const boost::json::object& schema);

  // The answer parsed and validated. Throws std::runtime_error with the message for the caller (which
  // starts with `tool`) when it is not JSON or does not match. `finish_reason` explains truncated JSON.
  boost::json::value check(std::string_view answer_text, std::string_view tool,
                           std::string_view finish_reason) const;

 private:
  explicit answer_schema(mcpd::schema::CompiledSchema compiled) : compiled_(std::move(compiled)) {}
  mcpd::schema::CompiledSchema compiled_;
};

// The JSON inside a Markdown code fence (```json ... ```), which local models often add even when asked
// for JSON; `text` unchanged when it is not fenced.
std::string_view without_code_fence(std::string_view text);

}  // namespace mcpd::gemini
