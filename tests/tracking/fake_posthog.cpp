#include "fake_posthog.hpp"

#include "loopback_server.hpp"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <stdexcept>

namespace tracking_test {
namespace {

using namespace std::chrono;

const std::set<std::string> kAllScopes = {"query:read",        "session_recording:read",
                                          "feature_flag:read", "project:read",
                                          "export:read",       "export:write"};

void send_json(httplib::Response& res, int status, const json::value& body) {
  res.status = status;
  res.set_content(json::serialize(body), "application/json");
}

// DRF-style error bodies, as PostHog's private API sends them.
json::object drf_error(const std::string& type, const std::string& code, const std::string& detail) {
  return json::object{{"type", type}, {"code", code}, {"detail", detail}, {"attr", nullptr}};
}

json::object default_error_body(int status) {
  switch (status) {
    case 400:
      return drf_error("validation_error", "invalid_input", "Invalid input.");
    case 401:
      return drf_error("authentication_error", "authentication_failed",
                       "Personal API key found in request Authorization header is invalid.");
    case 403:
      return drf_error("authentication_error", "permission_denied",
                       "API key missing required scope 'query:read'");
    case 404:
      return drf_error("invalid_request_error", "not_found", "Not found.");
    case 413:
      return drf_error("invalid_request_error", "payload_too_large", "Request body is too large.");
    case 429:
      return drf_error("throttled_error", "throttled",
                       "Request was throttled. Expected available in 7 seconds.");
    default:
      return drf_error("server_error", "error", "A server error occurred.");
  }
}

std::optional<json::object> parse_object_body(const std::string& body) {
  boost::system::error_code ec;
  auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  return parsed.get_object();
}

std::string string_of(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t relative_ms(const std::string& text) {
  // "-30d", "-24h", "-2w", "-3m" (30-day months), "-1y"
  static const std::regex pattern(R"(^-(\d+)([hdwmy])$)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return -1;
  const std::int64_t n = std::stoll(m[1]);
  const std::int64_t hour = 3'600'000;
  switch (m[2].str()[0]) {
    case 'h':
      return n * hour;
    case 'd':
      return n * 24 * hour;
    case 'w':
      return n * 7 * 24 * hour;
    case 'm':
      return n * 30 * 24 * hour;
    default:
      return n * 365 * 24 * hour;
  }
}

std::int64_t bound_ms(const std::string& text, std::int64_t fallback) {
  if (text.empty()) return fallback;
  if (text.front() == '-') {
    const auto back = relative_ms(text);
    return back < 0 ? fallback : now_ms() - back;
  }
  if (auto t = parse_time_ms(text)) return *t;
  if (auto t = parse_time_ms(text + "T00:00:00Z")) return *t;
  return fallback;
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::int64_t now_ms() {
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

static std::string format_time(std::int64_t epoch_ms, bool hogql) {
  const auto when = sys_time<milliseconds>(milliseconds(epoch_ms));
  const auto day_start = floor<days>(when);
  const year_month_day date{day_start};
  const hh_mm_ss<milliseconds> t{when - day_start};
  char text[48];
  if (hogql) {
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03d000+00:00", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(t.hours().count()),
                  int(t.minutes().count()), int(t.seconds().count()), int(t.subseconds().count()));
  } else {
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), int(t.hours().count()),
                  int(t.minutes().count()), int(t.seconds().count()), int(t.subseconds().count()));
  }
  return text;
}

std::string hogql_time(std::int64_t epoch_ms) {
  return format_time(epoch_ms, true);
}
std::string drf_time(std::int64_t epoch_ms) {
  return format_time(epoch_ms, false);
}

std::optional<std::int64_t> parse_time_ms(const std::string& text) {
  static const std::regex pattern(
      R"(^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})$)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  const year_month_day date{year{std::stoi(m[1])}, month{unsigned(std::stoi(m[2]))},
                            day{unsigned(std::stoi(m[3]))}};
  if (!date.ok()) return std::nullopt;
  std::int64_t ms = duration_cast<milliseconds>(sys_days{date}.time_since_epoch()).count();
  ms += (std::stoll(m[4]) * 3600 + std::stoll(m[5]) * 60 + (m[6].matched ? std::stoll(m[6]) : 0)) * 1000;
  if (m[7].matched) ms += std::stoll((m[7].str() + "000").substr(0, 3));
  const std::string zone = m[8];
  if (zone != "Z") {
    const int sign = zone[0] == '-' ? -1 : 1;
    const std::string digits = std::regex_replace(zone.substr(1), std::regex(":"), "");
    ms -= sign * (std::stoll(digits.substr(0, 2)) * 60 + std::stoll(digits.substr(2, 2))) * 60'000;
  }
  return ms;
}

FakePosthog::FakePosthog() : http_(std::make_unique<mcpd_test::loopback_server>()), scopes_(kAllScopes) {
  install_routes();
  http_->start();
}

FakePosthog::~FakePosthog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  http_->stop();
}

std::string FakePosthog::base_url() const {
  return http_->url();
}

void FakePosthog::set_scopes(std::set<std::string> scopes) {
  std::lock_guard lock(mutex_);
  scopes_ = std::move(scopes);
}
void FakePosthog::set_max_body_bytes(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  max_body_bytes_ = bytes;
}
void FakePosthog::set_flags_page_size(std::size_t size) {
  std::lock_guard lock(mutex_);
  flags_page_size_ = size;
}
void FakePosthog::set_quota_limited(std::vector<std::string> limited) {
  std::lock_guard lock(mutex_);
  quota_limited_ = std::move(limited);
}
void FakePosthog::add_session(FakeSession session) {
  std::lock_guard lock(mutex_);
  sessions_.push_back(std::move(session));
}
void FakePosthog::add_recording(json::object recording) {
  std::lock_guard lock(mutex_);
  recordings_.push_back(std::move(recording));
}
void FakePosthog::add_funnel_event(FunnelEvent event) {
  std::lock_guard lock(mutex_);
  funnel_events_.push_back(std::move(event));
}
void FakePosthog::set_hogql_answer(json::array columns, json::array types, json::array rows) {
  std::lock_guard lock(mutex_);
  hogql_answer_ =
      json::object{{"columns", std::move(columns)}, {"types", std::move(types)}, {"rows", std::move(rows)}};
}
void FakePosthog::set_flag_definitions(json::array flags, json::object group_type_mapping,
                                       json::object cohorts) {
  std::lock_guard lock(mutex_);
  flag_definitions_ = std::move(flags);
  group_type_mapping_ = std::move(group_type_mapping);
  cohorts_ = std::move(cohorts);
}
void FakePosthog::set_remote_flag(const std::string& distinct_id, const std::string& key,
                                  json::object answer) {
  std::lock_guard lock(mutex_);
  remote_flags_[distinct_id][key] = std::move(answer);
}
void FakePosthog::set_errors_while_computing(bool value) {
  std::lock_guard lock(mutex_);
  errors_while_computing_ = value;
}
void FakePosthog::set_export_video(std::string bytes) {
  std::lock_guard lock(mutex_);
  export_video_ = std::move(bytes);
}

void FakePosthog::set_export_polls_until_ready(int polls) {
  std::lock_guard lock(mutex_);
  export_polls_until_ready_ = polls;
}

void FakePosthog::set_export_exception(std::string exception) {
  std::lock_guard lock(mutex_);
  export_exception_ = std::move(exception);
}

void FakePosthog::inject(const std::string& route, Fault fault, int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) faults_[route].push_back(fault);
}

std::vector<RecordedRequest> FakePosthog::requests(const std::string& route) const {
  std::lock_guard lock(mutex_);
  std::vector<RecordedRequest> out;
  for (const auto& r : requests_) {
    if (route.empty() || r.route == route) out.push_back(r);
  }
  return out;
}
std::size_t FakePosthog::request_count(const std::string& route) const {
  return requests(route).size();
}
std::vector<json::object> FakePosthog::received_events() const {
  std::lock_guard lock(mutex_);
  return events_;
}
void FakePosthog::clear_requests() {
  std::lock_guard lock(mutex_);
  requests_.clear();
  events_.clear();
}

void FakePosthog::sleep_for(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  stopping_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

void FakePosthog::record(const std::string& route, const httplib::Request& req) {
  RecordedRequest r;
  r.route = route;
  r.method = req.method;
  r.target = req.target;
  r.body = req.body;
  r.authorization = req.get_header_value("Authorization");
  r.traceparent = req.get_header_value("traceparent");
  r.tracestate = req.get_header_value("tracestate");
  r.if_none_match = req.get_header_value("If-None-Match");
  for (const auto& [name, value] : req.params) r.params[name] = value;
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(r));
}

bool FakePosthog::apply_fault(const std::string& route, httplib::Response& res) {
  Fault fault;
  {
    std::lock_guard lock(mutex_);
    auto& queue = faults_[route];
    if (queue.empty()) return false;
    fault = queue.front();
    queue.pop_front();
  }
  if (fault.delay.count() > 0) sleep_for(fault.delay);
  if (fault.malformed_json) {
    res.status = 200;
    res.set_content(R"({"results": [{"id": "truncated", )", "application/json");
    return true;
  }
  if (fault.status == 0) return false;
  if (fault.retry_after) res.set_header("Retry-After", *fault.retry_after);
  if (fault.body.empty()) {
    send_json(res, fault.status, default_error_body(fault.status));
  } else {
    res.status = fault.status;
    res.set_content(fault.body, "application/json");
  }
  return true;
}

bool FakePosthog::authorize_private(const httplib::Request& req, httplib::Response& res,
                                    const std::string& scope) {
  const std::string header = req.get_header_value("Authorization");
  if (header.empty()) {
    send_json(res, 401,
              drf_error("authentication_error", "not_authenticated",
                        "Authentication credentials were not provided."));
    return false;
  }
  if (header != std::string("Bearer ") + kPersonalKey) {
    send_json(res, 401,
              drf_error("authentication_error", "authentication_failed",
                        "Personal API key found in request Authorization header is invalid."));
    return false;
  }
  std::lock_guard lock(mutex_);
  if (!scopes_.contains(scope)) {
    send_json(res, 403,
              drf_error("authentication_error", "permission_denied",
                        "API key missing required scope '" + scope + "'"));
    return false;
  }
  return true;
}

bool FakePosthog::check_project(const std::string& id, httplib::Response& res) {
  if (id == std::to_string(kProjectId)) return true;
  send_json(res, 404, drf_error("invalid_request_error", "not_found", "Not found."));
  return false;
}

void FakePosthog::install_routes() {
  auto& s = http_->routes();
  s.Post(R"(/api/projects/([^/]+)/exports/)", [this](const httplib::Request& req, httplib::Response& res) {
    record(kExports, req);
    if (apply_fault(kExports, res) || !authorize_private(req, res, "export:write") ||
        !check_project(req.matches[1], res)) {
      return;
    }
    handle_export_create(req, res);
  });
  s.Get(R"(/api/projects/([^/]+)/exports/(\d+)/)",
        [this](const httplib::Request& req, httplib::Response& res) {
          record(kExport, req);
          if (apply_fault(kExport, res) || !authorize_private(req, res, "export:read") ||
              !check_project(req.matches[1], res)) {
            return;
          }
          handle_export_status(req, res);
        });
  s.Get(R"(/api/projects/([^/]+)/exports/(\d+)/content/)",
        [this](const httplib::Request& req, httplib::Response& res) {
          record(kExportContent, req);
          if (apply_fault(kExportContent, res) || !authorize_private(req, res, "export:read") ||
              !check_project(req.matches[1], res)) {
            return;
          }
          // Like PostHog with object storage: a redirect to a presigned URL on another "host".
          res.status = 302;
          res.set_header("Location", base_url() + "/s3/exports/" + std::string(req.matches[2]) +
                                         ".mp4?X-Amz-Signature=fakesig&X-Amz-Expires=3600");
        });
  s.Get(R"(/s3/exports/(\d+)\.mp4)", [this](const httplib::Request& req, httplib::Response& res) {
    record(kExportDownload, req);
    if (apply_fault(kExportDownload, res)) return;
    // S3 refuses a request that carries both a presigned signature and an Authorization header.
    if (!req.get_header_value("Authorization").empty()) {
      res.status = 400;
      res.set_content(
          "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>",
          "application/xml");
      return;
    }
    std::lock_guard lock(mutex_);
    res.status = 200;
    res.set_content(export_video_, "video/mp4");
  });
  s.Post("/batch/", [this](const httplib::Request& req, httplib::Response& res) {
    record(kBatch, req);
    if (!apply_fault(kBatch, res)) handle_batch(req, res);
  });
  s.Get("/api/projects/@current/", [this](const httplib::Request& req, httplib::Response& res) {
    record(kCurrentProject, req);
    if (apply_fault(kCurrentProject, res) || !authorize_private(req, res, "project:read")) return;
    send_json(res, 200,
              json::object{{"id", kProjectId},
                           {"uuid", "0190b5c6-0000-7000-8000-000000004242"},
                           {"name", "Fake project"},
                           {"api_token", kProjectKey},
                           {"timezone", "UTC"}});
  });
  s.Post(R"(/api/projects/([^/]+)/query/)", [this](const httplib::Request& req, httplib::Response& res) {
    record(kQuery, req);
    if (apply_fault(kQuery, res) || !authorize_private(req, res, "query:read") ||
        !check_project(req.matches[1], res)) {
      return;
    }
    handle_query(req, res);
  });
  s.Get(R"(/api/projects/([^/]+)/session_recordings/)",
        [this](const httplib::Request& req, httplib::Response& res) {
          record(kRecordings, req);
          if (apply_fault(kRecordings, res) || !authorize_private(req, res, "session_recording:read") ||
              !check_project(req.matches[1], res)) {
            return;
          }
          handle_recordings(req, res);
        });
  s.Get(R"(/api/projects/([^/]+)/session_recordings/(.+)/)",
        [this](const httplib::Request& req, httplib::Response& res) {
          record(kRecording, req);
          if (apply_fault(kRecording, res) || !authorize_private(req, res, "session_recording:read") ||
              !check_project(req.matches[1], res)) {
            return;
          }
          handle_recording(req, res);
        });
  s.Get(R"(/api/projects/([^/]+)/feature_flags/)",
        [this](const httplib::Request& req, httplib::Response& res) {
          record(kFeatureFlags, req);
          if (apply_fault(kFeatureFlags, res) || !authorize_private(req, res, "feature_flag:read") ||
              !check_project(req.matches[1], res)) {
            return;
          }
          handle_feature_flags(req, res);
        });
  s.Post("/flags/", [this](const httplib::Request& req, httplib::Response& res) {
    record(kFlags, req);
    if (!apply_fault(kFlags, res)) handle_flags(req, res);
  });
  s.Get("/flags/definitions", [this](const httplib::Request& req, httplib::Response& res) {
    record(kDefinitions, req);
    if (!apply_fault(kDefinitions, res)) handle_definitions(req, res);
  });
}

namespace {

// The public endpoints take the project key in the body ("api_key", or "token" as newer SDKs send it) and
// refuse a wrong one with 401, as PostHog does.
bool project_key_accepted(const json::object& body, httplib::Response& res) {
  std::string key = string_of(body, "api_key");
  if (key.empty()) key = string_of(body, "token");
  if (key == FakePosthog::kProjectKey) return true;
  send_json(res, 401,
            json::object{{"type", "authentication_error"},
                         {"code", "invalid_api_key"},
                         {"detail",
                          "Project API key invalid. You can find your project API key in "
                          "PostHog project settings."}});
  return false;
}

}  // namespace

json::object FakePosthog::export_json(std::int64_t id, const json::object& context, bool has_content,
                                      const std::string& exception) const {
  return json::object{{"id", id},
                      {"dashboard", nullptr},
                      {"insight", nullptr},
                      {"export_format", "video/mp4"},
                      {"created_at", drf_time(now_ms())},
                      {"has_content", has_content},
                      {"export_context", context},
                      {"filename", "export-" + std::to_string(id) + ".mp4"},
                      {"expires_after", nullptr},
                      {"exception", exception.empty() ? json::value(nullptr) : json::value(exception)}};
}

void FakePosthog::handle_export_create(const httplib::Request& req, httplib::Response& res) {
  json::value body;
  try {
    body = json::parse(req.body);
  } catch (const std::exception&) {
    send_json(res, 400, drf_error("validation_error", "parse_error", "JSON parse error"));
    return;
  }
  const auto* format = body.is_object() ? body.as_object().if_contains("export_format") : nullptr;
  const auto* context = body.is_object() ? body.as_object().if_contains("export_context") : nullptr;
  if (format == nullptr || !format->is_string() || context == nullptr || !context->is_object() ||
      !context->as_object().contains("session_recording_id")) {
    send_json(res, 400, drf_error("validation_error", "invalid_input", "Invalid export."));
    return;
  }
  std::lock_guard lock(mutex_);
  const std::int64_t id = 100 + static_cast<std::int64_t>(exports_.size());
  exports_[id] = {context->as_object(), 0};
  send_json(res, 201, export_json(id, context->as_object(), false, ""));
}

void FakePosthog::handle_export_status(const httplib::Request& req, httplib::Response& res) {
  const std::int64_t id = std::stoll(req.matches[2]);
  std::lock_guard lock(mutex_);
  auto it = exports_.find(id);
  if (it == exports_.end()) {
    send_json(res, 404, drf_error("invalid_request_error", "not_found", "Not found."));
    return;
  }
  const int polls = ++it->second.second;
  const bool done = export_polls_until_ready_ >= 0 && polls > export_polls_until_ready_;
  const bool failed = done && !export_exception_.empty();
  send_json(res, 200, export_json(id, it->second.first, done && !failed, failed ? export_exception_ : ""));
}

void FakePosthog::handle_batch(const httplib::Request& req, httplib::Response& res) {
  {
    std::lock_guard lock(mutex_);
    if (req.body.size() > max_body_bytes_) {
      send_json(res, 413,
                json::object{{"type", "invalid_request_error"},
                             {"code", "payload_too_large"},
                             {"detail", "Payload too large"}});
      return;
    }
  }
  const auto body = parse_object_body(req.body);
  if (!body) {
    send_json(res, 400,
              json::object{{"type", "validation_error"},
                           {"code", "invalid_payload"},
                           {"detail", "Malformed request data: not a JSON object"}});
    return;
  }
  if (!project_key_accepted(*body, res)) return;
  const auto* batch = body->if_contains("batch");
  if (batch == nullptr || !batch->is_array()) {
    send_json(res, 400,
              json::object{{"type", "validation_error"},
                           {"code", "invalid_payload"},
                           {"detail", "Malformed request data: batch must be a list"}});
    return;
  }
  std::lock_guard lock(mutex_);
  for (const auto& item : batch->get_array()) {
    // Like PostHog: events without a name or distinct_id are dropped silently.
    if (!item.is_object() || string_of(item.get_object(), "event").empty() ||
        string_of(item.get_object(), "distinct_id").empty()) {
      continue;
    }
    events_.push_back(item.get_object());
  }
  json::object answer{{"status", 1}};
  if (!quota_limited_.empty()) {
    json::array limited;
    for (const auto& l : quota_limited_) limited.emplace_back(l);
    answer["quota_limited"] = std::move(limited);
  }
  send_json(res, 200, answer);
}

void FakePosthog::handle_query(const httplib::Request& req, httplib::Response& res) {
  const auto body = parse_object_body(req.body);
  const auto* query = body ? body->if_contains("query") : nullptr;
  if (query == nullptr || !query->is_object()) {
    send_json(res, 400, drf_error("validation_error", "invalid_input", "query: This field is required."));
    return;
  }
  const std::string kind = string_of(query->get_object(), "kind");
  if (kind == "HogQLQuery") return handle_hogql(query->get_object(), res);
  if (kind == "FunnelsQuery") return handle_funnel(query->get_object(), res);
  send_json(res, 400, drf_error("validation_error", "invalid_input", "Unsupported query kind: " + kind));
}

void FakePosthog::handle_hogql(const json::object& query, httplib::Response& res) {
  const std::string text = string_of(query, "query");
  json::object values;
  if (const auto* v = query.if_contains("values"); v != nullptr && v->is_object()) values = v->get_object();

  // What HogQL's parser would refuse: an unterminated string literal, a placeholder without a value.
  if (std::count(text.begin(), text.end(), '\'') % 2 != 0) {
    send_json(res, 400,
              drf_error("validation_error", "invalid_input", "Syntax error at line 1: unterminated string"));
    return;
  }
  static const std::regex placeholder(R"(\{([A-Za-z_][A-Za-z0-9_]*)\})");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder); it != std::sregex_iterator();
       ++it) {
    if (!values.contains((*it)[1].str())) {
      send_json(res, 400,
                drf_error("validation_error", "invalid_input",
                          "Placeholder {" + (*it)[1].str() + "} is not available in this context."));
      return;
    }
  }
  static const std::regex shape(
      R"(^SELECT (.+) FROM sessions WHERE (.+) ORDER BY \$start_timestamp DESC, session_id DESC LIMIT (\d+) OFFSET (\d+)$)");
  std::smatch m;
  if (!std::regex_match(text, m, shape)) {
    bool canned = false;
    {
      std::lock_guard lock(mutex_);
      canned = hogql_answer_.has_value();
    }
    if (canned) return answer_hogql(text, res);
    send_json(
        res, 400,
        drf_error("validation_error", "invalid_input", "The fake only runs the sessions listing query"));
    return;
  }
  std::vector<std::string> columns;
  {
    const std::string list = m[1];
    std::size_t start = 0;
    while (start <= list.size()) {
      const auto comma = list.find(", ", start);
      columns.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 2;
    }
  }
  const std::string where = m[2];
  const std::size_t limit = std::stoul(m[3]);
  const std::size_t offset = std::stoul(m[4]);

  // Each recognised predicate compares with a placeholder's value, as a constant.
  static const std::regex predicate(
      R"((distinct_id = |\$start_timestamp >= toDateTime\(|\$start_timestamp < toDateTime\()\{([a-z_]+)\}\)?)");
  std::optional<std::string> distinct_id;
  std::optional<std::int64_t> since, until;
  std::string rest = where;
  for (auto it = std::sregex_iterator(where.begin(), where.end(), predicate); it != std::sregex_iterator();
       ++it) {
    const std::string op = (*it)[1];
    const auto& value = values.at((*it)[2].str());
    const std::string constant = value.is_string() ? std::string(value.get_string()) : json::serialize(value);
    if (op.starts_with("distinct_id"))
      distinct_id = constant;
    else if (op.find(">=") != std::string::npos)
      since = parse_time_ms(constant);
    else
      until = parse_time_ms(constant);
  }
  std::vector<FakeSession> rows;
  {
    std::lock_guard lock(mutex_);
    for (const auto& s : sessions_) {
      if (distinct_id && s.distinct_id != *distinct_id) continue;
      if (since && s.start_ms < *since) continue;
      if (until && s.start_ms >= *until) continue;
      rows.push_back(s);
    }
  }
  std::sort(rows.begin(), rows.end(), [](const FakeSession& a, const FakeSession& b) {
    return a.start_ms != b.start_ms ? a.start_ms > b.start_ms : a.session_id > b.session_id;
  });
  json::array results;
  for (std::size_t i = offset; i < rows.size() && i < offset + limit; ++i) {
    const auto& s = rows[i];
    json::array row;
    for (const auto& column : columns) {
      if (column == "session_id")
        row.emplace_back(s.session_id);
      else if (column == "distinct_id")
        row.emplace_back(s.distinct_id);
      else if (column == "$start_timestamp")
        row.emplace_back(hogql_time(s.start_ms));
      else if (column == "$end_timestamp")
        row.emplace_back(hogql_time(s.end_ms));
      else if (column == "$session_duration")
        row.emplace_back((s.end_ms - s.start_ms) / 1000);
      else if (column == "$entry_current_url")
        row.emplace_back(s.entry_url);
      else if (column == "$end_current_url")
        row.emplace_back(s.exit_url);
      else if (column == "$pageview_count")
        row.emplace_back(s.pageviews);
      else if (column == "$is_bounce")
        row.emplace_back(s.is_bounce);
      else if (column == "$channel_type")
        row.emplace_back(s.channel);
      else if (column == "arraySum(mapValues($event_count_map)) AS events_count")
        row.emplace_back(s.events);
      else {
        send_json(res, 400,
                  drf_error("validation_error", "invalid_input", "Unable to resolve field: " + column));
        return;
      }
    }
    results.push_back(std::move(row));
  }
  json::array column_names, types;
  for (const auto& c : columns) {
    // HogQL names an aliased expression by its alias.
    const auto alias = c.rfind(" AS ");
    column_names.emplace_back(alias == std::string::npos ? c : c.substr(alias + 4));
    types.emplace_back("String");
  }
  send_json(res, 200,
            json::object{{"columns", std::move(column_names)},
                         {"types", std::move(types)},
                         {"results", std::move(results)},
                         {"hasMore", false},
                         {"limit", limit},
                         {"offset", offset},
                         {"hogql", text},
                         {"timings", json::array{}}});
}

void FakePosthog::answer_hogql(const std::string& text, httplib::Response& res) {
  json::object answer;
  {
    std::lock_guard lock(mutex_);
    answer = *hogql_answer_;
  }
  const auto& all = answer.at("rows").as_array();
  // PostHog runs a query's own final LIMIT; a single SELECT without one goes through its paginator, which
  // asks for 101 rows and answers 100 with hasMore.
  static const std::regex final_limit(R"(\bLIMIT\s+(\d+)\s*$)", std::regex::icase);
  std::smatch m;
  const bool own_limit = std::regex_search(text, m, final_limit);
  const std::size_t cap = own_limit ? std::stoul(m[1]) : 100;
  json::array rows(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(cap, all.size())));
  json::object body{{"columns", answer.at("columns")},
                    {"types", answer.at("types")},
                    {"results", std::move(rows)},
                    {"hogql", text},
                    {"clickhouse", "SELECT ... -- the fake runs no ClickHouse"},
                    {"timings", json::array{}},
                    {"is_cached", false}};
  if (!own_limit) {
    body["hasMore"] = all.size() > cap;
    body["limit"] = cap;
    body["offset"] = 0;
  }
  send_json(res, 200, body);
}

void FakePosthog::handle_funnel(const json::object& query, httplib::Response& res) {
  const auto* series = query.if_contains("series");
  const auto* filter = query.if_contains("funnelsFilter");
  if (series == nullptr || !series->is_array() || series->get_array().size() < 2 || filter == nullptr ||
      !filter->is_object()) {
    send_json(res, 400,
              drf_error("validation_error", "invalid_input", "series: at least 2 steps are required"));
    return;
  }
  struct step_def {
    std::string event;
    json::value custom_name;
    json::array properties;
  };
  std::vector<step_def> steps;
  for (const auto& node_value : series->get_array()) {
    const auto& node = node_value.get_object();
    if (string_of(node, "kind") != "EventsNode") {
      send_json(res, 400, drf_error("validation_error", "invalid_input", "series: EventsNode expected"));
      return;
    }
    step_def step{string_of(node, "event"), nullptr, {}};
    if (const auto* c = node.if_contains("custom_name")) step.custom_name = *c;
    if (const auto* p = node.if_contains("properties"); p != nullptr && p->is_array())
      step.properties = p->get_array();
    steps.push_back(std::move(step));
  }
  const auto& f = filter->get_object();
  const std::int64_t interval =
      f.contains("funnelWindowInterval") ? f.at("funnelWindowInterval").as_int64() : 14;
  const std::string unit =
      f.contains("funnelWindowIntervalUnit") ? string_of(f, "funnelWindowIntervalUnit") : "day";
  const std::int64_t unit_ms = unit == "minute"  ? 60'000
                               : unit == "hour"  ? 3'600'000
                               : unit == "week"  ? 7 * 86'400'000LL
                               : unit == "month" ? 30 * 86'400'000LL
                                                 : 86'400'000LL;
  const std::int64_t window = interval * unit_ms;
  std::int64_t from = now_ms() - 30 * 86'400'000LL, to = now_ms() + 1;
  if (const auto* range = query.if_contains("dateRange"); range != nullptr && range->is_object()) {
    from = bound_ms(string_of(range->get_object(), "date_from"), from);
    to = bound_ms(string_of(range->get_object(), "date_to"), to);
  }
  std::string breakdown;
  if (const auto* b = query.if_contains("breakdownFilter"); b != nullptr && b->is_object()) {
    breakdown = string_of(b->get_object(), "breakdown");
  }

  auto matches = [](const FunnelEvent& e, const step_def& step) {
    if (e.event != step.event) return false;
    for (const auto& p : step.properties) {
      const auto& filter = p.get_object();
      const auto* actual = e.properties.if_contains(string_of(filter, "key"));
      if (actual == nullptr || *actual != filter.at("value")) return false;
    }
    return true;
  };

  std::map<std::string, std::vector<FunnelEvent>> by_person;
  {
    std::lock_guard lock(mutex_);
    for (const auto& e : funnel_events_) {
      if (e.time_ms >= from && e.time_ms < to) by_person[e.person].push_back(e);
    }
  }
  struct tally {
    std::vector<std::int64_t> counts;
    std::vector<std::vector<double>> times;
  };
  std::map<std::string, tally> groups;  // breakdown value ("" without breakdown) -> counts
  for (auto& [person, events] : by_person) {
    std::sort(events.begin(), events.end(), [](auto& a, auto& b) { return a.time_ms < b.time_ms; });
    // The person's first step-0 event starts their attempt.
    auto first = std::find_if(events.begin(), events.end(), [&](auto& e) { return matches(e, steps[0]); });
    if (first == events.end()) continue;
    std::string value;
    if (!breakdown.empty()) {
      const auto* v = first->properties.if_contains(breakdown);
      value = v == nullptr ? "" : (v->is_string() ? std::string(v->get_string()) : json::serialize(*v));
    }
    auto& t = groups[value];
    t.counts.resize(steps.size(), 0);
    t.times.resize(steps.size());
    t.counts[0] += 1;
    std::int64_t previous = first->time_ms;
    auto cursor = first + 1;
    for (std::size_t i = 1; i < steps.size(); ++i) {
      auto next = std::find_if(cursor, events.end(), [&](auto& e) { return matches(e, steps[i]); });
      if (next == events.end() || next->time_ms - first->time_ms > window) break;
      t.counts[i] += 1;
      t.times[i].push_back(static_cast<double>(next->time_ms - previous) / 1000.0);
      previous = next->time_ms;
      cursor = next + 1;
    }
  }
  auto steps_json = [&](const tally& t, const std::string* value) {
    json::array out;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      json::value average = nullptr, median = nullptr;
      if (i > 0 && !t.times[i].empty()) {
        auto sorted = t.times[i];
        std::sort(sorted.begin(), sorted.end());
        double sum = 0;
        for (double x : sorted) sum += x;
        average = sum / static_cast<double>(sorted.size());
        median = sorted[sorted.size() / 2];
      }
      json::object step{{"action_id", steps[i].event},
                        {"name", steps[i].event},
                        {"custom_name", steps[i].custom_name},
                        {"order", i},
                        {"people", json::array{}},
                        {"count", t.counts[i]},
                        {"type", "events"},
                        {"average_conversion_time", average},
                        {"median_conversion_time", median}};
      if (value != nullptr) {
        step["breakdown"] = json::array{json::string(*value)};
        step["breakdown_value"] = json::array{json::string(*value)};
      }
      out.push_back(std::move(step));
    }
    return out;
  };
  json::array results;
  if (breakdown.empty()) {
    tally t;
    if (groups.contains("")) t = groups.at("");
    t.counts.resize(steps.size(), 0);
    t.times.resize(steps.size());
    results = steps_json(t, nullptr);
  } else {
    for (const auto& [value, t] : groups) results.push_back(steps_json(t, &value));
  }
  send_json(res, 200,
            json::object{{"results", std::move(results)}, {"isUdf", true}, {"timings", json::array{}}});
}

void FakePosthog::handle_recordings(const httplib::Request& req, httplib::Response& res) {
  const std::int64_t from = bound_ms(req.get_param_value("date_from"), now_ms() - 3 * 86'400'000LL);
  const std::int64_t to = bound_ms(req.get_param_value("date_to"), now_ms() + 1);
  const std::size_t limit = req.has_param("limit") ? std::stoul(req.get_param_value("limit")) : 50;
  const std::size_t offset = req.has_param("offset") ? std::stoul(req.get_param_value("offset")) : 0;
  std::optional<std::set<std::string>> distinct_ids;
  if (req.has_param("distinct_ids")) {
    boost::system::error_code ec;
    const auto parsed = json::parse(req.get_param_value("distinct_ids"), ec);
    if (ec || !parsed.is_array()) {
      send_json(res, 400,
                drf_error("validation_error", "invalid_input", "distinct_ids: must be a JSON list"));
      return;
    }
    distinct_ids.emplace();
    for (const auto& id : parsed.get_array()) {
      if (id.is_string()) distinct_ids->insert(std::string(id.get_string()));
    }
  }
  const std::string person = req.get_param_value("person_uuid");
  // The searches (RecordingsQuery's events, properties, console_log_filters, having_predicates), each a
  // JSON list; anything this fake cannot evaluate is refused the way PostHog refuses a malformed query.
  std::string refusal;
  auto list_param = [&](const char* name) {
    json::array list;
    if (!req.has_param(name)) return list;
    boost::system::error_code ec;
    auto parsed = json::parse(req.get_param_value(name), ec);
    if (ec || !parsed.is_array()) {
      refusal = std::string(name) + ": must be a JSON list";
      return list;
    }
    return parsed.get_array();
  };
  const json::array event_filters = list_param("events");
  const json::array person_filters = list_param("properties");
  const json::array console_filters = list_param("console_log_filters");
  const json::array having = list_param("having_predicates");
  if (req.has_param("operand") && req.get_param_value("operand") != "AND") refusal = "operand: only AND here";
  if (!refusal.empty()) {
    send_json(res, 400, drf_error("validation_error", "invalid_input", refusal));
    return;
  }
  auto property_holds = [&](const json::object& filter, const json::object& properties) {
    const std::string key = string_of(filter, "key");
    const std::string op = string_of(filter, "operator");
    const auto* wanted = filter.if_contains("value");
    const auto* actual = properties.if_contains(key);
    if (wanted == nullptr || actual == nullptr) return false;
    if (op == "exact") return *wanted == *actual;
    if (op == "icontains" && wanted->is_string() && actual->is_string()) {
      auto lower = [](std::string text) {
        for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return text;
      };
      return lower(std::string(actual->get_string())).find(lower(std::string(wanted->get_string()))) !=
             std::string::npos;
    }
    refusal = "unsupported operator " + op;
    return false;
  };
  auto searched = [&](const json::object& r) {
    const json::array no_events;
    const auto* happened = r.if_contains("_events");
    const json::array& events =
        happened != nullptr && happened->is_array() ? happened->get_array() : no_events;
    for (const auto& wanted : event_filters) {
      if (!wanted.is_object() || string_of(wanted.get_object(), "type") != "events") {
        refusal = "events: each entry needs \"type\": \"events\"";
        return false;
      }
      const auto& w = wanted.get_object();
      bool found = false;
      for (const auto& event : events) {
        const auto& e = event.get_object();
        if (string_of(e, "event") != string_of(w, "id")) continue;
        bool all = true;
        if (const auto* filters = w.if_contains("properties"); filters != nullptr && filters->is_array()) {
          const json::object none;
          const auto* props = e.if_contains("properties");
          for (const auto& f : filters->get_array()) {
            all = all && property_holds(f.get_object(), props != nullptr ? props->get_object() : none);
          }
        }
        found = found || all;
      }
      if (!found) return false;
    }
    for (const auto& filter : person_filters) {
      const auto* p = r.if_contains("person");
      const auto* props =
          p != nullptr && p->is_object() ? p->get_object().if_contains("properties") : nullptr;
      if (props == nullptr || !props->is_object() || string_of(filter.get_object(), "type") != "person" ||
          !property_holds(filter.get_object(), props->get_object()))
        return false;
    }
    for (const auto& filter : console_filters) {
      const auto& f = filter.get_object();
      const auto* levels = r.if_contains("_console_levels");
      if (string_of(f, "key") != "level" || string_of(f, "type") != "log_entry" || levels == nullptr)
        return false;
      bool found = false;
      for (const auto& level : f.at("value").get_array()) {
        for (const auto& seen : levels->get_array()) found = found || level == seen;
      }
      if (!found) return false;
    }
    for (const auto& predicate : having) {
      const auto& p = predicate.get_object();
      const auto* actual = r.if_contains(string_of(p, "key"));
      const auto* wanted = p.if_contains("value");
      if (string_of(p, "type") != "recording" || actual == nullptr || wanted == nullptr) return false;
      const double a = actual->to_number<double>();
      const double w = wanted->to_number<double>();
      const std::string op = string_of(p, "operator");
      if (op == "gte" ? a < w : op == "gt" ? a <= w : op == "lt" ? a >= w : op == "lte" ? a > w : true) {
        if (op != "gte" && op != "gt" && op != "lt" && op != "lte") refusal = "unsupported operator " + op;
        return false;
      }
    }
    return true;
  };
  std::vector<json::object> matching;
  {
    std::lock_guard lock(mutex_);
    for (const auto& r : recordings_) {
      const auto start = parse_time_ms(string_of(r, "start_time"));
      if (!start || *start < from || *start >= to) continue;
      if (distinct_ids && !distinct_ids->contains(string_of(r, "distinct_id"))) continue;
      if (!person.empty()) {
        const auto* p = r.if_contains("person");
        if (p == nullptr || !p->is_object() || string_of(p->get_object(), "uuid") != person) continue;
      }
      if (!searched(r)) continue;
      json::object shown = r;  // what the search looked at is not part of PostHog's answer
      shown.erase("_events");
      shown.erase("_console_levels");
      matching.push_back(std::move(shown));
    }
  }
  std::sort(matching.begin(), matching.end(), [](const json::object& a, const json::object& b) {
    return *parse_time_ms(string_of(a, "start_time")) > *parse_time_ms(string_of(b, "start_time"));
  });
  if (!refusal.empty()) {
    send_json(res, 400, drf_error("validation_error", "invalid_input", refusal));
    return;
  }
  json::array results;
  for (std::size_t i = offset; i < matching.size() && i < offset + limit; ++i) {
    results.push_back(matching[i]);
  }
  send_json(
      res, 200,
      json::object{
          {"results", std::move(results)}, {"has_next", offset + limit < matching.size()}, {"version", 4}});
}

void FakePosthog::handle_recording(const httplib::Request& req, httplib::Response& res) {
  // Take the id from the raw target: exactly one segment after session_recordings/, percent-decoded.
  const std::string path = req.target.substr(0, req.target.find('?'));
  static const std::regex shape(R"(^/api/projects/[^/]+/session_recordings/([^/]+)/$)");
  std::smatch m;
  if (!std::regex_match(path, m, shape)) {
    send_json(res, 404, drf_error("invalid_request_error", "not_found", "Not found."));
    return;
  }
  const std::string id = percent_decode(m[1]);
  std::lock_guard lock(mutex_);
  for (const auto& r : recordings_) {
    if (string_of(r, "id") == id) {
      json::object shown = r;
      shown.erase("_events");
      shown.erase("_console_levels");
      send_json(res, 200, shown);
      return;
    }
  }
  send_json(res, 404, drf_error("invalid_request_error", "not_found", "Not found."));
}

void FakePosthog::handle_feature_flags(const httplib::Request& req, httplib::Response& res) {
  std::size_t limit = req.has_param("limit") ? std::stoul(req.get_param_value("limit")) : 100;
  const std::size_t offset = req.has_param("offset") ? std::stoul(req.get_param_value("offset")) : 0;
  const std::string active = req.get_param_value("active");
  std::string search = req.get_param_value("search");
  std::transform(search.begin(), search.end(), search.begin(), ::tolower);
  std::vector<json::object> matching;
  {
    std::lock_guard lock(mutex_);
    limit = std::min(limit, flags_page_size_);
    for (const auto& f : flag_definitions_) {
      const auto& flag = f.get_object();
      if (flag.contains("deleted") && flag.at("deleted").as_bool()) continue;
      const bool is_active = flag.at("active").as_bool();
      if ((active == "true" && !is_active) || (active == "false" && is_active)) continue;
      if (!search.empty()) {
        std::string haystack = string_of(flag, "key") + " " + string_of(flag, "name");
        std::transform(haystack.begin(), haystack.end(), haystack.begin(), ::tolower);
        if (haystack.find(search) == std::string::npos) continue;
      }
      matching.push_back(flag);
    }
  }
  json::array results;
  for (std::size_t i = offset; i < matching.size() && i < offset + limit; ++i) results.push_back(matching[i]);
  json::value next = nullptr;
  if (offset + limit < matching.size()) {
    next = base_url() + "/api/projects/" + std::to_string(kProjectId) +
           "/feature_flags/?limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset + limit);
  }
  send_json(res, 200,
            json::object{{"count", matching.size()},
                         {"next", next},
                         {"previous", nullptr},
                         {"results", std::move(results)}});
}

void FakePosthog::handle_flags(const httplib::Request& req, httplib::Response& res) {
  if (req.get_param_value("v") != "2") {
    send_json(res, 400,
              json::object{{"type", "validation_error"},
                           {"code", "invalid_version"},
                           {"detail", "the fake only speaks /flags/?v=2"}});
    return;
  }
  const auto body = parse_object_body(req.body);
  if (!body) {
    send_json(res, 400,
              json::object{{"type", "validation_error"},
                           {"code", "malformed_request"},
                           {"detail", "Malformed request data"}});
    return;
  }
  if (!project_key_accepted(*body, res)) return;
  const std::string distinct_id = string_of(*body, "distinct_id");
  if (distinct_id.empty()) {
    send_json(res, 400,
              json::object{{"type", "validation_error"},
                           {"code", "missing_distinct_id"},
                           {"detail", "Decide requires a distinct_id."}});
    return;
  }
  std::optional<std::set<std::string>> only;
  if (const auto* keys = body->if_contains("flag_keys_to_evaluate"); keys != nullptr && keys->is_array()) {
    only.emplace();
    for (const auto& k : keys->get_array()) only->insert(std::string(k.as_string()));
  }
  std::lock_guard lock(mutex_);
  json::object flags;
  for (const auto& f : flag_definitions_) {
    const auto& flag = f.get_object();
    const std::string flag_key = string_of(flag, "key");
    if (only && !only->contains(flag_key)) continue;
    json::object answer{
        {"key", flag_key},
        {"enabled", false},
        {"variant", nullptr},
        {"reason", json::object{{"code", "no_condition_match"},
                                {"condition_index", nullptr},
                                {"description", "No matching condition set"}}},
        {"metadata",
         json::object{
             {"id", flag.at("id")}, {"version", 1}, {"description", nullptr}, {"payload", nullptr}}}};
    if (const auto person = remote_flags_.find(distinct_id); person != remote_flags_.end()) {
      if (const auto configured = person->second.find(flag_key); configured != person->second.end()) {
        for (const auto& [k, v] : configured->second) answer[k] = v;
      }
    }
    flags[flag_key] = std::move(answer);
  }
  send_json(res, 200,
            json::object{{"flags", std::move(flags)},
                         {"errorsWhileComputingFlags", errors_while_computing_},
                         {"requestId", "0190b5c6-7a3e-7c1d-9e2f-000000000001"}});
}

void FakePosthog::handle_definitions(const httplib::Request& req, httplib::Response& res) {
  const std::string header = req.get_header_value("Authorization");
  if (header != std::string("Bearer ") + kPersonalKey) {
    send_json(
        res, 401,
        drf_error("authentication_error", "authentication_failed",
                  header.empty() ? "Authentication credentials were not provided."
                                 : "Personal API key found in request Authorization header is invalid."));
    return;
  }
  if (req.get_param_value("token") != kProjectKey) {
    send_json(res, 401, drf_error("authentication_error", "invalid_api_key", "Project API key invalid."));
    return;
  }
  std::lock_guard lock(mutex_);
  if (!scopes_.contains("feature_flag:read")) {
    send_json(res, 403,
              drf_error("authentication_error", "permission_denied",
                        "API key missing required scope 'feature_flag:read'"));
    return;
  }
  const json::object document{
      {"flags", flag_definitions_}, {"group_type_mapping", group_type_mapping_}, {"cohorts", cohorts_}};
  const std::string text = json::serialize(document);
  const std::string etag = "\"" + std::to_string(std::hash<std::string>{}(text)) + "\"";
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    res.set_header("ETag", etag);
    return;
  }
  res.status = 200;
  res.set_header("ETag", etag);
  res.set_content(text, "application/json");
}

}  // namespace tracking_test
