#include "structured_answer.hpp"

namespace mcpd::gemini {
namespace {

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string excerpt(std::string_view text) {
  std::string out(text.substr(0, 200));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out + (text.size() > 200 ? "..." : "");
}

}  // namespace

std::string_view without_code_fence(std::string_view text) {
  std::string_view body = trimmed(text);
  if (!body.starts_with("```") || !body.ends_with("```") || body.size() < 6) return text;
  body.remove_suffix(3);
  const auto line_end = body.find('\n');
  if (line_end == std::string_view::npos) return text;
  return trimmed(body.substr(line_end + 1));
}

answer_schema answer_schema::compile(const boost::json::object& schema) {
  try {
    return answer_schema(mcpd::schema::CompiledSchema::compile(boost::json::value(schema)));
  } catch (const mcpd::schema::SchemaError& e) {
    throw std::invalid_argument(e.what());
  }
}

boost::json::value answer_schema::check(std::string_view answer_text, std::string_view tool,
                                        std::string_view finish_reason) const {
  const std::string name(tool);
  boost::system::error_code ec;
  auto parsed = boost::json::parse(without_code_fence(answer_text), ec);
  if (ec) {
    std::string message =
        name + ": the model's answer is not valid JSON, although response_schema asked for it";
    if (finish_reason == "MAX_TOKENS" || finish_reason == "length") {
      message += " (it was cut off at max_output_tokens; raise it)";
    }
    throw std::runtime_error(message + ". Answer: \"" + excerpt(answer_text) + "\"");
  }
  const auto errors = compiled_.validate_all(parsed, 5);
  if (errors.empty()) return parsed;
  std::string message = name + ": the model's JSON answer does not match response_schema: ";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) message += "; ";
    message += errors[i].text();
  }
  throw std::runtime_error(message + ". Answer: \"" + excerpt(answer_text) +
                           "\". Ask again, or make the schema and question clearer.");
}

}  // namespace mcpd::gemini
