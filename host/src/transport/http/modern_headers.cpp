#include "transport/http/modern_headers.hpp"

#include <mcpd/sdk/base64.hpp>

#include <cmath>

namespace mcpd::transport::http {
namespace json = boost::json;
using protocol::EnvelopeError;

namespace {

constexpr std::string_view kBase64Prefix = "=?base64?";
constexpr std::string_view kBase64Suffix = "?=";

EnvelopeError mismatch(std::string message) {
  return {protocol::kHeaderMismatch, "Header mismatch: " + std::move(message), nullptr};
}

std::string_view trim_ows(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// RFC 4648 base64 as SEP-2243 reads it: padded to a multiple of four, nothing but the alphabet (the
// SDK's decoder also takes unpadded text and skips whitespace, which a header value may not have).
std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0 || text.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return sdk::base64::decode(text);
}

// How a body value is spelled in its header: strings as they are, integers
// and booleans in their JSON form.
std::optional<std::string> header_form(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
      std::fabs(v.get_double()) < 9007199254740992.0)
    return std::to_string(static_cast<std::int64_t>(v.get_double()));
  return std::nullopt;
}

// Integers compare by value ("007" and 7 agree), everything else as text.
bool same_value(const json::value& body, std::string_view header) {
  if (body.is_int64() || body.is_uint64() || body.is_double()) {
    if (header.empty()) return false;
    std::size_t i = header[0] == '-' || header[0] == '+' ? 1 : 0;
    if (i == header.size()) return false;
    for (std::size_t k = i; k < header.size(); ++k)
      if (header[k] < '0' || header[k] > '9') return false;
    const double parsed = std::stod(std::string(header));
    const double expected = body.is_int64()    ? static_cast<double>(body.get_int64())
                            : body.is_uint64() ? static_cast<double>(body.get_uint64())
                                               : body.get_double();
    return parsed == expected;
  }
  auto form = header_form(body);
  return form && *form == header;
}

}  // namespace

std::optional<std::string> header_value(std::string_view raw) {
  for (char c : raw)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return std::nullopt;
  std::string_view v = trim_ows(raw);
  if (v.size() >= kBase64Prefix.size() + kBase64Suffix.size() && v.starts_with(kBase64Prefix) &&
      v.ends_with(kBase64Suffix))
    return decode_base64(
        v.substr(kBase64Prefix.size(), v.size() - kBase64Prefix.size() - kBase64Suffix.size()));
  return std::string(v);
}

std::optional<std::string> expected_name(std::string_view method, const json::object& params) {
  std::string_view key;
  if (method == "tools/call" || method == "prompts/get")
    key = "name";
  else if (method == "resources/read")
    key = "uri";
  else if (method.starts_with("tasks/"))
    key = "taskId";
  else
    return std::nullopt;
  const auto* v = params.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<EnvelopeError> mismatched_headers(const HeaderLookup& headers, std::string_view method,
                                                const json::object& params, std::string_view body_version) {
  if (auto raw = headers("MCP-Protocol-Version")) {
    auto v = header_value(*raw);
    if (!v || *v != body_version)
      return mismatch("the MCP-Protocol-Version header (\"" + (v ? *v : std::string("malformed")) +
                      "\") differs from _meta[\"" + std::string(protocol::kMetaProtocolVersion) + "\"] (\"" +
                      std::string(body_version) + "\"); send the same version in both");
  }
  if (auto raw = headers("Mcp-Method")) {
    auto v = header_value(*raw);
    if (!v || *v != method)
      return mismatch("the Mcp-Method header (\"" + (v ? *v : std::string("malformed")) +
                      "\") differs from the body's method (\"" + std::string(method) +
                      "\"); header values are case-sensitive");
  }
  if (auto raw = headers("Mcp-Name")) {
    auto v = header_value(*raw);
    auto expected = expected_name(method, params);
    if (!v || !expected || *v != *expected)
      return mismatch("the Mcp-Name header (\"" + (v ? *v : std::string("malformed")) +
                      "\") differs from the body (" +
                      (expected ? "\"" + *expected + "\""
                                : std::string("which names nothing for ") + std::string(method)) +
                      ")");
  }
  return std::nullopt;
}

std::optional<EnvelopeError> missing_headers(const HeaderLookup& headers, std::string_view method,
                                             const json::object& params) {
  if (!headers("MCP-Protocol-Version"))
    return mismatch("the MCP-Protocol-Version header is required on every 2026-07-28 request over HTTP");
  if (!headers("Mcp-Method"))
    return mismatch("the Mcp-Method header is required; send Mcp-Method: " + std::string(method));
  if (auto expected = expected_name(method, params); expected && !headers("Mcp-Name"))
    return mismatch("the Mcp-Name header is required for " + std::string(method) +
                    "; send Mcp-Name: " + *expected);
  return std::nullopt;
}

std::optional<EnvelopeError> mismatched_param_headers(const HeaderLookup& headers,
                                                      const json::object& input_schema,
                                                      const json::value& arguments) {
  const auto* properties = input_schema.if_contains("properties");
  if (properties == nullptr || !properties->is_object()) return std::nullopt;
  const json::object* args = arguments.is_object() ? &arguments.get_object() : nullptr;
  for (const auto& [name, property] : properties->get_object()) {
    if (!property.is_object()) continue;
    const auto* header = property.get_object().if_contains("x-mcp-header");
    if (header == nullptr || !header->is_string()) continue;
    const std::string header_name = "Mcp-Param-" + std::string(header->get_string());
    const json::value* body = args != nullptr ? args->if_contains(name) : nullptr;
    auto raw = headers(header_name);
    if (body == nullptr || body->is_null()) {
      // No value in the body: a header alone says something the body does not.
      if (raw)
        return mismatch("the " + header_name + " header is present but argument \"" + std::string(name) +
                        "\" is not; send both or neither");
      continue;
    }
    if (!raw)
      return mismatch("argument \"" + std::string(name) +
                      "\" is annotated with x-mcp-header, so it must also be sent as the " + header_name +
                      " header");
    auto v = header_value(*raw);
    if (!v)
      return mismatch("the " + header_name +
                      " header is malformed (control characters, or invalid base64 inside =?base64?...?=)");
    if (!same_value(*body, *v))
      return mismatch("the " + header_name + " header differs from argument \"" + std::string(name) + "\"");
  }
  return std::nullopt;
}

}  // namespace mcpd::transport::http
