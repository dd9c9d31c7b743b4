// Secrets in upstream error bodies: redacted before any cut, at every offset of the cut. Before the fix a
// key straddling the 80/200/300/500-byte cut came back in part ("Bearer phx_SECRETVALUE45...") and was no
// longer recognised.
#include <catch2/catch.hpp>

#include <string>

#include <mcpd/sdk/http/secrets.hpp>

#include "posthog/upstream_failure.hpp"

namespace http = mcpd::sdk::http;
using namespace mcpd::tracking;

namespace {

constexpr std::string_view personal_key = "phx_SECRETVALUE4567890abcdefghij";
constexpr std::string_view project_key = "phc_PROJECTKEY0987654321zyxwv";

http::secret_list posthog_secrets() {
  http::secret_list secrets;
  secrets.add(personal_key);
  secrets.add(project_key);
  return secrets;
}

// No 5-byte piece of the key may survive anywhere in `text`.
void require_no_piece_of(std::string_view key, const std::string& text) {
  for (std::size_t at = 0; at + 5 <= key.size(); ++at) {
    INFO("text: " << text);
    REQUIRE(text.find(key.substr(at, 5)) == std::string::npos);
  }
}

std::string echo_body(std::size_t offset, std::string_view key) {
  return std::string(offset, 'x') + std::string(key) + " was refused; headers echoed after this" +
         std::string(600, 'y');
}

}  // namespace

TEST_CASE("redacted_excerpt redacts before it cuts, at every offset", "[unit][secrets]") {
  const auto secrets = posthog_secrets();
  for (const std::size_t limit : {std::size_t{80}, std::size_t{200}, std::size_t{300}, std::size_t{500}}) {
    for (std::size_t offset = 0; offset <= limit + personal_key.size(); ++offset) {
      INFO("limit " << limit << ", key at " << offset);
      const std::string excerpt = http::redacted_excerpt(echo_body(offset, personal_key), limit, &secrets);
      require_no_piece_of(personal_key, excerpt);
      CHECK(excerpt.size() <= limit + 3);
      CHECK(excerpt.ends_with("..."));
    }
  }
}

TEST_CASE("redacted_excerpt: a secret after a redacted one is redacted too, wherever the cut moves",
          "[unit][secrets]") {
  // Found by the posthog_responses fuzzer: redacting an early key shortens the text, so the cut lands on
  // later bytes than the window that had been redacted, and a second key there came out in part.
  const auto secrets = posthog_secrets();
  for (const std::size_t limit : {std::size_t{80}, std::size_t{300}}) {
    for (std::size_t offset = 0; offset <= limit + personal_key.size(); ++offset) {
      INFO("limit " << limit << ", second key at " << offset);
      const std::string text = std::string(personal_key) + std::string(project_key) +
                               std::string(offset, 'x') + std::string(personal_key) + std::string(400, 'y');
      const std::string excerpt = http::redacted_excerpt(text, limit, &secrets);
      require_no_piece_of(personal_key, excerpt);
      require_no_piece_of(project_key, excerpt);
    }
  }
}

TEST_CASE("redacted_excerpt keeps short texts whole and never cuts a UTF-8 character", "[unit][secrets]") {
  const auto secrets = posthog_secrets();
  CHECK(http::redacted_excerpt("bad key phx_SECRETVALUE4567890abcdefghij\nretry", 200, &secrets) ==
        "bad key [redacted] retry");
  CHECK(http::redacted_excerpt("plain", 5, nullptr) == "plain");
  CHECK(http::redacted_excerpt("plain!", 5, nullptr) == "plain...");
  // "é" is two bytes; a cut after its first byte backs off to before it.
  CHECK(http::redacted_excerpt("abcé", 4, nullptr) == "abc...");
  CHECK(http::redacted_excerpt("abcé", 5, nullptr) == "abcé");
  CHECK(http::redacted_excerpt("ab€d", 4, nullptr) == "ab...");  // three-byte character
  CHECK(http::redacted_excerpt("ab€d", 5, nullptr) == "ab€...");
}

TEST_CASE("PostHog error details never carry part of a key, wherever the body echoes it", "[unit][secrets]") {
  const auto secrets = posthog_secrets();
  for (std::size_t offset = 0; offset <= 340; ++offset) {
    INFO("key at " << offset);
    for (const auto key : {personal_key, project_key}) {
      const std::string body = echo_body(offset, "Authorization: Bearer " + std::string(key));
      require_no_piece_of(key, error_detail(body, &secrets));
      const std::string json_body = R"({"detail":")" + body + R"("})";
      require_no_piece_of(key, error_detail(json_body, &secrets));
      request_context context{"tracking.capture", "default", posthog_key::project, "", "", "", {}, &secrets};
      try {
        parse_json_body(context, body);
        FAIL("a body that is not JSON was accepted");
      } catch (const std::exception& error) {
        require_no_piece_of(key, error.what());
      }
    }
  }
}
