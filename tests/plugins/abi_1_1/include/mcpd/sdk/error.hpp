// mcpd::sdk::error and mcpd::sdk::log_level: the two vocabulary types every other SDK header uses.
#ifndef MCPD_SDK_ERROR_HPP
#define MCPD_SDK_ERROR_HPP

#include <mcpd/plugin_api.h>

#include <boost/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpd::sdk {

namespace json = boost::json;

/// MCP log levels (RFC 5424 severities), lowest first. The values are the ABI's MCPD_LOG_* codes.
enum class log_level : mcpd_log_level {
  debug = MCPD_LOG_DEBUG,
  info = MCPD_LOG_INFO,
  notice = MCPD_LOG_NOTICE,
  warning = MCPD_LOG_WARNING,
  error = MCPD_LOG_ERROR,
  critical = MCPD_LOG_CRITICAL,
  alert = MCPD_LOG_ALERT,
  emergency = MCPD_LOG_EMERGENCY,
};

/// The symbolic name of an ABI status code, e.g. "MCPD_ERR_NOT_FOUND", for messages.
constexpr std::string_view status_name(mcpd_status status) noexcept {
  switch (status) {
    case MCPD_OK:
      return "MCPD_OK";
    case MCPD_ERR_INVALID_ARGUMENT:
      return "MCPD_ERR_INVALID_ARGUMENT";
    case MCPD_ERR_NOT_FOUND:
      return "MCPD_ERR_NOT_FOUND";
    case MCPD_ERR_CANCELLED:
      return "MCPD_ERR_CANCELLED";
    case MCPD_ERR_UNSUPPORTED:
      return "MCPD_ERR_UNSUPPORTED";
    case MCPD_ERR_INTERNAL:
      return "MCPD_ERR_INTERNAL";
    case MCPD_ERR_VERSION_MISMATCH:
      return "MCPD_ERR_VERSION_MISMATCH";
    case MCPD_ERR_TIMEOUT:
      return "MCPD_ERR_TIMEOUT";
    case MCPD_ERR_STATE:
      return "MCPD_ERR_STATE";
    default:
      return "unknown mcpd_status";
  }
}

/// A failure with an ABI status attached.
///
/// The SDK throws it when a host callback fails (the message says which call and why). Plugins may throw it
/// too: from a tool handler it becomes an isError result like any exception; from a resource, prompt or
/// completion handler its status is what the host receives (e.g. MCPD_ERR_NOT_FOUND for an unknown
/// resource); from plugin::init its status becomes the init failure code.
class error : public std::runtime_error {
 public:
  error(mcpd_status status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}

  mcpd_status status() const noexcept { return status_; }

 private:
  mcpd_status status_;
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_ERROR_HPP
