#include "tracking_harness.hpp"

#include "tool_call_checks.hpp"

#include <boost/beast/core/detail/base64.hpp>

namespace tracking_test {

using mcpd_test::McpSession;

json::object tracking_section(const FakePosthog& fake, const json::object& overrides) {
  json::object section{
      {"instances", json::object{{"default", json::object{{"api_host", fake.base_url()},
                                                          {"project_api_key", FakePosthog::kProjectKey},
                                                          {"personal_api_key", FakePosthog::kPersonalKey},
                                                          {"timeout_ms", 3000}}}}},
      {"retry", json::object{{"max_attempts", 3}, {"initial_backoff_ms", 1}, {"max_backoff_ms", 50}}}};
  mcpd_test::merge_objects(section, overrides);
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

json::object local_files_config(const std::filesystem::path& dir, json::object extra) {
  json::object config{{"local_video_dirs", json::array{json::value(dir.string())}}};
  for (auto& [key, value] : extra) config[key] = value;
  return config;
}

std::vector<std::uint8_t> base64_bytes(std::string_view text) {
  namespace b64 = boost::beast::detail::base64;
  std::vector<std::uint8_t> bytes(b64::decoded_size(text.size()));
  const auto [written, read] = b64::decode(bytes.data(), text.data(), text.size());
  bytes.resize(written);
  return bytes;
}

bool leaks_secret(const std::string& text) {
  return text.find("fakeproject0123456789") != std::string::npos ||
         text.find("fakepersonal9876543210") != std::string::npos;
}

}  // namespace tracking_test
