#include "semver.hpp"

#include <algorithm>
#include <charconv>

namespace mcpd::tracking {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool read_number(std::string_view text, long long& out) {
  if (text.empty() || text.size() > 15) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size() && out >= 0;
}

}  // namespace

std::optional<semver> parse_semver(std::string_view text) {
  text = trimmed(text);
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  text = text.substr(0, text.find_first_of("-+"));
  if (text.empty()) return std::nullopt;
  semver version{0, 0, 0};
  std::size_t part = 0;
  while (true) {
    const auto dot = text.find('.');
    if (part == 3) return std::nullopt;
    if (!read_number(text.substr(0, dot), version[part])) return std::nullopt;
    ++part;
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return version;
}

std::optional<semver_range> tilde_range(std::string_view pattern) {
  pattern = trimmed(pattern);
  if (pattern.starts_with('~')) pattern.remove_prefix(1);
  const auto low = parse_semver(pattern);
  if (!low) return std::nullopt;
  return semver_range{*low, {(*low)[0], (*low)[1] + 1, 0}};
}

std::optional<semver_range> caret_range(std::string_view pattern) {
  pattern = trimmed(pattern);
  if (pattern.starts_with('^')) pattern.remove_prefix(1);
  const auto low = parse_semver(pattern);
  if (!low) return std::nullopt;
  const auto [major, minor, patch] = *low;
  if (major > 0) return semver_range{*low, {major + 1, 0, 0}};
  if (minor > 0) return semver_range{*low, {0, minor + 1, 0}};
  return semver_range{*low, {0, 0, patch + 1}};
}

std::optional<semver_range> wildcard_range(std::string_view pattern) {
  pattern = trimmed(pattern);
  if (pattern.starts_with('v') || pattern.starts_with('V')) pattern.remove_prefix(1);
  while (pattern.ends_with(".*") || pattern.ends_with(".x") || pattern.ends_with(".X"))
    pattern.remove_suffix(2);
  if (pattern.empty() || pattern.find_first_of("*xX") != std::string_view::npos) return std::nullopt;
  const auto parts = 1 + std::count(pattern.begin(), pattern.end(), '.');
  const auto low = parse_semver(pattern);
  if (!low) return std::nullopt;
  if (parts == 1) return semver_range{*low, {(*low)[0] + 1, 0, 0}};
  if (parts == 2) return semver_range{*low, {(*low)[0], (*low)[1] + 1, 0}};
  return semver_range{*low, {(*low)[0], (*low)[1], (*low)[2] + 1}};
}

}  // namespace mcpd::tracking
