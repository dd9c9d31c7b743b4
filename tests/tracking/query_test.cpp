// tracking_query end to end: rows exactly as PostHog sent them, placeholders as values, the row cap, the
// read-only check (not fooled by literals and comments), PostHog's errors, throttling and the time limit.
#include <chrono>

#include "tracking_harness.hpp"

using namespace tracking_test;

namespace {

constexpr const char* kTool = "tracking_query";

// One string column "id" with `count` rows "r0", "r1", ...
void set_id_rows(FakePosthog& fake, int count) {
  json::array rows;
  for (int i = 0; i < count; ++i) rows.push_back(json::array{json::value("r" + std::to_string(i))});
  fake.set_hogql_answer({"id"}, {json::array{"id", "String"}}, std::move(rows));
}

json::object last_hogql(const FakePosthog& fake) {
  const auto requests = fake.requests(kQuery);
  REQUIRE_FALSE(requests.empty());
  return json::parse(requests.back().body).at("query").as_object();
}

std::string sent_text(const FakePosthog& fake) {
  return std::string(last_hogql(fake).at("query").as_string());
}

}  // namespace

TEST_CASE("query returns PostHog's columns, types and rows exactly as sent", "[query]") {
  FakePosthog fake;
  const json::array rows{json::array{"$pageview", 1200, 0.75, "2025-01-31T08:15:00.123000+00:00",
                                     json::array{"a", "b"}, "{\"plan\":\"pro\"}", true},
                         json::array{"signed_up", 30, 0.025, nullptr, json::array{}, "", false}};
  fake.set_hogql_answer(
      {"event", "n", "share", "last_seen", "tags", "props", "paid"},
      {json::array{"event", "String"}, json::array{"n", "UInt64"}, json::array{"share", "Float64"},
       json::array{"last_seen", "Nullable(DateTime64(6, 'UTC'))"}, json::array{"tags", "Array(String)"},
       json::array{"props", "String"}, json::array{"paid", "Bool"}},
      rows);
  auto mcpd = start_mcpd(tracking_section(fake));
  const std::string text =
      "SELECT event, count() AS n, n / 1600 AS share, max(timestamp) AS last_seen, tags, props, paid\n"
      "FROM events GROUP BY event ORDER BY n DESC";
  const auto result = call_ok(*mcpd, kTool, {{"query", text}});

  CHECK(result == json::object{{"columns", {"event", "n", "share", "last_seen", "tags", "props", "paid"}},
                               {"types",
                                {"String", "UInt64", "Float64", "Nullable(DateTime64(6, 'UTC'))",
                                 "Array(String)", "String", "Bool"}},
                               {"rows", rows},
                               {"row_count", 2},
                               {"truncated", false},
                               {"hogql", text + "\nLIMIT 101"}});

  const auto requests = fake.requests(kQuery);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/api/projects/4242/query/");
  CHECK(json::parse(requests[0].body) ==
        json::value(json::object{{"query", {{"kind", "HogQLQuery"}, {"query", text + "\nLIMIT 101"}}},
                                 {"name", "mcpd tracking.query"}}));
}

TEST_CASE("placeholders travel as values and the query text is sent unchanged", "[query][injection]") {
  FakePosthog fake;
  set_id_rows(fake, 2);
  auto mcpd = start_mcpd(tracking_section(fake));

  SECTION("a query with its own LIMIT is sent byte for byte") {
    const std::string text =
        "SELECT distinct_id AS id FROM events WHERE distinct_id = {user} AND timestamp >= "
        "toDateTime({since}) "
        "AND event IN {names} AND properties.$browser = {browser} LIMIT 10";
    const json::object values{{"user", "x' OR 1=1 --"},
                              {"since", "2025-01-01T00:00:00Z"},
                              {"names", json::array{"$pageview", "signed_up"}},
                              {"browser", nullptr}};
    const auto result = call_ok(*mcpd, kTool, {{"query", text}, {"values", values}});
    CHECK(result.at("row_count") == 2);
    const auto hogql = last_hogql(fake);
    CHECK(hogql.at("query") == json::value(text));
    CHECK(hogql.at("values") == json::value(values));
    CHECK(std::string(hogql.at("query").as_string()).find("OR 1=1") == std::string::npos);
  }
  SECTION("a single SELECT without a LIMIT gets only the cap appended, on its own line") {
    const std::string text = "SELECT distinct_id AS id FROM events WHERE event = {name} -- the last line";
    call_ok(*mcpd, kTool, {{"query", text}, {"values", {{"name", "signed_up"}}}, {"limit", 20}});
    CHECK(sent_text(fake) == text + "\nLIMIT 21");
    CHECK(last_hogql(fake).at("values") == json::value(json::object{{"name", "signed_up"}}));
  }
  SECTION("a final ';' and the comment after it are dropped") {
    call_ok(*mcpd, kTool, {{"query", "select 1 AS id; -- done\n"}});
    CHECK(sent_text(fake) == "select 1 AS id\nLIMIT 101");
    CHECK_FALSE(last_hogql(fake).contains("values"));
  }
}

TEST_CASE("the row cap cuts the rows beyond limit and says so", "[query][limit]") {
  FakePosthog fake;
  set_id_rows(fake, 5);

  SECTION("PostHog is asked for one row more than the cap") {
    auto mcpd = start_mcpd(tracking_section(fake));
    const auto result = call_ok(*mcpd, kTool, {{"query", "SELECT id FROM events"}, {"limit", 3}});
    CHECK(sent_text(fake) == "SELECT id FROM events\nLIMIT 4");
    CHECK(result.at("rows") == json::value(json::array{{"r0"}, {"r1"}, {"r2"}}));
    CHECK(result.at("row_count") == 3);
    CHECK(result.at("truncated") == true);
    CHECK(result.at("note") ==
          "Only the first 3 rows are returned (limit); the query matched more. Raise limit (up to 1000), or "
          "narrow the query: filter with WHERE, aggregate with GROUP BY, or page with a WHERE on the last "
          "row's ORDER BY value.");
  }
  SECTION("exactly limit rows are not truncated") {
    auto mcpd = start_mcpd(tracking_section(fake));
    const auto result = call_ok(*mcpd, kTool, {{"query", "SELECT id FROM events"}, {"limit", 5}});
    CHECK(result.at("row_count") == 5);
    CHECK(result.at("truncated") == false);
    CHECK_FALSE(result.contains("note"));
  }
  SECTION("a query's own larger LIMIT is sent as written and its extra rows are cut") {
    auto mcpd = start_mcpd(tracking_section(fake));
    const auto result = call_ok(*mcpd, kTool, {{"query", "SELECT id FROM events LIMIT 50"}, {"limit", 2}});
    CHECK(sent_text(fake) == "SELECT id FROM events LIMIT 50");
    CHECK(result.at("rows") == json::value(json::array{{"r0"}, {"r1"}}));
    CHECK(result.at("truncated") == true);
  }
  SECTION("at the configured maximum the note does not offer a larger limit") {
    auto mcpd = start_mcpd(tracking_section(fake, {{"query", {{"max_rows", 3}}}}));
    const auto result = call_ok(*mcpd, kTool, {{"query", "SELECT id FROM events"}, {"limit", 3}});
    CHECK(result.at("note") ==
          "Only the first 3 rows are returned (limit); the query matched more. Narrow the query: filter with "
          "WHERE, aggregate with GROUP BY, or page with a WHERE on the last row's ORDER BY value.");
    // Without limit the default is 100, or the maximum when that is lower.
    CHECK(call_ok(*mcpd, kTool, {{"query", "SELECT id FROM events"}}).at("row_count") == 3);
    CHECK(sent_text(fake) == "SELECT id FROM events\nLIMIT 4");
    CHECK(call_error(*mcpd, kTool, {{"query", "SELECT id FROM events"}, {"limit", 4}}) ==
          "Invalid arguments for tool tracking_query: limit: must be <= 3, got 4");
  }
  SECTION("when PostHog applies its own default LIMIT and says hasMore, truncated says so") {
    set_id_rows(fake, 150);
    auto mcpd = start_mcpd(tracking_section(fake));
    const std::string text = "SELECT id FROM events ORDER BY id LIMIT 1 BY id";
    const auto result = call_ok(*mcpd, kTool, {{"query", text}, {"limit", 500}});
    CHECK(sent_text(fake) == text);  // LIMIT ... BY: no LIMIT can be appended
    CHECK(result.at("row_count") == 100);
    CHECK(result.at("truncated") == true);
    CHECK(result.at("note") ==
          "PostHog stopped after 100 rows (its default when it sets the LIMIT itself) and says more match. "
          "End the query with LIMIT n (n up to 500) to get more.");
  }
}

TEST_CASE("anything but one SELECT is refused before PostHog is asked", "[query][read-only]") {
  FakePosthog fake;
  set_id_rows(fake, 1);
  auto mcpd = start_mcpd(tracking_section(fake));
  const auto refusal = [&](const std::string& text) { return call_error(*mcpd, kTool, {{"query", text}}); };

  CHECK(refusal("INSERT INTO events (event) VALUES ('x')") ==
        "tracking_query: \"query\" must be one read-only SELECT (or WITH ... SELECT), but it starts with "
        "INSERT "
        "at line 1, column 1. This tool only reads: write a SELECT; HogQL has no INSERT, UPDATE, DELETE, "
        "ALTER, DROP or other statement that changes data.");
  CHECK(refusal("SELECT 1; DROP TABLE x") ==
        "tracking_query: \"query\" holds more than one statement: the ';' at line 1, column 9 is followed by "
        "\"DROP TABLE x\". Send one SELECT per call (a ';' inside a string literal is fine).");
  // A comment that ends at the line break cannot hide the statement on the next line.
  CHECK(refusal("SELECT 1 -- just one query\n; DELETE FROM events WHERE 1") ==
        "tracking_query: \"query\" holds more than one statement: the ';' at line 2, column 1 is followed by "
        "\"DELETE FROM events WHERE 1\". Send one SELECT per call (a ';' inside a string literal is fine).");
  CHECK(
      refusal("/* SELECT 1 */ DROP TABLE events") ==
      "tracking_query: \"query\" must be one read-only SELECT (or WITH ... SELECT), but it starts with DROP "
      "at line 1, column 16. This tool only reads: write a SELECT; HogQL has no INSERT, UPDATE, DELETE, "
      "ALTER, DROP or other statement that changes data.");
  CHECK(refusal("WITH 1 AS x ALTER TABLE events DELETE WHERE x") ==
        "tracking_query: \"query\" starts with WITH at line 1, column 1 but no SELECT follows it outside "
        "parentheses: write WITH name AS (SELECT ...) SELECT ... FROM name");
  CHECK(refusal("SELECT 'it''s") ==
        "tracking_query: \"query\" has an unterminated string literal starting at line 1, column 8: close it "
        "with ' (write a quote inside it twice, or after a backslash)");
  CHECK(
      refusal("SELECT 1 /* ; DROP TABLE x") ==
      "tracking_query: \"query\" has an unterminated /* comment starting at line 1, column 10: close it with "
      "*/");
  CHECK(refusal("  -- nothing\n") ==
        "tracking_query: \"query\" holds no statement, only whitespace or comments; pass one HogQL SELECT, "
        "e.g. SELECT event, count() FROM events GROUP BY event");
  CHECK(fake.request_count(kQuery) == 0);
  CHECK(fake.request_count(kCurrentProject) == 0);
}

TEST_CASE("keywords and semicolons inside literals and comments are not refused", "[query][read-only]") {
  FakePosthog fake;
  set_id_rows(fake, 1);
  auto mcpd = start_mcpd(tracking_section(fake));
  const std::string text =
      "SELECT 'DROP TABLE x; DELETE FROM y' AS id, '\\'; DROP TABLE x; \\'' AS quoted, \"odd;name\", "
      "`x;INSERT` /* ; INSERT */ FROM events WHERE event != 'it''s; UPDATE' -- ; ALTER TABLE events";
  const auto result = call_ok(*mcpd, kTool, {{"query", text}});
  CHECK(result.at("rows") == json::value(json::array{{"r0"}}));
  CHECK(sent_text(fake) == text + "\nLIMIT 101");

  // A UNION, WITH ... SELECT and a subquery's LIMIT are fine too; only the first gets no LIMIT appended.
  const std::string with_cte = "WITH recent AS (SELECT id FROM events LIMIT 5) SELECT id FROM recent";
  call_ok(*mcpd, kTool, {{"query", with_cte}});
  CHECK(sent_text(fake) == with_cte + "\nLIMIT 101");
  const std::string union_all = "SELECT 'a' AS id UNION ALL SELECT 'b' AS id";
  call_ok(*mcpd, kTool, {{"query", union_all}});
  CHECK(sent_text(fake) == union_all);
}

TEST_CASE("a HogQL error is quoted from PostHog with how to fix it", "[query][errors]") {
  FakePosthog fake;
  set_id_rows(fake, 1);
  auto mcpd = start_mcpd(tracking_section(fake));
  fake.inject(kQuery,
              Fault::hogql_error("hogql_syntax_error",
                                 "Syntax error at line 1, column 13: mismatched input 'FORM' expecting "
                                 "<EOF>"));
  CHECK(call_error(*mcpd, kTool, {{"query", "SELECT event FORM events"}}) ==
        "tracking_query: PostHog rejected the request as invalid (HTTP 400, hogql_syntax_error): correct the "
        "query as PostHog explains and call again. PostHog said: \"Syntax error at line 1, column 13: "
        "mismatched input 'FORM' expecting <EOF>\"");
  CHECK(fake.request_count(kQuery) == 1);  // a 400 is not retried
}

TEST_CASE("a throttled query waits for Retry-After, or reports a wait that is too long", "[query][errors]") {
  FakePosthog fake;
  set_id_rows(fake, 1);
  auto mcpd = start_mcpd(tracking_section(fake));
  SECTION("a short wait is waited for and the query retried") {
    fake.inject(kQuery, Fault::throttled(0));
    CHECK(call_ok(*mcpd, kTool, {{"query", "SELECT id FROM events"}}).at("row_count") == 1);
    CHECK(fake.request_count(kQuery) == 2);
  }
  SECTION("a wait longer than retry.max_backoff_ms ends the call with the wait") {
    fake.inject(kQuery, Fault::throttled(30));
    CHECK(call_error(*mcpd, kTool, {{"query", "SELECT id FROM events"}}) ==
          "tracking_query: PostHog rate limited the request (HTTP 429) after 1 attempt; retry after 30 s. "
          "PostHog limits API calls per project (e.g. 240 per minute for analytics queries). PostHog said: "
          "\"Request was throttled. Expected available in 30 seconds.\"");
    CHECK(fake.request_count(kQuery) == 1);
  }
}

TEST_CASE("a query slower than its time limit is reported as a timeout", "[query][timeout]") {
  FakePosthog fake;
  set_id_rows(fake, 1);
  SECTION("the configured limit") {
    auto mcpd = start_mcpd(tracking_section(fake, {{"query", {{"timeout_ms", 1000}}}}));
    call_ok(*mcpd, kTool, {{"query", "SELECT id FROM events"}});  // resolves the project id first
    fake.inject(kQuery, Fault::slow(std::chrono::milliseconds(2900)));
    const auto started = std::chrono::steady_clock::now();
    CHECK(
        call_error(*mcpd, kTool, {{"query", "SELECT id FROM events"}}) ==
        "tracking_query: PostHog did not finish the query within its time limit of 1000 ms. Make it cheaper "
        "(a narrower time range such as WHERE timestamp > now() - INTERVAL 1 DAY, fewer columns, an "
        "aggregate) and call again; an operator can raise plugin_config.tracking.query.timeout_ms.");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500));
    CHECK(call_error(*mcpd, kTool, {{"query", "SELECT 1"}, {"timeout_ms", 2000}}) ==
          "Invalid arguments for tool tracking_query: timeout_ms: must be <= 1000, got 2000");
  }
  SECTION("a shorter limit passed by the call") {
    auto mcpd = start_mcpd(tracking_section(fake));
    fake.inject(kQuery, Fault::slow(std::chrono::milliseconds(2900)));
    CHECK(
        call_error(*mcpd, kTool, {{"query", "SELECT id FROM events"}, {"timeout_ms", 1200}}) ==
        "tracking_query: PostHog did not finish the query within its time limit of 1200 ms. Make it cheaper "
        "(a narrower time range such as WHERE timestamp > now() - INTERVAL 1 DAY, fewer columns, an "
        "aggregate) and call again, or pass a larger timeout_ms (up to 30000).");
  }
}

TEST_CASE("a personal key without query:read is told which scope to add", "[query][errors]") {
  FakePosthog fake;
  set_id_rows(fake, 1);
  fake.set_scopes({"project:read"});
  auto mcpd = start_mcpd(tracking_section(fake));
  CHECK(call_error(*mcpd, kTool, {{"query", "SELECT id FROM events"}}) ==
        "tracking_query: the personal API key is not allowed to do this (HTTP 403): it is missing the scope "
        "\"query:read\" or access to this project. Add the scope to the key in PostHog (Settings > Personal "
        "API "
        "keys), or use a key that has it. PostHog said: \"API key missing required scope 'query:read'\"");
}

TEST_CASE("tools/list publishes the query tool with its configured bounds", "[query][definition]") {
  FakePosthog fake;
  auto mcpd = start_mcpd(tracking_section(fake, {{"query", {{"max_rows", 250}, {"timeout_ms", 20000}}}}));
  const auto tools = mcpd->request_result("tools/list").at("tools").as_array();
  const json::object* spec = nullptr;
  for (const auto& t : tools) {
    if (t.at("name") == "tracking_query") spec = &t.as_object();
  }
  REQUIRE(spec != nullptr);
  CHECK(spec->at("annotations") == json::value(json::object{{"readOnlyHint", true},
                                                            {"destructiveHint", false},
                                                            {"idempotentHint", true},
                                                            {"openWorldHint", true}}));
  const auto& inputs = spec->at("inputSchema").at("properties").as_object();
  CHECK(inputs.at("limit").at("maximum") == 250);
  CHECK(inputs.at("limit").at("default") == 100);
  CHECK(inputs.at("timeout_ms").at("maximum") == 20000);
  CHECK(inputs.contains("instance"));
  const std::string description(spec->at("description").as_string());
  // The bounds are in the schema the model reads; the description names no tool in dotted form.
  CHECK(description.find("tracking_") == std::string::npos);
  for (const auto& [name, field] : spec->at("outputSchema").at("properties").as_object()) {
    INFO(name);
    CHECK(field.as_object().contains("type"));
    CHECK(field.as_object().contains("description"));
  }
}
