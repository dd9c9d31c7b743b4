#include "protocol/task_channel.hpp"

#include <cmath>

namespace mcpd::protocol {
namespace json = boost::json;

namespace {
std::string number_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    const double d = v.get_double();
    return d == std::floor(d) && std::fabs(d) < 1e15 ? std::to_string(static_cast<long long>(d))
                                                      : std::to_string(d);
  }
  return "?";
}
}  // namespace

void TaskChannel::notify(std::string_view method, json::object params) {
  if (method != "notifications/progress") return;  // a task has no stream for logs
  std::string message;
  if (const auto* m = params.if_contains("message"); m != nullptr && m->is_string()) {
    message = m->get_string();
  } else if (const auto* p = params.if_contains("progress"); p != nullptr) {
    message = "progress " + number_text(*p);
    if (const auto* t = params.if_contains("total"); t != nullptr) message += " of " + number_text(*t);
  }
  if (!message.empty()) runner_.report_status(task_id_, std::move(message));
}

bridge::ClientReply TaskChannel::request(std::string_view method, json::object params,
                                         std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled) {
  const std::string key = "request-" + std::to_string(++requests_);
  json::object requests{{key, json::object{{"method", method}, {"params", std::move(params)}}}};
  auto answers = runner_.wait_for_input(task_id_, requests, timeout);
  if (!answers) {
    if (cancelled.load()) return {MCPD_ERR_CANCELLED, "the task was cancelled"};
    return {MCPD_ERR_TIMEOUT, "no tasks/update answered \"" + std::string(method) + "\" in time"};
  }
  return {MCPD_OK, json::serialize(answers->at(key))};
}

}  // namespace mcpd::protocol
