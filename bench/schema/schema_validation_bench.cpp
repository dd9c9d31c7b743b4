// Validations per second of realistic tool arguments against tracking.funnels_run's input schema: what the
// host does before every tools/call. Several timed rounds; the median is the figure to compare.
//
//   schema_validation_bench [--seconds 1] [--rounds 7]
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "schema/validator.hpp"
#include "tool_definitions.hpp"

namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

namespace {

// Arguments an agent would send: three steps with filters, a window, a date range and a breakdown.
const char* const kValidArguments = R"({
  "steps": [
    {"event": "$pageview", "match": {"$current_url": "https://example.com/pricing"}},
    {"event": "signed_up", "label": "Signed up"},
    {"event": "subscribed", "match": {"plan": "pro", "seats": 5, "annual": true}}
  ],
  "window": {"interval": 14, "unit": "day"},
  "since": "-30d",
  "until": "2026-01-31T12:00:00Z",
  "order": "ordered",
  "breakdown": {"property": "$browser", "type": "event"},
  "filter_test_accounts": true,
  "instance": "default"
})";

// The same with one mistake deep inside, so the error path (message building) is measured too.
const char* const kInvalidArguments = R"({
  "steps": [
    {"event": "$pageview"},
    {"event": "signed_up", "match": {"plan": ["pro"]}}
  ],
  "since": "-30d"
})";

double validations_per_second(const mcpd::schema::CompiledSchema& schema, const json::value& instance,
                              bool expect_valid, double seconds) {
  const auto budget = std::chrono::duration<double>(seconds);
  const auto start = clock_type::now();
  long count = 0;
  auto elapsed = clock_type::duration{};
  do {
    for (int i = 0; i < 1000; ++i) {
      if (schema.validate(instance).has_value() == expect_valid) {
        std::fprintf(stderr, "unexpected validation result\n");
        std::exit(1);
      }
    }
    count += 1000;
    elapsed = clock_type::now() - start;
  } while (elapsed < budget);
  return static_cast<double>(count) / std::chrono::duration<double>(elapsed).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1.0;
  int rounds = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string option = argv[i];
    if (option == "--seconds") {
      seconds = std::atof(argv[i + 1]);
    } else if (option == "--rounds") {
      rounds = std::max(1, std::atoi(argv[i + 1]));
    } else {
      std::fprintf(stderr, "usage: %s [--seconds S] [--rounds N]\n", argv[0]);
      return 2;
    }
  }
  namespace definitions = mcpd::tracking::tool_definitions;
  const auto spec = definitions::load(definitions::files(mcpd::sdk::host{}), "funnels_run");
  const json::value input_schema(spec.input_schema);

  const auto compile_start = clock_type::now();
  const auto schema = mcpd::schema::CompiledSchema::compile(input_schema);
  const double compile_us =
      std::chrono::duration<double, std::micro>(clock_type::now() - compile_start).count();

  const json::value valid = json::parse(kValidArguments);
  const json::value invalid = json::parse(kInvalidArguments);
  std::vector<double> valid_rates, invalid_rates;
  for (int round = 0; round < rounds; ++round) {
    valid_rates.push_back(validations_per_second(schema, valid, true, seconds));
    invalid_rates.push_back(validations_per_second(schema, invalid, false, seconds));
  }
  std::printf("tracking.funnels_run inputSchema, %d rounds of %.1f s each (compiled once, in %.0f us)\n",
              rounds, seconds, compile_us);
  std::printf("  valid arguments:   median %9.0f validations/s  (%.2f us each; rounds:", median(valid_rates),
              1e6 / median(valid_rates));
  for (const double rate : valid_rates) std::printf(" %.0f", rate);
  std::printf(")\n  invalid arguments: median %9.0f validations/s  (%.2f us each, first error only)\n",
              median(invalid_rates), 1e6 / median(invalid_rates));
  return 0;
}
