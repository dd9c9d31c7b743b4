// The result or the error of a JSON-RPC response, required to be there (the response is shown when not).
#pragma once

#include <catch2/catch.hpp>

#include "mcp_session.hpp"

namespace mcpd_test {

inline json::object result_of(const json::object& response) {
  INFO(json::serialize(response));
  REQUIRE(response.contains("result"));
  return response.at("result").as_object();
}

inline json::object error_of(const json::object& response) {
  INFO(json::serialize(response));
  REQUIRE(response.contains("error"));
  return response.at("error").as_object();
}

}  // namespace mcpd_test
