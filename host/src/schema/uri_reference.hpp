// URI references as $id and $ref use them (RFC 3986): split into parts, resolved against a base. Pure string
// work; nothing here ever touches the network.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mcpd::schema::detail {

/// The five parts of RFC 3986, section 3 (appendix B's split: no validation of the characters).
struct UriParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

UriParts split_uri(std::string_view reference);

/// `reference` resolved against `base` (RFC 3986, section 5.2), dot segments removed. A base that is not
/// absolute (e.g. "" for a schema without "$id") still works: the result is then relative too.
std::string resolve_uri(std::string_view base, std::string_view reference);

/// The URI without its fragment ("http://x/a.json#/b" -> "http://x/a.json").
std::string_view without_fragment(std::string_view uri);

/// The fragment without "#", or "" when there is none.
std::string_view fragment_of(std::string_view uri);

}  // namespace mcpd::schema::detail
