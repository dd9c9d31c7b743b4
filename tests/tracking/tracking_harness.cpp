#include "tracking_harness.hpp"

#include "tool_call_checks.hpp"

namespace tracking_test {

using mcpd_test::McpSession;

namespace {

void merge(json::object& into, const json::object& from) {
  for (const auto& [key, value] : from) {
    auto* existing = into.if_contains(key);
    if (existing != nullptr && existing->is_object() && value.is_object()) {
      merge(existing->get_object(), value.get_object());
    } else {
      into[key] = value;
    }
  }
}

}  // namespace

json::object tracking_section(const FakePosthog& fake, const json::object& overrides) {
  json::object section{
      {"instances", json::object{{"default", json::object{{"api_host", fake.base_url()},
                                                          {"project_api_key", FakePosthog::kProjectKey},
                                                          {"personal_api_key", FakePosthog::kPersonalKey},
                                                          {"timeout_ms", 3000}}}}},
      {"retry", json::object{{"max_attempts", 3}, {"initial_backoff_ms", 1}, {"max_backoff_ms", 50}}}};
  merge(section, overrides);
  return section;
}

std::unique_ptr<McpSession> start_mcpd(const json::object& tracking, std::vector<std::string> environment) {
  return mcpd_test::start_shipped_plugins({{"tracking", tracking}}, {}, std::move(environment));
}

json::object call_ok(McpSession& session, const std::string& tool, const json::object& arguments) {
  return mcpd_test::structured_result_of(session, tool, arguments, leaks_secret);
}

std::string call_error(McpSession& session, const std::string& tool, const json::object& arguments) {
  return mcpd_test::error_text_of(session, tool, arguments, leaks_secret);
}

bool leaks_secret(const std::string& text) {
  return text.find("fakeproject0123456789") != std::string::npos ||
         text.find("fakepersonal9876543210") != std::string::npos;
}

}  // namespace tracking_test
