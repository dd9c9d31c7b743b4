// Every reader of a PostHog answer with a hostile body: /flags, /flags/definitions, the HogQL sessions query,
// FunnelsQuery results, recordings, error bodies and non-JSON bodies. Input: the body. A reader may refuse a
// shape (std::invalid_argument, upstream_error); it may not crash, hang or quote a secret.
#include <boost/json.hpp>

#include <mcpd/sdk/http/secrets.hpp>

#include "fuzz_input.hpp"

#include "flags/flag_definitions.hpp"
#include "flags/local_evaluator.hpp"
#include "flags/remote_flags.hpp"
#include "posthog/upstream_failure.hpp"
#include "queries/funnel_query.hpp"
#include "queries/recording_fields.hpp"
#include "queries/sessions_query.hpp"

using namespace mcpd::tracking;

namespace {

constexpr std::string_view secret = "phx_FUZZSECRET0123456789abcdef";

void require_no_secret(std::string_view message, std::string_view body) {
  if (mcpd_fuzz::leaks_secret(message, body, secret)) __builtin_trap();
}

funnel_request two_steps(bool breakdown) {
  funnel_request request;
  request.steps = {{"$pageview", "", {}}, {"signed_up", "Signed up", {}}};
  if (breakdown) request.breakdown_property = "$browser";
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  mcpd::sdk::http::secret_list secrets;
  secrets.add(secret);

  require_no_secret(error_detail(body, &secrets), body);
  const request_context context{
      "tracking.capture", "default", posthog_key::personal, "query:read", "", "", {}, &secrets};
  boost::json::value parsed;
  try {
    parsed = parse_json_body(context, body);
  } catch (const std::exception& error) {
    require_no_secret(error.what(), body);
    return 0;
  }

  try {
    (void)read_flags_answer(parsed);
  } catch (const std::exception&) {
  }
  if (parsed.is_object()) {
    const auto& object = parsed.get_object();
    try {
      (void)sessions_from_response(object);
    } catch (const std::exception&) {
    }
    for (const bool breakdown : {false, true}) {
      try {
        (void)funnel_result(two_steps(breakdown), object);
      } catch (const std::exception&) {
      }
    }
  }
  if (const auto* results = parsed.is_object() ? parsed.get_object().if_contains("results") : nullptr;
      results != nullptr && results->is_array()) {
    for (const auto& entry : results->get_array()) (void)recording_from_api(entry);
  }
  try {
    const auto definitions = flag_definitions::from_json(parsed);
    const flag_evaluation_input input{
        "user-1", {{"email", "a@b.c"}, {"plan", "pro"}}, {{"company", "acme"}}, {}};
    for (const auto& flag : definitions.flags) {
      if (flag.is_object()) (void)evaluate_flag_locally(flag.get_object(), definitions, input);
    }
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
