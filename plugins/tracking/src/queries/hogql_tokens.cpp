#include "hogql_tokens.hpp"

namespace mcpd::tracking {
namespace {

bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

bool is_word_part(char c) {
  return is_word_start(c) || (c >= '0' && c <= '9');
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The end of the quoted text that opens at `start` (text[start] is the quote): past the closing quote.
std::size_t quoted_end(std::string_view text, std::size_t start, std::string_view what) {
  const char quote = text[start];
  std::size_t i = start + 1;
  while (i < text.size()) {
    if (text[i] == '\\') {
      i += 2;  // an escape: the next character, whatever it is, belongs to the literal
    } else if (text[i] == quote) {
      if (i + 1 < text.size() && text[i + 1] == quote) {
        i += 2;  // a doubled quote stands for one quote
      } else {
        return i + 1;
      }
    } else {
      ++i;
    }
  }
  throw hogql_unterminated(std::string(what), std::string(1, quote), start);
}

}  // namespace

std::vector<hogql_token> hogql_tokens(std::string_view text) {
  std::vector<hogql_token> tokens;
  std::size_t i = 0;
  auto add = [&](hogql_token::kind type, std::size_t start, std::size_t end) {
    tokens.push_back(hogql_token{type, text.substr(start, end - start), start});
    i = end;
  };
  while (i < text.size()) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (is_space(c)) {
      ++i;
    } else if ((c == '-' && next == '-') || (c == '/' && next == '/')) {
      const auto end = text.find_first_of("\r\n", i);
      i = end == std::string_view::npos ? text.size() : end;
    } else if (c == '/' && next == '*') {
      const auto end = text.find("*/", i + 2);
      if (end == std::string_view::npos) throw hogql_unterminated("/* comment", "*/", i);
      i = end + 2;
    } else if (c == '\'') {
      add(hogql_token::kind::literal, i, quoted_end(text, i, "string literal"));
    } else if ((c == 'f' || c == 'F') && next == '\'') {
      add(hogql_token::kind::literal, i, quoted_end(text, i + 1, "string literal"));
    } else if (c == '`' || c == '"') {
      add(hogql_token::kind::literal, i, quoted_end(text, i, "quoted identifier"));
    } else if (is_word_part(c)) {
      std::size_t end = i + 1;
      while (end < text.size() && is_word_part(text[end])) ++end;
      add(hogql_token::kind::word, i, end);
    } else {
      add(hogql_token::kind::symbol, i, i + 1);
    }
  }
  return tokens;
}

std::string hogql_position(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {  // UTF-8 continuation bytes belong to the character before
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

bool is_keyword(const hogql_token& token, std::string_view keyword) {
  if (token.type != hogql_token::kind::word || token.text.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i) {
    if (lower(token.text[i]) != lower(keyword[i])) return false;
  }
  return true;
}

}  // namespace mcpd::tracking
