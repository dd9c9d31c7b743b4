#include "regex_patterns.hpp"

#include <re2/re2.h>

#include "property_match.hpp"

namespace mcpd::tracking {
namespace {

// RE2's own default is 8 MiB per program; a flag pattern needs a small fraction of that, and a pattern
// that does not fit (`(a{1000}){1000}`) is refused at compile time instead of matching slowly.
constexpr std::int64_t max_program_memory = 1 << 20;

// Nested property groups and cohorts are at most a few levels deep; JSON parsing already bounds depth, this
// only keeps the walk's own recursion bounded for definitions built in code.
constexpr int max_walk_depth = 64;

bool is_regex_operator(const boost::json::object& filter) {
  const auto* op = filter.if_contains("operator");
  return op != nullptr && op->is_string() && (op->get_string() == "regex" || op->get_string() == "not_regex");
}

}  // namespace

compiled_regex compile_regex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);  // the reason is reported with the flag, not written to stderr
  options.set_max_mem(max_program_memory);
  auto program = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!program->ok()) return {nullptr, program->error()};
  return {std::move(program), {}};
}

bool regex_finds(const compiled_regex& regex, std::string_view subject) {
  return regex.program != nullptr &&
         RE2::PartialMatch(re2::StringPiece(subject.data(), subject.size()), *regex.program);
}

void regex_patterns::compile_all_in(const boost::json::value& definitions) {
  auto walk = [this](auto&& self, const boost::json::value& node, int depth) -> void {
    if (depth > max_walk_depth) return;
    if (node.is_array()) {
      for (const auto& item : node.get_array()) self(self, item, depth + 1);
      return;
    }
    if (!node.is_object()) return;
    const auto& object = node.get_object();
    if (is_regex_operator(object)) {
      const auto* value = object.if_contains("value");
      const std::string pattern = value != nullptr ? property_text(*value) : std::string();
      if (!by_text_.contains(pattern)) by_text_.emplace(pattern, compile_regex(pattern));
    }
    for (const auto& [key, child] : object) self(self, child, depth + 1);
  };
  walk(walk, definitions, 0);
}

const compiled_regex* regex_patterns::find(std::string_view pattern) const {
  const auto found = by_text_.find(std::string(pattern));
  return found == by_text_.end() ? nullptr : &found->second;
}

}  // namespace mcpd::tracking
