// The regex / not_regex flag operators: linear-time matching (RE2), patterns compiled once per set of
// definitions, and a pattern RE2 cannot take reported as that flag's evaluation error.
#include <catch2/catch.hpp>

#include <chrono>

#include "flags/flag_definitions.hpp"
#include "flags/local_evaluator.hpp"
#include "flags/property_match.hpp"

using namespace mcpd::tracking;
namespace json = boost::json;

namespace {

json::object regex_filter(std::string_view pattern, std::string_view op = "regex") {
  return {{"key", "path"}, {"value", pattern}, {"operator", op}, {"type", "person"}};
}

double seconds_to_match(std::string_view pattern, const std::string& subject, match_outcome expected) {
  const json::object properties{{"path", subject}};
  const auto start = std::chrono::steady_clock::now();
  const auto outcome = match_property(regex_filter(pattern), properties).outcome;
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  CHECK(outcome == expected);
  return elapsed.count();
}

flag_definitions definitions_with(json::array conditions, json::object cohorts = {}) {
  json::array flags{json::object{
      {"id", 1}, {"key", "regex-flag"}, {"active", true}, {"filters", {{"groups", std::move(conditions)}}}}};
  return flag_definitions::from_json(
      json::object{{"flags", std::move(flags)}, {"cohorts", std::move(cohorts)}});
}

}  // namespace

TEST_CASE("catastrophic patterns match in linear time", "[unit][regex]") {
  // With std::regex (backtracking) the first took 25 s and the second 6 s on this machine kind. The bound
  // is two orders of magnitude below that so a loaded CI machine cannot make it flaky.
  CHECK(seconds_to_match("(a|b)*c", std::string(10'000, 'a'), match_outcome::no_match) < 0.25);
  CHECK(seconds_to_match("^(a+)+b", std::string(26, 'a') + "!", match_outcome::no_match) < 0.25);
  CHECK(seconds_to_match("^(a|aa)+$", std::string(60'000, 'a'), match_outcome::match) < 0.25);
  CHECK(seconds_to_match("(x+x+)+y", std::string(5'000, 'x'), match_outcome::no_match) < 0.25);
}

TEST_CASE("regex operators search unanchored and case-sensitively, as PostHog does", "[unit][regex]") {
  const json::object properties{{"path", "/Docs/Intro"}};
  CHECK(match_property(regex_filter("Docs/"), properties).outcome == match_outcome::match);
  CHECK(match_property(regex_filter("docs/"), properties).outcome == match_outcome::no_match);
  CHECK(match_property(regex_filter("(?i)docs/"), properties).outcome == match_outcome::match);
  CHECK(match_property(regex_filter("^/Docs", "not_regex"), properties).outcome == match_outcome::no_match);
  CHECK(match_property(regex_filter("\\d+", "not_regex"), properties).outcome == match_outcome::match);
}

TEST_CASE("a pattern RE2 cannot take is an error that names the pattern and the reason", "[unit][regex]") {
  const json::object properties{{"path", "aa"}};
  for (const char* pattern : {"(a)\\1", "(?=a)a", "(unclosed", "(a{1000}){1000}"}) {
    INFO(pattern);
    const auto result = match_property(regex_filter(pattern), properties);
    CHECK(result.outcome == match_outcome::error);
    CHECK(result.why.find(std::string("\"") + pattern + "\"") != std::string::npos);
    CHECK(result.why.find("RE2") != std::string::npos);
  }
  const json::object huge{{"path", std::string(max_regex_subject_bytes + 1, 'a')}};
  const auto too_long = match_property(regex_filter("a"), huge);
  CHECK(too_long.outcome == match_outcome::error);
  CHECK(too_long.why.find(std::to_string(max_regex_subject_bytes)) != std::string::npos);
}

TEST_CASE("patterns are compiled once, when the definitions are read", "[unit][regex]") {
  const json::object cohort{
      {"type", "OR"},
      {"values",
       json::array{json::object{{"type", "AND"}, {"values", json::array{regex_filter("^cohort-")}}}}}};
  const auto definitions = definitions_with(
      json::array{json::object{
          {"properties",
           json::array{regex_filter("^/docs"), regex_filter("^/docs", "not_regex"), regex_filter("(a)\\1")}},
          {"rollout_percentage", 100}}},
      json::object{{"7", cohort}});
  CHECK(definitions.patterns.size() == 3);
  const auto* docs = definitions.patterns.find("^/docs");
  REQUIRE(docs != nullptr);
  CHECK(docs->program != nullptr);
  REQUIRE(definitions.patterns.find("^cohort-") != nullptr);
  const auto* refused = definitions.patterns.find("(a)\\1");
  REQUIRE(refused != nullptr);
  CHECK(refused->program == nullptr);
  CHECK_FALSE(refused->error.empty());
  CHECK(definitions.patterns.find("not-in-the-definitions") == nullptr);
}

TEST_CASE("a flag whose pattern RE2 refuses reports an evaluation error, not a guess", "[unit][regex]") {
  const auto definitions = definitions_with(json::array{
      json::object{{"properties", json::array{regex_filter("^/docs")}}, {"rollout_percentage", 100}},
      json::object{{"properties", json::array{regex_filter("(?<=x)y")}}, {"rollout_percentage", 100}}});
  flag_evaluation_input input{"user-1", {{"path", "/blog"}}, {}, {}};
  const auto result = evaluate_flag_locally(*definitions.find("regex-flag"), definitions, input);
  CHECK(result.decided);
  CHECK_FALSE(result.enabled);
  CHECK(result.reason == "evaluation_error");
  CHECK(result.error.find("release condition 1") != std::string::npos);
  CHECK(result.error.find("(?<=x)y") != std::string::npos);

  // The first condition still decides when it matches: conditions are tried in order.
  input.person_properties["path"] = "/docs/intro";
  const auto matched = evaluate_flag_locally(*definitions.find("regex-flag"), definitions, input);
  CHECK(matched.enabled);
  CHECK(matched.reason == "condition_match");
}
