// Assertions around one tools/call for the end-to-end suites of the shipped plugins: the call succeeded
// with structuredContent (and its text block says the same), or failed with isError; and in either case
// no secret of the suite's fake upstream leaked into what the client saw.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "mcp_session.hpp"

namespace mcpd_test {

// `leaks(text)` is true when `text` contains one of the suite's secrets.
template <typename LeakCheck>
json::object structured_result_of(McpSession& session, const std::string& tool, const json::object& arguments,
                                  LeakCheck leaks) {
  const auto result = session.call_tool_result(tool, arguments);
  INFO(tool << " -> " << json::serialize(result) << "\nstderr:\n" << session.diagnostics());
  REQUIRE_FALSE(is_error_result(result));
  REQUIRE(result.contains("structuredContent"));
  const auto& structured = result.at("structuredContent").as_object();
  CHECK(json::parse(text_of(result)) == json::value(structured));
  CHECK_FALSE(leaks(json::serialize(result)));
  return structured;
}

template <typename LeakCheck>
std::string error_text_of(McpSession& session, const std::string& tool, const json::object& arguments,
                          LeakCheck leaks) {
  const auto result = session.call_tool_result(tool, arguments);
  INFO(tool << " -> " << json::serialize(result));
  REQUIRE(is_error_result(result));
  const std::string text = text_of(result);
  CHECK_FALSE(leaks(text));
  return text;
}

}  // namespace mcpd_test
