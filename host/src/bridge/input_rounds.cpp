#include "bridge/input_rounds.hpp"

#include "bridge/invoker.hpp"

namespace mcpd::bridge {
namespace json = boost::json;

namespace {

json::object failure(RoundKind kind, const std::string& message) {
  if (kind == RoundKind::tool) return Invoker::error_result(message);
  throw RpcError(-32603, message);
}

}  // namespace

json::object run_answering_input(CallScope& scope, RoundKind kind, const HandlerRound& round) {
  for (int rounds = 1;; ++rounds) {
    json::object result = round(scope);
    auto input = scope.take_input_needed();
    if (!input) return result;
    if (rounds >= kMaxInputRounds)
      return failure(kind, "the handler asked the client for input " + std::to_string(kMaxInputRounds) +
                               " times without answering; mcpd stopped it");
    if (auto failed = answer_through_channel(scope, kind, *input)) return std::move(*failed);
  }
}

std::optional<json::object> answer_through_channel(CallScope& scope, RoundKind kind, InputNeeded& input) {
  ClientChannel* channel = scope.channel();
  if (channel == nullptr)
    return failure(kind, "the handler needs input from the client, and no MCP client is connected (e.g. "
                         "under `mcpd call`)");
  const auto missing = missing_input_capabilities(input.requests, channel->client_capabilities());
  if (!missing.empty()) {
    const std::string capability(missing.begin()->key());
    if (channel->modern()) scope.note_missing_capability(capability);  // -32021 for the outer request
    return failure(kind, "the handler needs input the client cannot give: it did not declare the \"" +
                             capability + "\" capability");
  }
  json::object answers;
  for (const auto& [key, request] : input.requests) {
    const auto& object = request.get_object();
    json::object params;
    if (const auto* p = object.if_contains("params"); p != nullptr) params = p->get_object();
    const std::string method(object.at("method").get_string());
    ClientReply reply =
        channel->request(method, std::move(params), scope.client_request_timeout(), scope.cancelled_flag());
    if (reply.status == MCPD_ERR_CANCELLED) return failure(kind, "the call was cancelled");
    if (reply.status != MCPD_OK)
      return failure(kind, "the client did not answer \"" + method + "\": " + reply.payload);
    boost::system::error_code ec;
    json::value answer = json::parse(reply.payload, ec);
    if (ec || !answer.is_object())
      return failure(kind, "the client's answer to \"" + method + "\" is not a JSON object");
    answers[key] = std::move(answer);
  }
  scope.set_input(json::serialize(answers), std::move(input.state));
  return std::nullopt;
}

}  // namespace mcpd::bridge
