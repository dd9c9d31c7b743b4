#include "definitions_cache.hpp"

namespace mcpd::tracking {

flag_definitions_cache::current flag_definitions_cache::get(const fetch_function& fetch,
                                                            std::chrono::milliseconds refresh_interval) {
  std::lock_guard lock(mutex_);
  current result;
  const auto now = clock::now();
  if (definitions_ && now - fetched_at_ < refresh_interval) {
    result.definitions = definitions_;
    return result;
  }
  result.refreshed = true;
  auto outcome = fetch(definitions_ ? etag_ : std::string());
  if (outcome.reply && outcome.reply->status == 304 && definitions_) {
    fetched_at_ = now;
    result.definitions = definitions_;
    return result;
  }
  if (!outcome.ok()) {
    result.definitions = definitions_;
    result.stale = definitions_ != nullptr;
    result.failed_refresh = std::move(outcome);
    return result;
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(outcome.reply->body, ec);
  if (ec) throw std::invalid_argument("the flag definitions PostHog sent are not JSON");
  auto parsed = std::make_shared<const flag_definitions>(flag_definitions::from_json(std::move(body)));
  definitions_ = std::move(parsed);
  etag_ = std::string(outcome.reply->header("ETag"));
  fetched_at_ = now;
  result.definitions = definitions_;
  return result;
}

}  // namespace mcpd::tracking
