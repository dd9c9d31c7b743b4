// Asking which PostHog instance a call means, through `mcpd serve --stdio`: with several instances and no
// usable "default", a call that names none asks the user (elicitation) when its client can be asked, as a
// multi round-trip result for MCP 2026-07-28 clients and as an elicitation/create request the host sends
// for older ones; the chosen instance is the one used. Calls that name their instance, clients that cannot
// be asked and a usable "default" behave as before.

#include "response_checks.hpp"
#include "task_checks.hpp"
#include "test_videos.hpp"
#include "tool_call_checks.hpp"
#include "tracking_harness.hpp"

using namespace tracking_test;
using namespace video_fixtures;
using mcpd_test::McpSession;
using mcpd_test::modern;
using mcpd_test::result_of;
namespace fs = std::filesystem;

namespace {

const json::object elicitation{{"elicitation", json::object{}}};
const json::object elicitation_and_tasks{{"elicitation", json::object{}},
                                         {"extensions", {{"io.modelcontextprotocol/tasks", json::object{}}}}};

json::object instance_of(const FakePosthog& fake) {
  return json::object{{"api_host", fake.base_url()},
                      {"project_api_key", FakePosthog::kProjectKey},
                      {"personal_api_key", FakePosthog::kPersonalKey},
                      {"timeout_ms", 3000}};
}

// Two instances, "eu" and "us", and no "default".
json::object two_instances(const FakePosthog& eu, const FakePosthog& us, json::object extra = {}) {
  json::object section{
      {"instances", json::object{{"eu", instance_of(eu)}, {"us", instance_of(us)}}},
      {"retry", json::object{{"max_attempts", 2}, {"initial_backoff_ms", 1}, {"max_backoff_ms", 20}}}};
  for (auto& [key, value] : extra) section[key] = value;
  return section;
}

json::object recording(const std::string& id) {
  return json::object{{"id", id},
                      {"distinct_id", "alice"},
                      {"recording_duration", 60},
                      {"start_time", drf_time(now_ms() - 3'600'000)},
                      {"end_time", drf_time(now_ms() - 3'540'000)}};
}

json::object call_params(const std::string& tool, const json::object& arguments) {
  return json::object{{"name", tool}, {"arguments", arguments}};
}

std::vector<std::string> recording_ids(const json::object& structured) {
  std::vector<std::string> ids;
  for (const auto& r : structured.at("recordings").as_array()) ids.emplace_back(r.at("id").as_string());
  return ids;
}

const std::string question_text =
    "tracking_recordings_list needs a PostHog instance and the call named none (no instance is named "
    "\"default\"). Which one should it use? It can use: eu, us.";

const json::value choice_schema = json::parse(R"({"type":"object","properties":{"instance":{"type":"string",
    "title":"PostHog instance","description":"One of plugin_config.tracking.instances","enum":["eu","us"]}},
    "required":["instance"]})");

// Checks an input_required result that asks which instance; returns its requestState.
std::string expect_instance_question(const json::object& result, const std::string& question) {
  INFO(json::serialize(result));
  CHECK(result.at("resultType") == "input_required");
  const auto& requests = result.at("inputRequests").as_object();
  REQUIRE(requests.size() == 1);
  const auto& request = requests.at("posthog_instance").as_object();
  CHECK(request.at("method") == "elicitation/create");
  const auto& params = request.at("params").as_object();
  CHECK(params.at("mode") == "form");
  CHECK(params.at("message") == json::value(question));
  CHECK(params.at("requestedSchema") == choice_schema);
  REQUIRE(result.at("requestState").is_string());
  return std::string(result.at("requestState").as_string());
}

json::object retry_with(const std::string& tool, const json::object& arguments, const std::string& state,
                        json::object answer) {
  json::object params = call_params(tool, arguments);
  params["inputResponses"] = json::object{{"posthog_instance", std::move(answer)}};
  params["requestState"] = state;
  return params;
}

json::object accept(const std::string& instance) {
  return json::object{{"action", "accept"}, {"content", {{"instance", instance}}}};
}

bool is_request_for(const json::value& message, std::string_view method) {
  const auto* object = message.if_object();
  if (object == nullptr || !object->contains("id")) return false;
  const auto* name = object->if_contains("method");
  return name != nullptr && name->is_string() && name->as_string() == method;
}

// mcpd with the shipped plugins, initialized by a legacy client declaring `capabilities`.
std::unique_ptr<McpSession> start_legacy(const json::object& tracking, const json::object& capabilities) {
  mcpd_test::ServeOptions options;
  options.plugin_dirs = {mcpd_test::BuildPaths::shipped_plugins_dir()};
  options.config = json::object{{"plugin_config", {{"tracking", tracking}}}};
  auto session = std::make_unique<McpSession>(std::move(options));
  session->initialize("2025-11-25", capabilities);
  return session;
}

}  // namespace

TEST_CASE("a 2026-07-28 client is asked which instance, and the retry uses the one chosen",
          "[instances][input]") {
  FakePosthog eu;
  FakePosthog us;
  eu.add_recording(recording("eu-rec"));
  us.add_recording(recording("us-rec"));
  auto session = start_mcpd(two_instances(eu, us));
  const std::string tool = "tracking_recordings_list";

  const auto asked = result_of(session->request("tools/call", modern(call_params(tool, {}), elicitation)));
  const auto state = expect_instance_question(asked, question_text);
  CHECK(eu.request_count(kRecordings) + us.request_count(kRecordings) == 0);

  SECTION("accepted: the chosen instance answers") {
    const auto answered = result_of(
        session->request("tools/call", modern(retry_with(tool, {}, state, accept("us")), elicitation)));
    CHECK(answered.at("resultType") == "complete");
    CHECK_FALSE(mcpd_test::is_error_result(answered));
    CHECK(recording_ids(answered.at("structuredContent").as_object()) == std::vector<std::string>{"us-rec"});
    CHECK(us.request_count(kRecordings) == 1);
    CHECK(eu.request_count(kRecordings) == 0);
  }
  SECTION("declined: an error that says how to name one, and PostHog never called") {
    const auto declined = result_of(session->request(
        "tools/call", modern(retry_with(tool, {}, state, {{"action", "decline"}}), elicitation)));
    CHECK(declined.at("resultType") == "complete");
    CHECK(declined.at("isError") == true);
    CHECK(mcpd_test::text_of(declined) ==
          "tracking_recordings_list: no PostHog instance was chosen (the user declined the question). Pass "
          "\"instance\" as one of: eu, us.");
    CHECK(eu.request_count(kRecordings) + us.request_count(kRecordings) == 0);
  }
  SECTION("an answer that was not offered is refused") {
    const auto refused = result_of(
        session->request("tools/call", modern(retry_with(tool, {}, state, accept("staging")), elicitation)));
    CHECK(refused.at("isError") == true);
    CHECK(mcpd_test::text_of(refused) ==
          "tracking_recordings_list: no PostHog instance was chosen (the answer named no instance that was "
          "offered). Pass \"instance\" as one of: eu, us.");
  }
  SECTION("the state is bound to the call: other arguments are refused") {
    const auto response = session->request(
        "tools/call", modern(retry_with(tool, {{"limit", 5}}, state, accept("us")), elicitation));
    INFO(json::serialize(response));
    CHECK(mcpd_test::error_code_of(response) == -32602);
    CHECK(us.request_count(kRecordings) == 0);
  }
}

TEST_CASE("a legacy client is asked with elicitation/create, sent by the host", "[instances][input]") {
  FakePosthog eu;
  FakePosthog us;
  eu.add_recording(recording("eu-rec"));
  us.add_recording(recording("us-rec"));
  auto session = start_legacy(two_instances(eu, us), elicitation);

  const auto call_id = session->send_request("tools/call", call_params("tracking_recordings_list", {}));
  const auto request =
      session->await_message([](const json::value& m) { return is_request_for(m, "elicitation/create"); });
  REQUIRE(request.has_value());
  INFO(json::serialize(*request));
  const auto& params = request->at("params").as_object();
  CHECK(params.at("message") == json::value(question_text));
  CHECK(params.at("requestedSchema") == choice_schema);
  CHECK(eu.request_count(kRecordings) + us.request_count(kRecordings) == 0);
  session->send(json::object{{"jsonrpc", "2.0"}, {"id", request->at("id")}, {"result", accept("eu")}});

  const auto response = session->await_response(call_id);
  const auto& result = result_of(response);
  CHECK_FALSE(mcpd_test::is_error_result(result));
  CHECK(recording_ids(result.at("structuredContent").as_object()) == std::vector<std::string>{"eu-rec"});
  CHECK(eu.request_count(kRecordings) == 1);
  CHECK(us.request_count(kRecordings) == 0);
}

TEST_CASE("recording_frames asks which instance first, then runs as a task on the chosen one",
          "[instances][input][tasks]") {
  scratch_dir dir;
  const auto video =
      colour_video(dir.path(), "render.mp4", {{"red", 1}, {"blue", 1}}, 320, 240, 10, h264(10));
  FakePosthog eu;
  FakePosthog us;
  for (auto* fake : {&eu, &us}) {
    fake->set_export_video(file_bytes(video));
    fake->set_export_polls_until_ready(1);
  }
  auto session = start_mcpd(two_instances(eu, us,
                                          {{"exports", {{"poll_interval_ms", 100}}},
                                           {"video_cache", {{"dir", (dir.path() / "cache").string()}}}}));
  const std::string tool = "tracking_recording_frames";
  const json::object arguments{{"recording_id", "0192-rec-eu"}};

  // The question comes before any task exists (and before any render).
  const auto asked =
      result_of(session->request("tools/call", modern(call_params(tool, arguments), elicitation_and_tasks)));
  const auto state = expect_instance_question(
      asked,
      "tracking_recording_frames needs a PostHog instance and the call named none (no instance is named "
      "\"default\"). Which one should it use? It can use: eu, us.");
  CHECK(eu.request_count(kExports) + us.request_count(kExports) == 0);

  const auto created = result_of(session->request(
      "tools/call", modern(retry_with(tool, arguments, state, accept("eu")), elicitation_and_tasks)));
  INFO(json::serialize(created));
  REQUIRE(created.at("resultType") == "task");
  const auto task = mcpd_test::poll_task(*session, created.at("taskId"), mcpd_test::is_terminal);
  INFO(json::serialize(task) << "\n" << session->diagnostics());
  REQUIRE(task.at("status") == "completed");
  const auto& structured = task.at("result").at("structuredContent").as_object();
  CHECK(structured.at("source").at("recording_id") == "0192-rec-eu");
  CHECK(structured.at("frames").as_array().size() == 2);
  CHECK(eu.request_count(kExports) == 1);
  CHECK(us.request_count(kExports) == 0);

  // A local video needs no instance: nothing is asked.
  CHECK(
      mcpd_test::text_of(result_of(session->request(
          "tools/call", modern(call_params(tool, {{"source", {{"file", video.string()}}}}), elicitation)))) ==
      "tracking_recording_frames cannot read local video files: none are allowed. An operator enables this "
      "by "
      "listing directories in plugin_config.tracking.local_video_dirs (or the colon-separated "
      "TRACKING_LOCAL_VIDEO_DIRS environment variable).");
}

TEST_CASE("calls that name their instance, clients that cannot be asked and a usable default are not asked",
          "[instances][input]") {
  FakePosthog eu;
  FakePosthog us;
  eu.add_recording(recording("eu-rec"));
  us.add_recording(recording("us-rec"));
  const std::string tool = "tracking_recordings_list";

  SECTION("the call names the instance: answered at once, by that instance") {
    auto session = start_legacy(two_instances(eu, us), elicitation);
    const auto legacy = call_ok(*session, tool, {{"instance", "us"}});
    CHECK(recording_ids(legacy) == std::vector<std::string>{"us-rec"});
    const auto answered = result_of(
        session->request("tools/call", modern(call_params(tool, {{"instance", "eu"}}), elicitation)));
    CHECK(answered.at("resultType") == "complete");
    CHECK(recording_ids(answered.at("structuredContent").as_object()) == std::vector<std::string>{"eu-rec"});
    for (const auto& message : session->backlog()) CHECK_FALSE(is_request_for(message, "elicitation/create"));
  }
  SECTION("a client without elicitation (or with URL mode only) gets the error it always got") {
    auto session = start_legacy(two_instances(eu, us), json::object{});
    const std::string expected =
        "tracking_recordings_list cannot run: PostHog instance \"default\" has no api_host and no "
        "personal_api_key. Set plugin_config.tracking.instances.default.api_host (the PostHog URL, e.g. "
        "https://us.posthog.com, https://eu.posthog.com or your self-hosted URL; or the POSTHOG_API_HOST "
        "environment variable) and plugin_config.tracking.instances.default.personal_api_key (a personal API "
        "key, phx_..., with the scopes this tool lists; or the POSTHOG_PERSONAL_API_KEY environment "
        "variable). "
        "Or pass \"instance\" as one of: eu, us.";
    CHECK(call_error(*session, tool, {}) == expected);
    const auto url_only = result_of(session->request(
        "tools/call", modern(call_params(tool, {}), {{"elicitation", {{"url", json::object{}}}}})));
    CHECK(url_only.at("resultType") == "complete");
    CHECK(mcpd_test::text_of(url_only) == expected);
  }
  SECTION("a usable default instance is used as before") {
    FakePosthog fallback;
    fallback.add_recording(recording("default-rec"));
    auto section = two_instances(eu, us);
    section["instances"].as_object()["default"] = instance_of(fallback);
    auto session = start_legacy(section, elicitation);
    CHECK(recording_ids(call_ok(*session, tool, {})) == std::vector<std::string>{"default-rec"});
    for (const auto& message : session->backlog()) CHECK_FALSE(is_request_for(message, "elicitation/create"));
  }
  SECTION("only instances that can serve the tool are offered") {
    auto section = two_instances(eu, us);
    section["instances"].as_object()["us"].as_object().erase("personal_api_key");
    auto session = start_mcpd(section);
    const auto asked = result_of(session->request("tools/call", modern(call_params(tool, {}), elicitation)));
    const auto& schema = asked.at("inputRequests").at("posthog_instance").at("params").at("requestedSchema");
    CHECK(schema.at("properties").at("instance").at("enum") == json::array{"eu"});
    CHECK(asked.at("inputRequests").at("posthog_instance").at("params").at("message") ==
          "tracking_recordings_list needs a PostHog instance and the call named none (no instance is named "
          "\"default\"). Which one should it use? It can use: eu.");
  }
}
