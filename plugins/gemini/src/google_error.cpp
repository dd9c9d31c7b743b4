#include "google_error.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "providers/json_fields.hpp"

namespace mcpd::gemini {
namespace {

bool ends_with_type(const boost::json::object& detail, std::string_view type_name) {
  return string_at(detail, "@type").ends_with(type_name);
}

}  // namespace

bool google_error::daily_quota() const {
  for (const auto& id : quota_ids) {
    if (id.find("PerDay") != std::string::npos) return true;
  }
  return false;
}

std::optional<std::chrono::milliseconds> parse_protobuf_duration(std::string_view text) {
  if (!text.ends_with('s')) return std::nullopt;
  text.remove_suffix(1);
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  long long seconds = 0;
  if (!whole.empty()) {
    const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
    if (ec != std::errc{} || end != whole.data() + whole.size() || seconds < 0) return std::nullopt;
  }
  long long millis = 0;
  int digits = 0;
  for (const char c : fraction) {
    if (c < '0' || c > '9') return std::nullopt;
    if (digits < 3) {
      millis = millis * 10 + (c - '0');
      ++digits;
    }
  }
  for (; digits < 3; ++digits) millis *= 10;
  if (seconds > 100'000'000) seconds = 100'000'000;
  return std::chrono::milliseconds(seconds * 1000 + millis);
}

std::optional<google_error> parse_google_error(std::string_view body) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  if (ec) return std::nullopt;
  if (parsed.is_array() && !parsed.get_array().empty()) parsed = parsed.get_array().front();
  if (!parsed.is_object()) return std::nullopt;
  const auto* error = parsed.get_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return std::nullopt;
  const auto& fields = error->get_object();

  google_error result;
  if (const auto* code = fields.if_contains("code"); code != nullptr && code->is_int64())
    result.code = static_cast<int>(code->get_int64());
  result.status = string_at(fields, "status");
  result.message = string_at(fields, "message");
  if (const auto* details = fields.if_contains("details"); details != nullptr && details->is_array()) {
    for (const auto& item : details->get_array()) {
      if (!item.is_object()) continue;
      const auto& detail = item.get_object();
      if (ends_with_type(detail, "google.rpc.RetryInfo")) {
        result.retry_delay = parse_protobuf_duration(string_at(detail, "retryDelay"));
      } else if (ends_with_type(detail, "google.rpc.QuotaFailure")) {
        const auto* violations = detail.if_contains("violations");
        if (violations == nullptr || !violations->is_array()) continue;
        for (const auto& violation : violations->get_array()) {
          if (!violation.is_object()) continue;
          std::string id = string_at(violation.get_object(), "quotaId");
          if (!id.empty()) result.quota_ids.push_back(std::move(id));
        }
      } else if (ends_with_type(detail, "google.rpc.BadRequest")) {
        const auto* violations = detail.if_contains("fieldViolations");
        if (violations == nullptr || !violations->is_array()) continue;
        for (const auto& violation : violations->get_array()) {
          if (!violation.is_object()) continue;
          std::string field = string_at(violation.get_object(), "field");
          if (!field.empty()) result.refused_fields.push_back(std::move(field));
        }
      } else if (ends_with_type(detail, "google.rpc.ErrorInfo")) {
        result.reason = string_at(detail, "reason");
      }
    }
  }
  return result;
}

sdk::http::retry_advice gemini_retry_advice(const sdk::http::response& reply) {
  using sdk::http::retry_advice;
  retry_advice advice;
  if (reply.status != 429) return advice;
  const auto error = parse_google_error(reply.body);
  if (!error) return advice;
  if (error->daily_quota()) {
    advice.verdict = retry_advice::decision::give_up;
    advice.delay = error->retry_delay;  // reported, never waited for
    return advice;
  }
  advice.verdict = retry_advice::decision::retry;
  advice.delay = error->retry_delay;
  return advice;
}

}  // namespace mcpd::gemini
