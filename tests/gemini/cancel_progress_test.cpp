// A long gemini call reports progress while it waits to retry, and cancelling it aborts the wait: no
// further request reaches the provider.
#include <chrono>
#include <thread>

#include "gemini_harness.hpp"

using namespace gemini_test;
using namespace std::chrono;

namespace {

json::object call_params(json::object arguments, const std::string& progress_token) {
  return json::object{{"name", "gemini.ask_about_images"},
                      {"arguments", std::move(arguments)},
                      {"_meta", json::object{{"progressToken", progress_token}}}};
}

json::object per_minute_429(const std::string& delay) {
  return gemini_error(
      429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.",
      json::array{quota_failure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"), retry_info(delay)});
}

json::object simple_question() {
  return json::object{{"question", "What is this?"}, {"images", json::array{image_argument(make_png(4, 4))}}};
}

}  // namespace

TEST_CASE("a call waiting for a retry reports progress") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(kGenerate, {429, per_minute_429("0.3s")});
  const auto id = mcpd->send_request("tools/call", call_params(simple_question(), "ask-1"));
  const auto response = mcpd->await_response(id);
  REQUIRE(response.contains("result"));
  CHECK_FALSE(mcpd_test::is_error_result(response.at("result").as_object()));
  const auto progress = mcpd->notifications("notifications/progress");
  REQUIRE(progress.size() >= 3);
  double last = -1;
  bool said_retry = false;
  for (const auto& notification : progress) {
    const auto& params = notification.at("params").as_object();
    CHECK(params.at("progressToken") == "ask-1");
    const double value = params.at("progress").to_number<double>();
    CHECK(value > last);
    last = value;
    if (const auto* message = params.if_contains("message");
        message != nullptr && std::string(message->as_string()).find("waiting to retry") != std::string::npos)
      said_retry = true;
  }
  CHECK(said_retry);
}

TEST_CASE("cancelling a call aborts its wait for a retry") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  fake.push_reply(kGenerate, {429, per_minute_429("2s")});
  const auto id = mcpd->send_request("tools/call", call_params(simple_question(), "ask-2"));
  const auto deadline = steady_clock::now() + seconds(5);
  while (fake.request_count(kGenerate) == 0 && steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  REQUIRE(fake.request_count(kGenerate) == 1);
  mcpd->notify("notifications/cancelled", json::object{{"requestId", id}, {"reason", "changed my mind"}});

  std::this_thread::sleep_for(2500ms);  // past the retryDelay: a retry would have arrived by now
  CHECK(fake.request_count(kGenerate) == 1);
  mcpd->expect_ping_answered();
}

TEST_CASE("cancelling a call aborts its request in flight") {
  FakeGemini fake;
  // One worker thread: the next call can only run once the cancelled one has really stopped.
  auto mcpd = start_mcpd(gemini_section(fake), {}, json::object{{"worker_threads", 1}});
  Reply slow{200, gemini_answer("too late"), milliseconds(4000)};
  fake.push_reply(kGenerate, slow);
  const auto id = mcpd->send_request("tools/call", call_params(simple_question(), "ask-3"));
  const auto deadline = steady_clock::now() + seconds(5);
  while (fake.request_count(kGenerate) == 0 && steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  REQUIRE(fake.request_count(kGenerate) == 1);
  const auto cancelled_at = steady_clock::now();
  mcpd->notify("notifications/cancelled", json::object{{"requestId", id}});

  const auto next = call_ok(*mcpd, "gemini.models_list", {});
  CHECK(next.at("models").as_array().size() == 6);
  CHECK(steady_clock::now() - cancelled_at < milliseconds(2500));  // not after the fake's 4 s answer
}
