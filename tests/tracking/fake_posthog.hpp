// A PostHog stand-in for tests: cpp-httplib on 127.0.0.1 (a free port) in the test process, speaking the
// request and response shapes of the real endpoints (shared/reference/posthog.md):
//
//   POST /batch/                                   events, project key in the body
//   GET  /api/projects/@current/                   the personal key's project
//   POST /api/projects/{id}/query/                 HogQLQuery over `sessions`, any other HogQLQuery with
//                                                  the test's canned rows (set_hogql_answer), FunnelsQuery
//   GET  /api/projects/{id}/session_recordings/    listing (RecordingsQuery params), and /{recording_id}/
//   GET  /api/projects/{id}/feature_flags/         DRF pages (count/next/previous/results)
//   POST /flags/?v=2                               remote evaluation, project key in the body
//   GET  /flags/definitions?token=&send_cohorts    local-evaluation definitions, Bearer personal key, ETag
//   POST /api/projects/{id}/exports/               start a render (video/mp4 of a session recording)
//   GET  /api/projects/{id}/exports/{eid}/         its state: has_content, exception
//   GET  /api/projects/{id}/exports/{eid}/content/ 302 to a presigned "S3" URL on the same server
//   GET  /s3/exports/{eid}.mp4?X-Amz-Signature=... the video bytes (must come without Authorization)
//
// It checks keys and scopes like the real one (401 / 403 bodies included) and can be told to answer a
// route's next requests with a fault: any status (with PostHog's error bodies, Retry-After), a delay, or
// malformed JSON. Everything it receives is recorded for assertions.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace mcpd_test {
class loopback_server;
}  // namespace mcpd_test

namespace tracking_test {

namespace json = boost::json;

// Route names for injection and observation.
inline constexpr const char* kBatch = "batch";
inline constexpr const char* kCurrentProject = "projects_current";
inline constexpr const char* kQuery = "query";
inline constexpr const char* kRecordings = "recordings";
inline constexpr const char* kRecording = "recording";
inline constexpr const char* kFeatureFlags = "feature_flags";
inline constexpr const char* kFlags = "flags";
inline constexpr const char* kDefinitions = "definitions";
inline constexpr const char* kExports = "exports";
inline constexpr const char* kExport = "export";
inline constexpr const char* kExportContent = "export_content";
inline constexpr const char* kExportDownload = "export_download";

struct Fault {
  int status = 0;                          // 0: answer normally (after `delay`)
  std::string body;                        // "" with a status: PostHog's usual body for it
  std::optional<std::string> retry_after;  // Retry-After header value
  std::chrono::milliseconds delay{0};      // wait before answering
  bool malformed_json = false;             // answer 200 with a truncated JSON body

  // `status` with `body` ("" for PostHog's usual body for that status).
  static Fault http(int status, std::string body = {}) {
    Fault f;
    f.status = status;
    f.body = std::move(body);
    return f;
  }
  // `status` (429, 503) with a Retry-After header.
  static Fault retry_after_header(int status, std::string seconds_or_date) {
    Fault f = http(status);
    f.retry_after = std::move(seconds_or_date);
    return f;
  }
  // A normal answer, `delay` late.
  static Fault slow(std::chrono::milliseconds delay) {
    Fault f;
    f.delay = delay;
    return f;
  }
  static Fault malformed() {
    Fault f;
    f.malformed_json = true;
    return f;
  }
  // What the Query API answers for a HogQL query it cannot parse or resolve: HTTP 400 with a DRF body,
  // {"type": "validation_error", "code": code, "detail": detail, "attr": null}.
  static Fault hogql_error(const std::string& code, const std::string& detail) {
    return http(400,
                json::serialize(json::object{
                    {"type", "validation_error"}, {"code", code}, {"detail", detail}, {"attr", nullptr}}));
  }
  // 429 with Retry-After: `seconds` and DRF's throttle body that names the same wait.
  static Fault throttled(int seconds) {
    Fault f =
        http(429, json::serialize(json::object{{"type", "throttled_error"},
                                               {"code", "throttled"},
                                               {"detail", "Request was throttled. Expected available in " +
                                                              std::to_string(seconds) + " seconds."},
                                               {"attr", nullptr}}));
    f.retry_after = std::to_string(seconds);
    return f;
  }
};

struct RecordedRequest {
  std::string route;
  std::string method;
  std::string target;  // raw request target, as sent (percent-encoding intact)
  std::string body;
  std::string authorization;
  std::string if_none_match;
  std::string traceparent;  // W3C trace context, "" when not sent
  std::string tracestate;
  std::map<std::string, std::string> params;  // decoded query parameters
};

struct FakeSession {
  std::string session_id;
  std::string distinct_id;
  std::int64_t start_ms = 0;  // Unix epoch milliseconds
  std::int64_t end_ms = 0;
  std::string entry_url;
  std::string exit_url;
  std::int64_t pageviews = 0;
  bool is_bounce = false;
  std::string channel = "Direct";
  std::int64_t events = 0;  // the sum of $event_count_map
};

struct FunnelEvent {
  std::string person;
  std::string event;
  std::int64_t time_ms = 0;
  json::object properties;
};

class FakePosthog {
 public:
  static constexpr const char* kProjectKey = "phc_fakeproject0123456789";
  static constexpr const char* kPersonalKey = "phx_fakepersonal9876543210";
  static constexpr std::int64_t kProjectId = 4242;

  FakePosthog();
  ~FakePosthog();
  FakePosthog(const FakePosthog&) = delete;
  FakePosthog& operator=(const FakePosthog&) = delete;

  std::string base_url() const;  // http://127.0.0.1:<port>

  // ---- configuration ----
  void set_scopes(std::set<std::string> scopes);  // the personal key's scopes; default: all used here
  void set_max_body_bytes(std::size_t bytes);     // /batch/ bodies above it get 413 (default 20 MB)
  void set_flags_page_size(std::size_t size);     // most flags per /feature_flags/ page (default 100)
  void set_quota_limited(std::vector<std::string> limited);  // "quota_limited" in /batch/ answers
  void add_session(FakeSession session);
  // PostHog's recording fields (id, start_time, ..., person {uuid, properties}). What the searches look at
  // but a listing never shows travels in "_events": [{"event", "properties"}] and "_console_levels":
  // ["error", ...]; the fake never answers with them.
  void add_recording(json::object recording);
  void add_funnel_event(FunnelEvent event);
  // The answer to every HogQLQuery that is not the sessions listing, the way PostHog runs it: `columns`
  // (names), `types` (ClickHouse's [name, type] pairs) and `rows`. A query that ends in LIMIT n gets at most
  // n rows; any other gets PostHog's default of 100, with hasMore. Without this such queries get a 400.
  void set_hogql_answer(json::array columns, json::array types, json::array rows);
  // Flag definitions (as /flags/definitions and /feature_flags/ return them).
  void set_flag_definitions(json::array flags, json::object group_type_mapping = {},
                            json::object cohorts = {});
  // What /flags?v=2 answers for (distinct_id, flag key); other flags answer no_condition_match.
  void set_remote_flag(const std::string& distinct_id, const std::string& key, json::object answer);
  void set_errors_while_computing(bool value);
  // Exports: the bytes every finished video render serves, how many status polls answer has_content
  // false first (-1: never ready), and an exception to report instead of content once they are done.
  void set_export_video(std::string bytes);
  void set_export_polls_until_ready(int polls);
  void set_export_exception(std::string exception);

  // ---- faults ----
  // The next requests of `route` get these faults, in order; later requests are answered normally.
  void inject(const std::string& route, Fault fault, int times = 1);

  // ---- observations ----
  std::vector<RecordedRequest> requests(const std::string& route) const;
  std::size_t request_count(const std::string& route) const;
  std::vector<json::object> received_events() const;  // every event of every accepted /batch/ request
  void clear_requests();

 private:
  void install_routes();
  bool apply_fault(const std::string& route, httplib::Response& res);
  void record(const std::string& route, const httplib::Request& req);
  // Private-API auth: Bearer personal key with `scope`; false (response written) when refused.
  bool authorize_private(const httplib::Request& req, httplib::Response& res, const std::string& scope);
  bool check_project(const std::string& id, httplib::Response& res);
  void sleep_for(std::chrono::milliseconds delay);

  void handle_batch(const httplib::Request& req, httplib::Response& res);
  void handle_query(const httplib::Request& req, httplib::Response& res);
  void handle_hogql(const json::object& query, httplib::Response& res);
  void answer_hogql(const std::string& text, httplib::Response& res);
  void handle_funnel(const json::object& query, httplib::Response& res);
  void handle_recordings(const httplib::Request& req, httplib::Response& res);
  void handle_recording(const httplib::Request& req, httplib::Response& res);
  void handle_feature_flags(const httplib::Request& req, httplib::Response& res);
  void handle_flags(const httplib::Request& req, httplib::Response& res);
  void handle_definitions(const httplib::Request& req, httplib::Response& res);
  void handle_export_create(const httplib::Request& req, httplib::Response& res);
  void handle_export_status(const httplib::Request& req, httplib::Response& res);
  json::object export_json(std::int64_t id, const json::object& context, bool has_content,
                           const std::string& exception) const;

  std::unique_ptr<mcpd_test::loopback_server> http_;

  mutable std::mutex mutex_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::set<std::string> scopes_;
  std::size_t max_body_bytes_ = 20'000'000;
  std::size_t flags_page_size_ = 100;
  std::vector<std::string> quota_limited_;
  std::vector<FakeSession> sessions_;
  std::vector<json::object> recordings_;
  std::vector<FunnelEvent> funnel_events_;
  std::optional<json::object> hogql_answer_;  // {"columns", "types", "rows"}
  json::array flag_definitions_;
  json::object group_type_mapping_;
  json::object cohorts_;
  std::map<std::string, std::map<std::string, json::object>> remote_flags_;
  bool errors_while_computing_ = false;
  std::map<std::string, std::deque<Fault>> faults_;
  std::string export_video_;
  int export_polls_until_ready_ = 0;
  std::string export_exception_;
  std::map<std::int64_t, std::pair<json::object, int>> exports_;  // id -> export_context, polls so far
  std::vector<RecordedRequest> requests_;
  std::vector<json::object> events_;
};

// "2025-01-31T08:15:00.123000+00:00", the way HogQL renders a DateTime64 in JSON.
std::string hogql_time(std::int64_t epoch_ms);
// "2025-01-31T08:15:00.123Z", the way DRF renders one.
std::string drf_time(std::int64_t epoch_ms);
// Parses either of the above (and any ISO-8601 date-time with a zone); nullopt otherwise.
std::optional<std::int64_t> parse_time_ms(const std::string& text);
std::int64_t now_ms();

}  // namespace tracking_test
