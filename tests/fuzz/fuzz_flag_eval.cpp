// Local feature-flag evaluation with hostile definitions and hostile caller properties: input is
// "<definitions JSON>\0<person properties JSON>\0<distinct id>". Regex operators (RE2), dates, semver,
// cohorts that nest or loop, variants that do not add up: every answer must come back (scripts/fuzz.sh runs
// with a per-input timeout, so a pattern that matched in super-linear time would be reported).
#include <boost/json.hpp>

#include "flags/flag_definitions.hpp"
#include "flags/local_evaluator.hpp"
#include "fuzz_input.hpp"

using namespace mcpd::tracking;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = mcpd_fuzz::split_input(data, size, 3);
  boost::system::error_code ec;
  auto definitions_json = boost::json::parse(parts[0], ec);
  if (ec) return 0;
  flag_evaluation_input input;
  input.distinct_id = parts.size() > 2 ? std::string(parts[2]) : "user-1";
  if (parts.size() > 1) {
    auto properties = boost::json::parse(parts[1], ec);
    if (!ec && properties.is_object()) input.person_properties = std::move(properties.get_object());
  }
  input.groups = {{"company", "acme"}};
  input.group_properties = {{"company", input.person_properties}};
  try {
    const auto definitions = flag_definitions::from_json(std::move(definitions_json));
    for (const auto& flag : definitions.flags) {
      if (flag.is_object()) (void)evaluate_flag_locally(flag.get_object(), definitions, input);
    }
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
