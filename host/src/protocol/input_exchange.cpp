#include "protocol/input_exchange.hpp"

#include <algorithm>
#include <vector>

#include <mcpd/sdk/json_serialize.hpp>

#include "bridge/invoker.hpp"
#include "protocol/era.hpp"

namespace mcpd::protocol {
namespace json = boost::json;
using bridge::RpcError;

namespace {

void write_canonical(const json::value& value, std::string& out) {
  if (!value.is_object()) {
    if (value.is_string()) {
      sdk::detail::append_json_string(out, value.get_string());  // Boost.JSON's spelling, copied once
      return;
    }
    if (!value.is_array()) {
      out += json::serialize(value);
      return;
    }
    out += '[';
    bool first = true;
    for (const auto& item : value.get_array()) {
      if (!first) out += ',';
      first = false;
      write_canonical(item, out);
    }
    out += ']';
    return;
  }
  std::vector<const json::key_value_pair*> members;
  for (const auto& member : value.get_object()) members.push_back(&member);
  std::sort(members.begin(), members.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
  out += '{';
  bool first = true;
  for (const auto* member : members) {
    if (!first) out += ',';
    first = false;
    sdk::detail::append_json_string(out, member->key());
    out += ':';
    write_canonical(member->value(), out);
  }
  out += '}';
}

}  // namespace

std::string canonical_json(const json::value& value) {
  std::string out;
  write_canonical(value, out);
  return out;
}

mrtr::StateBinding binding_for(const jsonrpc::Request& request, const std::string& plugin_version,
                               const std::string& principal) {
  mrtr::StateBinding binding;
  binding.target = request.method;
  for (const char* key : {"name", "uri"})
    if (const auto* v = request.params.if_contains(key); v != nullptr && v->is_string()) {
      binding.target += " " + std::string(v->get_string());
      break;
    }
  // Absent and null arguments are the same request as {}.
  const auto* arguments = request.params.if_contains("arguments");
  static const json::value kNoArguments = json::object{};
  const json::value& args = arguments == nullptr || arguments->is_null() ? kNoArguments : *arguments;
  binding.arguments_digest = mrtr::StateSeal::digest_arguments(canonical_json(args));
  binding.plugin_version = plugin_version;
  binding.principal = principal;
  return binding;
}

RetryInput read_retry(const json::object& params, mrtr::StateSeal& seal, const mrtr::StateBinding& binding) {
  RetryInput retry;
  if (const auto* responses = params.if_contains("inputResponses")) {
    if (!responses->is_object())
      throw RpcError(jsonrpc::kInvalidParams,
                     "Invalid params: \"inputResponses\" must be an object of answers, keyed like the "
                     "inputRequests they answer");
    for (const auto& [key, answer] : responses->get_object())
      if (!answer.is_object())
        throw RpcError(jsonrpc::kInvalidParams,
                       "Invalid params: inputResponses[\"" + std::string(key.substr(0, 64)) +
                           "\"] must be an object (the result of the request it answers)");
    retry.responses_json = json::serialize(*responses);
  }
  if (const auto* state = params.if_contains("requestState")) {
    if (!state->is_string())
      throw RpcError(jsonrpc::kInvalidParams,
                     "Invalid params: \"requestState\" must be the string the server sent, unchanged");
    auto opened = seal.open(state->get_string(), binding);
    if (auto* refused = std::get_if<mrtr::UnsealError>(&opened))
      throw RpcError(jsonrpc::kInvalidParams, "Invalid params: " + refused->reason);
    retry.state = std::get<mrtr::SealedContent>(std::move(opened));
  }
  return retry;
}

void throw_missing_capabilities(const json::object& required) {
  std::string names;
  for (const auto& [name, value] : required)
    names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  throw RpcError(kMissingClientCapability,
                 "Missing required client capability: this request needs " + names +
                     "; declare it in _meta[\"" + std::string(kMetaClientCapabilities) + "\"] to use it",
                 json::object{{"requiredCapabilities", required}});
}

json::object input_required_result(const bridge::InputNeeded& input, const RequestContext& context,
                                   const mrtr::StateSeal& seal, const mrtr::StateBinding& binding,
                                   const std::string& kind) {
  if (auto missing = bridge::missing_input_capabilities(input.requests, context.client_capabilities);
      !missing.empty())
    throw_missing_capabilities(missing);
  json::object result{{"resultType", "input_required"}, {"inputRequests", input.requests}};
  result["requestState"] = seal.seal(mrtr::SealedContent{input.state, kind}, binding, input.confidential);
  return result;
}

}  // namespace mcpd::protocol
