#include "jsonrpc/message.hpp"

namespace mcpd::jsonrpc {
namespace {

bool is_valid_id(const json::value& id) {
  return id.is_string() || id.is_int64() || id.is_uint64();
}

// What we can recover of an id for the error reply to an invalid request.
json::value recoverable_id(const json::object& obj) {
  if (auto it = obj.find("id"); it != obj.end() && is_valid_id(it->value())) return it->value();
  return nullptr;
}

std::string_view kind_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

}  // namespace

Message classify(json::value value) {
  if (!value.is_object())
    return Invalid{
        kInvalidRequest,
        "Invalid Request: a JSON-RPC message must be a JSON object, got " + std::string(kind_of(value)),
        nullptr};
  json::object& obj = value.get_object();
  json::value id = recoverable_id(obj);

  auto version = obj.find("jsonrpc");
  if (version == obj.end())
    return Invalid{kInvalidRequest, "Invalid Request: missing \"jsonrpc\": \"2.0\"", id};
  if (!version->value().is_string() || version->value().get_string() != "2.0")
    return Invalid{kInvalidRequest, "Invalid Request: \"jsonrpc\" must be the string \"2.0\"", id};

  auto id_it = obj.find("id");
  bool has_id = id_it != obj.end();
  if (has_id && !is_valid_id(id_it->value()))
    return Invalid{
        kInvalidRequest,
        "Invalid Request: \"id\" must be a string or an integer, got " + std::string(kind_of(id_it->value())),
        nullptr};

  auto method = obj.find("method");
  if (method == obj.end()) {
    // No method: a response to a request we sent.
    if (!has_id)
      return Invalid{kInvalidRequest, "Invalid Request: a message needs \"method\" or \"id\"", nullptr};
    Response r{id_it->value(), std::nullopt, std::nullopt};
    if (auto res = obj.find("result"); res != obj.end()) r.result = std::move(res->value());
    if (auto err = obj.find("error"); err != obj.end() && err->value().is_object())
      r.error = std::move(err->value().get_object());
    if (r.result.has_value() == r.error.has_value())
      return Invalid{kInvalidRequest,
                     "Invalid Request: a response needs exactly one of \"result\" or \"error\"", id};
    return r;
  }
  if (!method->value().is_string())
    return Invalid{
        kInvalidRequest,
        "Invalid Request: \"method\" must be a string, got " + std::string(kind_of(method->value())), id};

  json::object params;
  if (auto p = obj.find("params"); p != obj.end()) {
    if (p->value().is_object()) {
      params = std::move(p->value().get_object());
    } else if (!p->value().is_null()) {
      // JSON-RPC allows positional (array) params, but every MCP method takes named ones.
      return Invalid{kInvalidParams,
                     "Invalid params: \"params\" must be an object for MCP methods, got " +
                         std::string(kind_of(p->value())),
                     id};
    }
  }
  std::string name(method->value().get_string());
  if (!has_id) return Notification{std::move(name), std::move(params)};
  return Request{id_it->value(), std::move(name), std::move(params)};
}

ParsedLine parse_line(std::string_view line) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = kMaxMessageDepth;
  json::value value = json::parse(line, ec, {}, opts);
  if (ec == json::error::too_deep)
    return {std::nullopt,
            Invalid{kParseError,
                    "Parse error: the message nests deeper than " + std::to_string(kMaxMessageDepth) +
                        " levels of arrays and objects, the most accepted",
                    nullptr},
            true};
  if (ec)
    return {
        std::nullopt,
        Invalid{kParseError, "Parse error: the message is not valid JSON (" + ec.message() + ")", nullptr},
        false};
  if (value.is_array()) return {std::move(value.get_array()), Invalid{0, {}, nullptr}, false};
  return {std::nullopt, classify(std::move(value)), false};
}

json::object make_result(const json::value& id, json::value result) {
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json::object make_error(const json::value& id, int code, std::string_view message,
                        std::optional<json::value> data) {
  json::object error{{"code", code}, {"message", message}};
  if (data) error["data"] = std::move(*data);
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

json::object make_notification(std::string_view method, json::object params) {
  return json::object{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

json::object make_request(const json::value& id, std::string_view method, json::object params) {
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

std::string id_key(const json::value& id) {
  if (id.is_string()) return "s:" + std::string(id.get_string());
  return "i:" + json::serialize(id);
}

}  // namespace mcpd::jsonrpc
