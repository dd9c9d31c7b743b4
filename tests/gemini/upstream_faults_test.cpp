// Upstream faults through the whole host (M8 fault tests): a model server that answers with a 2 GB body, one
// that never finishes its chunked answer, and Gemini answering 401, 429 and 500 with bodies that echo the
// request's key. Each call ends in a clear error (or is cancelled), memory stays bounded, no secret reaches
// a result or the log, and a well-behaved client's ping stays within 3x idle meanwhile.
#include <atomic>
#include <fstream>
#include <thread>

#include "fault_latency.hpp"
#include "gemini_harness.hpp"
#include "loopback_server.hpp"

using namespace gemini_test;
using mcpd_test::McpSession;
using namespace std::chrono_literals;

namespace {

json::object simple_question() {
  return json::object{{"question", "What is this?"}, {"images", json::array{image_argument(make_png(4, 4))}}};
}

json::value start_question(McpSession& session) {
  return session.send_request("tools/call",
                              {{"name", "gemini.ask_about_images"}, {"arguments", simple_question()}});
}

std::string error_text(const json::object& response) {
  if (response.contains("error")) return json::serialize(response.at("error"));
  const auto& result = response.at("result").as_object();
  return mcpd_test::is_error_result(result) ? mcpd_test::text_of(result) : std::string();
}

// Peak resident memory of a process (VmHWM), in MiB; -1 when it cannot be read.
long peak_rss_mib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  return -1;
}

// A model server gone wrong, at POST /v1beta/models/{model}:generateContent: 2 GB of zeros announced
// and sent as fast as they are read, or a chunked answer that sends a few bytes every 50 ms for ever.
class hostile_model_server {
 public:
  enum class mode { two_gigabytes, trickle, answer };

  hostile_model_server() {
    http_.routes().Post(R"(/v1beta/models/([^/:]+):generateContent)",
                        [this](const httplib::Request&, httplib::Response& res) { answer(res); });
    http_.start();
  }
  std::string url() const { return http_.url(); }
  void set_mode(mode m) { mode_ = m; }
  int open_answers() const { return open_; }
  int answers() const { return answers_; }

 private:
  void answer(httplib::Response& res) {
    ++answers_;
    if (mode_ == mode::answer) {
      res.set_content(json::serialize(gemini_answer("A hostile server, reformed.")), "application/json");
      return;
    }
    ++open_;
    // Counts the answer as open until cpp-httplib is done with the provider (the client went away, or
    // the body ended).
    auto done = std::shared_ptr<void>(nullptr, [this](void*) { --open_; });
    if (mode_ == mode::two_gigabytes) {
      res.set_content_provider(std::size_t{2} << 30, "application/json",
                               [done](std::size_t, std::size_t length, httplib::DataSink& sink) {
                                 static const std::string zeros(1 << 16, '0');
                                 return sink.write(zeros.data(), std::min(length, zeros.size()));
                               });
    } else {
      res.set_chunked_content_provider("application/json", [done](std::size_t, httplib::DataSink& sink) {
        std::this_thread::sleep_for(50ms);
        const std::string piece = "[0,";
        return sink.write(piece.data(), piece.size());
      });
    }
  }

  std::atomic<mode> mode_{mode::answer};
  std::atomic<int> open_{0};
  std::atomic<int> answers_{0};
  mcpd_test::loopback_server http_;
};

json::object hostile_section(const FakeGemini& fake, const hostile_model_server& hostile) {
  // A configured model: the hostile server answers generateContent only, no models listing.
  return gemini_section(fake, {{"api_base_url", hostile.url()}, {"default_model", "gemini-3.8-flash"}});
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

}  // namespace

TEST_CASE("a model server answering 2 GB: each call fails at max_body_bytes, memory bounded, ping unharmed",
          "[faults][upstream]") {
  FakeGemini fake;
  hostile_model_server hostile;
  auto mcpd = start_mcpd(hostile_section(fake, hostile));
  const auto ping = [&] { mcpd->expect_ping_answered(); };
  const auto idle = mcpd_test::median_latency(ping);
  hostile.set_mode(hostile_model_server::mode::two_gigabytes);

  // Every worker reads a flood of zeros until max_body_bytes stops it.
  std::vector<json::value> calls;
  for (int i = 0; i < 4; ++i) calls.push_back(start_question(*mcpd));
  REQUIRE(wait_until([&] { return hostile.open_answers() == 4; }, 10s));
  const auto figures =
      mcpd_test::measure_under_fault("an upstream answering a 2 GB body (4 calls reading it)", idle, ping);
  const int still_reading = hostile.open_answers();
  for (const auto& id : calls) {
    const auto response = mcpd->await_response(id, 60s);
    const auto text = error_text(response);
    INFO(json::serialize(response));
    CHECK_THAT(text, Catch::Contains("more than 67108864 bytes") &&
                         Catch::Contains("plugin_config.gemini.api_base_url"));
    CHECK_FALSE(leaks_secret(text));
  }
  // Four workers may each hold up to 64 MiB of an answer at once; nothing near 2 GB.
  const long peak = peak_rss_mib(mcpd->process().pid());
  INFO(figures << "\npeak RSS " << peak << " MiB; " << still_reading << " calls still reading after it");
  CHECK(figures.within_bound());
  CHECK(peak > 0);
  CHECK(peak < 1024);
  CHECK(static_cast<std::size_t>(hostile.answers()) == calls.size());  // too large is never retried

  hostile.set_mode(hostile_model_server::mode::answer);
  CHECK(call_ok(*mcpd, "gemini.ask_about_images", simple_question()).at("answer") ==
        "A hostile server, reformed.");
}

TEST_CASE("a model server that never finishes its chunked answer: ping unharmed, cancellation ends the calls",
          "[faults][upstream]") {
  FakeGemini fake;
  hostile_model_server hostile;
  auto mcpd = start_mcpd(hostile_section(fake, hostile));
  const auto ping = [&] { mcpd->expect_ping_answered(); };
  const auto idle = mcpd_test::median_latency(ping);
  hostile.set_mode(hostile_model_server::mode::trickle);

  // Every worker waits on a trickle (each bounded by the SDK's max_attempt_time, 10 minutes).
  std::vector<json::value> calls;
  for (int i = 0; i < 4; ++i) calls.push_back(start_question(*mcpd));
  REQUIRE(wait_until([&] { return hostile.open_answers() == 4; }, 10s));
  const auto figures =
      mcpd_test::measure_under_fault("an upstream never finishing its chunked answer", idle, ping);
  CHECK(hostile.open_answers() == 4);  // still trickling all along
  INFO(figures);
  CHECK(figures.within_bound());

  // Cancelled, the calls stop reading at once and give their workers back.
  for (const auto& id : calls)
    mcpd->notify("notifications/cancelled", {{"requestId", id}, {"reason", "enough"}});
  CHECK(wait_until([&] { return hostile.open_answers() == 0; }, 10s));
  hostile.set_mode(hostile_model_server::mode::answer);
  CHECK(call_ok(*mcpd, "gemini.ask_about_images", simple_question()).at("answer") ==
        "A hostile server, reformed.");
  for (const auto& message : mcpd->backlog()) {
    for (const auto& id : calls) CHECK_FALSE(mcpd_test::has_id(message, id));  // cancelled: no answer
  }
}

TEST_CASE(
    "Gemini answering 401, 429 and 500 with bodies that echo the key: no secret anywhere, ping unharmed",
    "[faults][upstream][secrets]") {
  FakeGemini fake;
  auto mcpd = start_mcpd(gemini_section(fake));
  const auto ping = [&] { mcpd->expect_ping_answered(); };
  const auto idle = mcpd_test::median_latency(ping);

  // Each error comes after a second, so that the calls are waiting on the faulty upstream while the
  // well-behaved client is measured; 500 is retried, 401 and a per-day 429 are not.
  const std::string echoed = std::string("request had x-goog-api-key: ") + FakeGemini::kApiKey;
  const std::vector<Reply> faults = {
      {401, gemini_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. " + echoed),
       1000ms},
      {429,
       gemini_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded per day. " + echoed,
                    json::array{quota_failure("GenerateRequestsPerDayPerProjectPerModel-FreeTier")}),
       1000ms},
      {500, gemini_error(500, "INTERNAL", "An internal error has occurred. " + echoed), 1000ms},
  };
  for (int i = 0; i < 20; ++i)
    fake.push_reply(kGenerate, faults[static_cast<std::size_t>(i) % faults.size()]);

  std::vector<json::value> calls;
  for (int i = 0; i < 4; ++i) calls.push_back(start_question(*mcpd));
  REQUIRE(wait_until([&] { return fake.request_count(kGenerate) >= 4; }, 10s));
  const auto figures = mcpd_test::measure_under_fault(
      "Gemini answering 401/429/500 with bodies echoing the key (4 calls waiting on it)", idle, ping);
  for (const auto& message : mcpd->backlog()) {
    for (const auto& id : calls) CHECK_FALSE(mcpd_test::has_id(message, id));  // all still waiting
  }
  for (const auto& id : calls) {
    const auto response = mcpd->await_response(id, 30s);
    const auto text = error_text(response);
    INFO(json::serialize(response));
    CHECK_FALSE(text.empty());
    CHECK_FALSE(leaks_secret(json::serialize(response)));
  }
  INFO(figures);
  CHECK(figures.within_bound());
  mcpd->expect_ping_answered();
  CHECK_FALSE(leaks_secret(mcpd->process().stderr_text()));
}
