#include <catch2/catch.hpp>

#include "protocol/protocol_version.hpp"

using namespace mcpd::protocol;

TEST_CASE("every supported revision is echoed back") {
  for (auto v : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) CHECK(negotiate(v) == v);
}

TEST_CASE("an unsupported revision is answered with the latest") {
  CHECK(negotiate("2024-10-07") == kLatestVersion);
  CHECK(negotiate("2026-07-28") == kLatestVersion);
  CHECK(negotiate("") == kLatestVersion);
  CHECK(negotiate("banana") == kLatestVersion);
}

TEST_CASE("features are gated by the negotiated revision") {
  CHECK(allows_batches("2025-03-26"));
  CHECK(allows_batches("2024-11-05"));
  CHECK_FALSE(allows_batches("2025-06-18"));
  CHECK_FALSE(allows_batches("2025-11-25"));
  CHECK(has_structured_content("2025-06-18"));
  CHECK_FALSE(has_structured_content("2025-03-26"));
  CHECK(has_audio_content("2025-03-26"));
  CHECK_FALSE(has_audio_content("2024-11-05"));
}
