#include "registry/tool_names.hpp"

namespace mcpd::registry {
namespace {
bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}
}  // namespace

std::optional<std::string> check_namespace(std::string_view ns) {
  if (ns.empty() || ns.size() > 32)
    return "namespace \"" + std::string(ns) + "\" must be 1 to 32 characters long";
  for (char c : ns)
    if (!is_lower_alnum(c) && c != '_' && c != '-')
      return "namespace \"" + std::string(ns) + "\" may contain only a-z, 0-9, '_' and '-'";
  return std::nullopt;
}

std::optional<std::string> check_local_name(std::string_view name) {
  if (name.empty() || name.size() > 64)
    return "name \"" + std::string(name) + "\" must be 1 to 64 characters long";
  for (char c : name)
    if (!is_alnum(c) && c != '_' && c != '-')
      return "name \"" + std::string(name) + "\" may contain only A-Z, a-z, 0-9, '_' and '-'";
  return std::nullopt;
}

bool is_valid_separator(std::string_view s) {
  return s == "." || s == "_" || s == "-" || s == "__";
}

std::string qualified_name(std::string_view ns, std::string_view local) {
  std::string out;
  out.reserve(ns.size() + 1 + local.size());
  out.append(ns).append(kQualifiedSeparator).append(local);
  return out;
}

std::string published_name(std::string_view ns, std::string_view local, std::string_view separator,
                           bool unprefixed) {
  if (unprefixed) return std::string(local);
  std::string out;
  out.reserve(ns.size() + separator.size() + local.size());
  out.append(ns).append(separator).append(local);
  return out;
}

}  // namespace mcpd::registry
