#include <catch2/catch.hpp>

#include "registry/tool_names.hpp"

using namespace mcpd::registry;

TEST_CASE("published names use the configured separator") {
  CHECK(published_name("tracking", "capture", ".", false) == "tracking.capture");
  CHECK(published_name("tracking", "capture", "_", false) == "tracking_capture");
  CHECK(published_name("tracking", "capture", "__", false) == "tracking__capture");
  CHECK(published_name("conformance", "test_simple_text", "_", true) == "test_simple_text");
  CHECK(qualified_name("gemini", "ask_about_images") == "gemini.ask_about_images");
}

TEST_CASE("namespaces are short lower-case identifiers") {
  CHECK_FALSE(check_namespace("tracking"));
  CHECK_FALSE(check_namespace("my-plugin_2"));
  CHECK(check_namespace(""));
  CHECK(check_namespace("Tracking"));
  CHECK(check_namespace("a.b"));
  CHECK(check_namespace(std::string(33, 'a')));
  CHECK(check_namespace("a b")->find("may contain only") != std::string::npos);
}

TEST_CASE("local tool names exclude dots, spaces and slashes") {
  CHECK_FALSE(check_local_name("ask_about_images"));
  CHECK_FALSE(check_local_name("Get-Thing2"));
  CHECK(check_local_name("a.b"));
  CHECK(check_local_name("has space"));
  CHECK(check_local_name("a/b"));
  CHECK(check_local_name(""));
  CHECK(check_local_name(std::string(65, 'x')));
}

TEST_CASE("only the documented separators are accepted") {
  for (auto s : {".", "_", "-", "__"}) CHECK(is_valid_separator(s));
  for (auto s : {"", "/", ":", " ", "::"}) CHECK_FALSE(is_valid_separator(s));
}
