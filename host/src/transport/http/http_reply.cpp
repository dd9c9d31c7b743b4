#include "transport/http/http_reply.hpp"

#include <boost/json.hpp>

#include "jsonrpc/message.hpp"

namespace mcpd::transport::http {

void reply_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.headers.erase("Content-Type");
  res.set_header("Content-Type", "application/json");
}

void reply_error(httplib::Response& res, int status, int code, std::string_view message,
                 const boost::json::value& id, const boost::json::value& data) {
  reply_json(
      res, status,
      boost::json::serialize(jsonrpc::make_error(
          id, code, message, data.is_null() ? std::nullopt : std::optional<boost::json::value>(data))));
}

std::string quoted_header(std::string_view value) {
  constexpr std::size_t kMax = 80;
  std::string out = "\"";
  for (char c : value.substr(0, kMax)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  out += value.size() > kMax ? "...\"" : "\"";
  return out;
}

}  // namespace mcpd::transport::http
