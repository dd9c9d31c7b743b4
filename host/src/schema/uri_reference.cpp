#include "schema/uri_reference.hpp"

namespace mcpd::schema::detail {
namespace {

// RFC 3986, section 5.2.4: "." and ".." segments of a path, applied the way a browser would.
std::string remove_dot_segments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.starts_with("../")) {
      input.remove_prefix(3);
    } else if (input.starts_with("./")) {
      input.remove_prefix(2);
    } else if (input.starts_with("/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.starts_with("/../") || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      const std::size_t last = output.rfind('/');
      output.erase(last == std::string::npos ? 0 : last);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      const std::size_t next = input.find('/', input.front() == '/' ? 1 : 0);
      const std::size_t length = next == std::string_view::npos ? input.size() : next;
      output.append(input.substr(0, length));
      input.remove_prefix(length);
    }
  }
  return output;
}

// Section 5.2.3: a relative path is taken relative to the base path's directory.
std::string merge_paths(const UriParts& base, std::string_view path) {
  if (base.authority && base.path.empty()) return "/" + std::string(path);
  const std::size_t slash = base.path.rfind('/');
  if (slash == std::string_view::npos) return std::string(path);
  return std::string(base.path.substr(0, slash + 1)) + std::string(path);
}

std::string recompose(std::optional<std::string_view> scheme, std::optional<std::string_view> authority,
                      std::string_view path, std::optional<std::string_view> query,
                      std::optional<std::string_view> fragment) {
  std::string out;
  if (scheme) out.append(*scheme).append(":");
  if (authority) out.append("//").append(*authority);
  out.append(path);
  if (query) out.append("?").append(*query);
  if (fragment) out.append("#").append(*fragment);
  return out;
}

}  // namespace

UriParts split_uri(std::string_view s) {
  UriParts parts;
  const std::size_t scheme_end = s.find_first_of(":/?#");
  if (scheme_end != std::string_view::npos && scheme_end > 0 && s[scheme_end] == ':') {
    parts.scheme = s.substr(0, scheme_end);
    s.remove_prefix(scheme_end + 1);
  }
  if (s.starts_with("//")) {
    s.remove_prefix(2);
    const std::size_t end = s.find_first_of("/?#");
    parts.authority = s.substr(0, end);
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  }
  const std::size_t hash = s.find('#');
  if (hash != std::string_view::npos) {
    parts.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  const std::size_t question = s.find('?');
  if (question != std::string_view::npos) {
    parts.query = s.substr(question + 1);
    s = s.substr(0, question);
  }
  parts.path = s;
  return parts;
}

std::string resolve_uri(std::string_view base_text, std::string_view reference) {
  const UriParts ref = split_uri(reference);
  if (ref.scheme) {
    return recompose(ref.scheme, ref.authority, remove_dot_segments(ref.path), ref.query, ref.fragment);
  }
  const UriParts base = split_uri(base_text);
  if (ref.authority) {
    return recompose(base.scheme, ref.authority, remove_dot_segments(ref.path), ref.query, ref.fragment);
  }
  if (ref.path.empty()) {
    return recompose(base.scheme, base.authority, base.path, ref.query ? ref.query : base.query,
                     ref.fragment);
  }
  const std::string path = ref.path.front() == '/' ? remove_dot_segments(ref.path)
                                                   : remove_dot_segments(merge_paths(base, ref.path));
  return recompose(base.scheme, base.authority, path, ref.query, ref.fragment);
}

std::string_view without_fragment(std::string_view uri) {
  return uri.substr(0, uri.find('#'));
}

std::string_view fragment_of(std::string_view uri) {
  const std::size_t hash = uri.find('#');
  return hash == std::string_view::npos ? std::string_view{} : uri.substr(hash + 1);
}

}  // namespace mcpd::schema::detail
