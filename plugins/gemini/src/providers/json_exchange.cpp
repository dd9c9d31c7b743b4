#include "json_exchange.hpp"

#include <string>

#include "../provider_error.hpp"
#include "json_fields.hpp"

namespace mcpd::gemini {

boost::json::object json_object_of(const sdk::http::outcome& outcome, const failure_context& context,
                                   failure_describer describe, const unexpected_answer_text& unexpected) {
  if (!outcome.ok()) {
    throw provider_error(describe(context, outcome));
  }
  auto response = parse_object_body(outcome.reply->body);
  if (!response) {
    throw provider_error(context.tool + ": " + std::string(unexpected.answerer) + " answered" +
                         std::string(unexpected.what) + " with something that is not a JSON object (\"" +
                         body_excerpt(outcome.reply->body, context.secrets) + "\")." +
                         std::string(unexpected.hint));
  }
  return std::move(*response);
}

boost::json::object send_for_json_object(const sdk::http::client& client, const sdk::http::request& request,
                                         const sdk::http::call_hooks& hooks, const failure_context& context,
                                         failure_describer describe,
                                         const unexpected_answer_text& unexpected) {
  return json_object_of(client.send(request, hooks), context, describe, unexpected);
}

}  // namespace mcpd::gemini
