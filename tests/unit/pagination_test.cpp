#include <catch2/catch.hpp>

#include "registry/pagination.hpp"

using namespace mcpd::registry;

TEST_CASE("pages cover every item exactly once") {
  const std::size_t total = 23, size = 5;
  std::optional<std::string> cursor;
  std::size_t seen = 0, pages = 0;
  do {
    auto page = paginate(total, cursor ? std::optional<std::string_view>(*cursor) : std::nullopt, size);
    REQUIRE(page);
    CHECK(page->begin == seen);
    seen = page->end;
    cursor = page->next_cursor;
    ++pages;
  } while (cursor);
  CHECK(seen == total);
  CHECK(pages == 5);
}

TEST_CASE("the last page has no next cursor") {
  auto page = paginate(3, std::nullopt, 10);
  REQUIRE(page);
  CHECK(page->end == 3);
  CHECK_FALSE(page->next_cursor);
  auto exact = paginate(10, std::nullopt, 10);
  CHECK_FALSE(exact->next_cursor);
}

TEST_CASE("an empty list is one empty page") {
  auto page = paginate(0, std::nullopt, 10);
  REQUIRE(page);
  CHECK(page->begin == 0);
  CHECK(page->end == 0);
}

TEST_CASE("cursors we did not issue are rejected") {
  CHECK_FALSE(paginate(10, std::string_view("garbage!"), 5));
  CHECK_FALSE(paginate(10, std::string_view(""), 5));
  CHECK_FALSE(paginate(10, std::string_view("bWNwZC1vZmZzZXQ6eA=="), 5));  // "mcpd-offset:x"
  CHECK_FALSE(paginate(3, encode_cursor(7), 5));                           // past the end
  CHECK(decode_cursor(encode_cursor(42)) == 42u);
}
