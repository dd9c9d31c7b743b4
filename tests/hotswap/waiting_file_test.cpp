// The clock of a plugin file that is not complete yet: it runs while the file
// stays the same and starts again whenever the file changes.
#include <catch2/catch.hpp>

#include "hotswap/waiting_file.hpp"

using mcpd::hotswap::FileIdentity;
using mcpd::hotswap::WaitingFile;
using std::chrono::milliseconds;

TEST_CASE("waiting file: refused once unchanged for the timeout, not while it keeps changing", "[partial]") {
  const auto t0 = WaitingFile::Clock::time_point{} + std::chrono::hours(1);
  FileIdentity half{1, 2, 1000, 10, 10};
  const auto first = WaitingFile::seen(nullptr, "the file is truncated", half, t0);
  CHECK_FALSE(first.overdue(t0 + milliseconds(2999), milliseconds(3000)));

  // Seen again unchanged: the wait goes on from the first sight.
  const auto again = WaitingFile::seen(&first, "the file is truncated", half, t0 + milliseconds(2000));
  CHECK(again.since == t0);
  CHECK(again.overdue(t0 + milliseconds(3000), milliseconds(3000)));
  CHECK_THAT(again.refusal(milliseconds(3000)),
             Catch::Contains("the file is truncated") && Catch::Contains("3000 ms") &&
                 Catch::Contains("plugins.incomplete_file_timeout_ms") && Catch::Contains("rename it in"));

  // Still growing: the clock starts again.
  FileIdentity more = half;
  more.size = 2000;
  const auto grown = WaitingFile::seen(&again, "the file is truncated", more, t0 + milliseconds(2500));
  CHECK(grown.since == t0 + milliseconds(2500));
  CHECK_FALSE(grown.overdue(t0 + milliseconds(3000), milliseconds(3000)));
}
