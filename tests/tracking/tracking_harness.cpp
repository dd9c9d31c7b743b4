#include "tracking_harness.hpp"

#include "tool_call_checks.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <optional>

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

json::object seen_in_browser(const ViewCheck& check) {
  mcpd_test::TempDir files;
  const auto view = files.write_file("view.html", check.html);
  const auto result = files.write_file("result.json", json::serialize(check.result));
  const auto input = files.write_file("input.json", json::serialize(check.input));
  std::filesystem::create_directories(MCPD_VIEW_ARTIFACTS_DIR);
  std::vector<std::string> argv = {MCPD_NODE_EXECUTABLE,
                                   MCPD_VIEW_CHECK_SCRIPT,
                                   "--chromium",
                                   MCPD_CHROMIUM,
                                   "--facts",
                                   check.facts,
                                   "--view",
                                   view.string(),
                                   "--result",
                                   result.string(),
                                   "--input",
                                   input.string(),
                                   "--theme",
                                   check.theme,
                                   "--screenshot",
                                   std::string(MCPD_VIEW_ARTIFACTS_DIR) + "/" + check.screenshot + ".png"};
  if (check.forward_to != nullptr) argv.emplace_back("--forward");
  argv.insert(argv.end(), check.extra.begin(), check.extra.end());
  mcpd_test::ChildProcess browser(argv);
  std::optional<json::object> seen;
  while (!seen) {
    const auto line = browser.read_line(std::chrono::seconds(120));
    if (!line) break;
    auto message = json::parse(*line).as_object();
    const auto* call = message.if_contains("call");
    if (call == nullptr) {
      seen = std::move(message);
      continue;
    }
    // The view's own tools/call goes to the running mcpd, as a host forwards it.
    const auto response =
        check.forward_to->request("tools/call", call->as_object(), std::chrono::seconds(60));
    json::object answer;
    if (const auto* ok = response.if_contains("result"))
      answer["result"] = *ok;
    else
      answer["error"] = response.at("error");
    browser.write_line(json::serialize(json::object{{"answer", std::move(answer)}}));
  }
  const auto exit_code = browser.wait_exit(std::chrono::seconds(30));
  INFO("view_check exited " << exit_code.value_or(-1) << "\nstderr:\n" << browser.stderr_text());
  if (exit_code == 77)
    FAIL(
        "the browser tests need chromium (Debian package) and `npm ci` in tests/views: scripts/test.sh does "
        "both");
  REQUIRE(exit_code == 0);
  REQUIRE(seen.has_value());
  return std::move(*seen);
}

std::string view_html(McpSession& session, std::string_view uri) {
  const auto read = session.request_result("resources/read", {{"uri", uri}});
  return std::string(read.at("contents").at(0).at("text").as_string());
}

const json::object& apps_capabilities() {
  static const json::object apps{{"extensions", {{"io.modelcontextprotocol/ui", json::object{}}}}};
  return apps;
}

}  // namespace tracking_test
