// Unit tests of the tracking plugin's pure pieces and the SDK's HTTP helpers.
#include <catch2/catch.hpp>

#include <set>

#include "events/batch_plan.hpp"
#include "flag_fixtures.hpp"
#include "flags/flag_hash.hpp"
#include "flags/local_evaluator.hpp"
#include "flags/property_match.hpp"
#include "flags/semver.hpp"
#include "instance_settings.hpp"
#include "posthog/upstream_failure.hpp"
#include "queries/sessions_query.hpp"
#include "util/cursor.hpp"
#include "util/timestamps.hpp"
#include "util/uuid_v7.hpp"

#include <mcpd/sdk/http/client.hpp>

using namespace mcpd::tracking;
namespace http = mcpd::sdk::http;
namespace json = boost::json;

TEST_CASE("flag hash matches Python's hashlib on the test vectors", "[unit][hash]") {
  // int(sha1(b"rollout-flag.user_1").hexdigest()[:15], 16), computed with Python.
  CHECK(flag_hash_bits("rollout-flag", "user_1") == 409362719933694928ull);
  CHECK(flag_hash_bits("rollout-flag",
                       "\xC3\xBCn\xC3\xAF"
                       "code-user") == 1078357843503691431ull);
  for (const auto& vector : tracking_test::kRolloutVectors) {
    INFO(vector.distinct_id);
    CHECK(flag_hash("rollout-flag", vector.distinct_id) == Approx(vector.hash).epsilon(1e-15));
    CHECK((flag_hash("rollout-flag", vector.distinct_id) <= 0.5) == vector.enabled);
    const json::array variants = json::parse(R"([{"key":"control","rollout_percentage":34},
      {"key":"test","rollout_percentage":33},{"key":"third","rollout_percentage":33}])")
                                     .as_array();
    CHECK(matching_variant("multi-flag", vector.distinct_id, variants) == vector.variant);
  }
  CHECK(flag_hash("group-flag", "acme") == Approx(0.06319250192159755).epsilon(1e-15));
  CHECK(flag_hash("x", "y", "variant") != flag_hash("x", "y"));
}

TEST_CASE("property operators follow PostHog's semantics", "[unit][operators]") {
  const json::object props = json::parse(R"({"plan":"Pro","seats":12,"ratio":"7.5","email":"Ann@Example.com",
      "beta":true,"version":"2.10.1","signup":"2024-03-01T00:00:00Z","name":null})")
                                 .as_object();
  auto match = [&](const char* filter) {
    return match_property(json::parse(filter).as_object(), props).outcome;
  };
  const auto yes = match_outcome::match, no = match_outcome::no_match, open = match_outcome::inconclusive;
  CHECK(match(R"({"key":"plan","value":"pro"})") == yes);  // exact is case-insensitive, default operator
  CHECK(match(R"({"key":"plan","value":["free","PRO"],"operator":"exact"})") == yes);
  CHECK(match(R"({"key":"plan","value":"pro","operator":"is_not"})") == no);
  CHECK(match(R"({"key":"beta","value":"true","operator":"exact"})") == yes);
  CHECK(match(R"({"key":"seats","value":"12","operator":"exact"})") == yes);
  CHECK(match(R"({"key":"plan","operator":"is_set"})") == yes);
  CHECK(match(R"({"key":"missing","operator":"is_set"})") == open);
  CHECK(match(R"({"key":"plan","operator":"is_not_set"})") == no);
  CHECK(match(R"({"key":"missing","operator":"is_not_set"})") == open);
  CHECK(match(R"({"key":"email","value":"example.COM","operator":"icontains"})") == yes);
  CHECK(match(R"({"key":"email","value":"example.com","operator":"not_icontains"})") == no);
  CHECK(match(R"({"key":"email","value":"^ann@","operator":"regex"})") == no);  // regex is case-sensitive
  CHECK(match(R"({"key":"email","value":"^Ann@","operator":"regex"})") == yes);
  CHECK(match(R"({"key":"email","value":"^Ann@","operator":"not_regex"})") == no);
  CHECK(match(R"({"key":"email","value":"(unclosed","operator":"regex"})") == match_outcome::error);
  CHECK(match(R"({"key":"seats","value":"9","operator":"gt"})") == yes);  // numeric, not "12" < "9"
  CHECK(match(R"({"key":"seats","value":12,"operator":"gte"})") == yes);
  CHECK(match(R"({"key":"ratio","value":"10","operator":"lt"})") == yes);
  CHECK(match(R"({"key":"plan","value":"Zebra","operator":"lt"})") == yes);  // text order
  CHECK(match(R"({"key":"signup","value":"2024-06-01","operator":"is_date_before"})") == yes);
  CHECK(match(R"({"key":"signup","value":"2024-06-01","operator":"is_date_after"})") == no);
  CHECK(match(R"({"key":"signup","value":"-1d","operator":"is_date_before"})") == yes);
  CHECK(match(R"({"key":"signup","value":"someday","operator":"is_date_before"})") == open);
  CHECK(match(R"({"key":"email","value":"ann","operator":"starts_with"})") == yes);
  CHECK(match(R"({"key":"email","value":".COM","operator":"ends_with"})") == yes);
  CHECK(match(R"({"key":"version","value":"2.9.0","operator":"semver_gt"})") == yes);
  CHECK(match(R"({"key":"version","value":"2.10.1","operator":"semver_eq"})") == yes);
  CHECK(match(R"({"key":"version","value":"2.10.0","operator":"semver_tilde"})") == yes);
  CHECK(match(R"({"key":"version","value":"2.11.0","operator":"semver_tilde"})") == no);
  CHECK(match(R"({"key":"version","value":"2.0.0","operator":"semver_caret"})") == yes);
  CHECK(match(R"({"key":"version","value":"2.10.*","operator":"semver_wildcard"})") == yes);
  CHECK(match(R"({"key":"version","value":"3.*","operator":"semver_wildcard"})") == no);
  CHECK(match(R"({"key":"plan","value":"1.0","operator":"semver_gt"})") == open);
  CHECK(match(R"({"key":"plan","value":"x","operator":"fancy_new_operator"})") == open);
  CHECK(match(R"({"key":"name","value":"null","operator":"exact"})") == yes);
}

TEST_CASE("semver ranges", "[unit][operators]") {
  CHECK(parse_semver("v1.2") == semver{1, 2, 0});
  CHECK(parse_semver("1.2.3-beta.1+build") == semver{1, 2, 3});
  CHECK_FALSE(parse_semver("1.x"));
  CHECK(caret_range("^0.2.3")->high == semver{0, 3, 0});
  CHECK(caret_range("^0.0.3")->high == semver{0, 0, 4});
  CHECK(tilde_range("~1.2.3")->high == semver{1, 3, 0});
  CHECK(wildcard_range("1.*")->high == semver{2, 0, 0});
}

TEST_CASE("local evaluation of the fixture flags", "[unit][local]") {
  const auto definitions =
      flag_definitions::from_json(json::object{{"flags", tracking_test::flag_definitions()},
                                               {"group_type_mapping", tracking_test::group_type_mapping()},
                                               {"cohorts", tracking_test::cohorts()}});
  auto evaluate = [&](const char* key, flag_evaluation_input input) {
    return evaluate_flag_locally(*definitions.find(key), definitions, input);
  };
  flag_evaluation_input user{"user_4", {}, {}, {}};
  auto result = evaluate("rollout-flag", user);
  CHECK(result.decided);
  CHECK_FALSE(result.enabled);
  CHECK(result.reason == "out_of_rollout_bound");
  result = evaluate("multi-flag", user);
  CHECK(result.variant == std::optional<std::string>("test"));
  CHECK(result.payload == std::optional<json::value>(json::parse(R"({"color":"blue"})")));
  result = evaluate("cohort-flag", user);
  CHECK_FALSE(result.decided);
  CHECK(result.inconclusive_why.find("cohort 77") != std::string::npos);
  // distinct_id is a person property for matching, as in PostHog's SDKs.
  const auto by_id = json::parse(R"({"key":"x","active":true,"filters":{"groups":[{"properties":[
      {"key":"distinct_id","value":"user_4","operator":"exact"}],"rollout_percentage":100}]}})")
                         .as_object();
  CHECK(evaluate_flag_locally(by_id, definitions, user).enabled);
  CHECK_FALSE(definitions.find("nope"));
}

TEST_CASE("UUIDv7 layout and validation", "[unit][uuid]") {
  const auto when = std::chrono::system_clock::time_point(std::chrono::milliseconds(0x0190b5c67a3e));
  const std::array<std::uint8_t, 10> random{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  CHECK(make_uuid_v7(when, random) == "0190b5c6-7a3e-7fff-bfff-ffffffffffff");
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 1000; ++i) {
    const auto uuid = new_uuid_v7();
    CHECK(is_uuid(uuid));
    CHECK(uuid[14] == '7');
    CHECK(std::string("89ab").find(uuid[19]) != std::string::npos);
    CHECK(uuid.substr(0, 8) >=
          previous.substr(0, std::min<std::size_t>(8, previous.size())));  // time-ordered
    previous = uuid;
    seen.insert(uuid);
  }
  CHECK(seen.size() == 1000);
  CHECK_FALSE(is_uuid("0190b5c6-7a3e-7fff-bfff-fffffffffff"));
  CHECK_FALSE(is_uuid("0190b5c6x7a3e-7fff-bfff-ffffffffffff"));
}

TEST_CASE("ISO-8601 timestamps and time bounds", "[unit][time]") {
  CHECK(format_iso8601(*parse_iso8601_with_zone("2025-01-31T08:15:00+02:00")) == "2025-01-31T06:15:00.000Z");
  CHECK(format_iso8601(*parse_iso8601_with_zone("2024-02-29 23:59:59.9999-0130")) ==
        "2024-03-01T01:29:59.999Z");
  CHECK(parse_iso8601_with_zone("2025-01-31T08:15Z"));
  CHECK_FALSE(parse_iso8601_with_zone("2025-01-31T08:15:00"));   // no zone
  CHECK_FALSE(parse_iso8601_with_zone("2025-02-29T08:15:00Z"));  // not a leap year
  CHECK_FALSE(parse_iso8601_with_zone("2025-01-31"));
  CHECK_FALSE(parse_iso8601_with_zone("2025-01-31T25:00:00Z"));
  const auto now = *parse_iso8601_with_zone("2025-03-31T12:00:00Z");
  CHECK(format_iso8601(*parse_time_bound("-1m", now)) ==
        "2025-02-28T12:00:00.000Z");  // calendar month, clamped
  CHECK(format_iso8601(*parse_time_bound("-2w", now)) == "2025-03-17T12:00:00.000Z");
  CHECK(format_iso8601(*parse_time_bound("-1y", now)) == "2024-03-31T12:00:00.000Z");
  CHECK(format_iso8601(*parse_time_bound("-24h", now)) == "2025-03-30T12:00:00.000Z");
  CHECK(format_iso8601(*parse_time_bound("2025-01-02", now)) == "2025-01-02T00:00:00.000Z");
  CHECK_FALSE(parse_time_bound("-0d", now));
  CHECK_FALSE(parse_time_bound("-5x", now));
  CHECK_FALSE(parse_time_bound("last week", now));
}

TEST_CASE("cursors round-trip and refuse other tools, other filters and garbage", "[unit][cursor]") {
  const auto fingerprint = fingerprint_of("distinct_id=a");
  const auto cursor = encode_cursor("tracking.sessions_list", fingerprint, {{"o", 200}, {"s", "x"}});
  CHECK(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  const auto state = decode_cursor("tracking.sessions_list", fingerprint, cursor);
  CHECK(state.at("o") == 200);
  CHECK(state.at("s") == "x");
  CHECK_FALSE(state.contains("t"));
  CHECK_THROWS_WITH(decode_cursor("tracking.recordings_list", fingerprint, cursor),
                    Catch::Contains("not a cursor"));
  CHECK_THROWS_WITH(decode_cursor("tracking.sessions_list", fingerprint_of("distinct_id=b"), cursor),
                    Catch::Contains("other filters"));
  CHECK_THROWS(decode_cursor("tracking.sessions_list", fingerprint, "%%%"));
  CHECK_THROWS(decode_cursor("tracking.sessions_list", fingerprint, base64url_encode("[1,2]")));
  std::string bytes;
  for (const std::string text : {"", "f", "fo", "foo", "foob", "fooba", "foobar\xff"}) {
    CHECK(base64url_decode(base64url_encode(text), bytes));
    CHECK(bytes == text);
  }
  CHECK_FALSE(base64url_decode("Zh", bytes));  // non-zero padding bits: not a canonical spelling
}

TEST_CASE("batch planning keeps order and the size limit", "[unit][batch]") {
  // Envelope 10 bytes, limit 100: two 30-byte events take 10 + 30 + 1 + 30 = 71 bytes, a third would make
  // 102.
  CHECK(plan_batches({30, 30, 30, 30, 30}, 10, 100) == std::vector<event_range>{{0, 2}, {2, 4}, {4, 5}});
  CHECK(plan_batches({10, 500, 10}, 10, 100) == std::vector<event_range>{{0, 1}, {1, 2}, {2, 3}});
  CHECK(plan_batches({}, 10, 100).empty());
  const auto plan = plan_batches(std::vector<std::size_t>(1000, 97), 50, 5000);
  std::size_t next = 0;
  for (const auto& range : plan) {
    CHECK(range.begin == next);
    CHECK(50 + range.size() * 97 + (range.size() - 1) <= 5000);
    next = range.end;
  }
  CHECK(next == 1000);
  CHECK(halve({4, 9}) == std::vector<event_range>{{4, 6}, {6, 9}});
  CHECK(halve({3, 4}) == std::vector<event_range>{{3, 4}});
}

TEST_CASE("the sessions query carries values only as placeholders", "[unit][hogql]") {
  sessions_filter filter;
  filter.distinct_id = "o'brien\\'; DROP TABLE x; --";
  filter.since = "2025-01-01T00:00:00.000Z";
  filter.until = "2025-01-08T00:00:00.000Z";
  filter.limit = 50;
  filter.offset = 100;
  const auto query = sessions_hogql_query(filter);
  const std::string text(query.at("query").as_string());
  CHECK(text.find("o'brien") == std::string::npos);
  CHECK(text.find('\'') == std::string::npos);
  CHECK(text.find("LIMIT 51 OFFSET 100") != std::string::npos);
  CHECK(query.at("values").at("distinct_id") == json::value(*filter.distinct_id));
  CHECK(query.at("values").at("since") == json::value(filter.since));
}

TEST_CASE("ingest hosts are derived for PostHog Cloud and kept for self-hosted", "[unit][instances]") {
  CHECK(derive_ingest_host("https://us.posthog.com") == "https://us.i.posthog.com");
  CHECK(derive_ingest_host("https://eu.posthog.com/") == "https://eu.i.posthog.com");
  CHECK(derive_ingest_host("https://app.posthog.com") == "https://us.i.posthog.com");
  CHECK(derive_ingest_host("https://posthog.internal.example:8443") ==
        "https://posthog.internal.example:8443");
  CHECK(normalize_api_host("https://eu.i.posthog.com/") == "https://eu.posthog.com");
  const auto settings = instance_settings::from_config(json::parse(R"({"instances":{
      "us":{"api_host":"https://us.posthog.com"},
      "pasted":{"api_host":"https://eu.i.posthog.com"},
      "split":{"api_host":"https://ph.example.com","ingest_host":"https://ingest.example.com/"}}})")
                                                           .as_object());
  const posthog_setting none[1] = {posthog_setting::api_host};
  auto instance = [&](const char* name) {
    return *settings.resolve("t", json::object{{"instance", name}}, std::span<const posthog_setting>(none, 0))
                .instance;
  };
  CHECK(instance("us").ingest_host == "https://us.i.posthog.com");
  CHECK(instance("pasted").api_host == "https://eu.posthog.com");
  CHECK(instance("pasted").ingest_host == "https://eu.i.posthog.com");
  CHECK(instance("split").ingest_host == "https://ingest.example.com");
}

TEST_CASE("an api_host the HTTP client would refuse is a configuration problem with the reason",
          "[unit][instances]") {
  const auto settings = instance_settings::from_config(json::parse(R"({"instances":{
      "ok":{"api_host":"https://posthog.example.com/prefix/"},
      "scheme":{"api_host":"us.posthog.com"},
      "userinfo":{"api_host":"https://user:pass@posthog.example.com"},
      "query":{"api_host":"https://posthog.example.com/?x=1"},
      "nohost":{"ingest_host":"https://"}}})")
                                                           .as_object());
  const auto problems = settings.problems();
  auto problem_of = [&](std::string_view instance) {
    std::string found;
    for (const auto& problem : problems)
      if (problem.find("instances." + std::string(instance) + ".") != std::string::npos) found += problem;
    return found;
  };
  CHECK(problem_of("ok").empty());
  CHECK_THAT(problem_of("scheme"), Catch::Contains("api_host must start with http:// or https://"));
  CHECK_THAT(problem_of("userinfo"), Catch::Contains("must not contain user credentials"));
  CHECK(problem_of("userinfo").find("pass") == std::string::npos);  // the credentials are not echoed
  CHECK_THAT(problem_of("query"), Catch::Contains("must not contain a query"));
  CHECK_THAT(problem_of("nohost"), Catch::Contains("ingest_host has no host name"));
}

TEST_CASE("upstream failures become actionable messages without secrets", "[unit][errors]") {
  http::secret_list secrets;
  secrets.add("phx_secret_value");
  request_context context;
  context.tool = "tracking.x";
  context.instance = "default";
  context.key = posthog_key::personal;
  context.scope = "query:read";
  context.secrets = &secrets;
  auto with_status = [](int status, std::string body, http::header_list headers = {}) {
    http::outcome outcome;
    outcome.attempts = 1;
    outcome.reply = http::response{status, std::move(body), std::move(headers)};
    return outcome;
  };
  CHECK_THAT(describe_failure(context, with_status(401, R"({"detail":"bad phx_secret_value"})")),
             Catch::Contains("personal_api_key") && Catch::Contains("[redacted]") &&
                 !Catch::Contains("phx_secret_value"));
  CHECK_THAT(describe_failure(context, with_status(403, R"({"detail":"nope"})")),
             Catch::Contains("\"query:read\""));
  auto throttled = with_status(429, "{}");
  throttled.retry_after = std::chrono::milliseconds(30'000);
  CHECK_THAT(describe_failure(context, throttled), Catch::Contains("retry after 30 s"));
  CHECK_THAT(describe_failure(context, with_status(502, "<html>Bad gateway</html>")),
             Catch::Contains("HTTP 502") && Catch::Contains("Bad gateway"));
  http::outcome timeout;
  timeout.failure = http::failure_kind::timeout;
  timeout.attempts = 4;
  CHECK_THAT(describe_failure(context, timeout),
             Catch::Contains("timeout_ms") && Catch::Contains("4 attempts"));
  CHECK_THROWS_WITH(parse_json_body(context, "<html>phx_secret_value</html>"),
                    Catch::Contains("not JSON") && !Catch::Contains("phx_secret_value"));
}

TEST_CASE("SDK http: percent-encoding keeps parameters inside their segment", "[unit][sdk_http]") {
  CHECK(http::percent_encode("../../x") == "..%2F..%2Fx");
  CHECK(http::percent_encode("a?b#c&d=e f%") == "a%3Fb%23c%26d%3De%20f%25");
  CHECK(http::percent_encode("\xC3\xBC") == "%C3%BC");
  CHECK(http::path("/api/projects").segment(12).literal("/x").segment("a/b").slash().str() ==
        "/api/projects/12/x/a%2Fb/");
  CHECK_THROWS_AS(http::path("/a").segment(".."), std::invalid_argument);
  CHECK_THROWS_AS(http::path("/a").segment(""), std::invalid_argument);
  CHECK(http::target(http::path("/p"), http::query{{"token", "a&b"}}.flag("send_cohorts")) ==
        "/p?token=a%26b&send_cohorts");
  const auto base = http::parse_base_url("https://ph.example.com:8443/analytics//");
  REQUIRE(base);
  CHECK(base->origin == "https://ph.example.com:8443");
  CHECK(base->path_prefix == "/analytics");
  std::string why;
  CHECK_FALSE(http::parse_base_url("https://user:pw@ph.example.com", &why));
  CHECK(why.find("credentials") != std::string::npos);
  CHECK_FALSE(http::parse_base_url("ftp://x"));
}

TEST_CASE("SDK http: backoff, Retry-After and retryable statuses", "[unit][sdk_http]") {
  const http::retry_policy policy{5, std::chrono::milliseconds(100), std::chrono::milliseconds(1000)};
  CHECK(http::backoff_delay(policy, 1, 0.0).count() == 50);
  CHECK(http::backoff_delay(policy, 1, 1.0).count() == 100);
  CHECK(http::backoff_delay(policy, 3, 1.0).count() == 400);
  CHECK(http::backoff_delay(policy, 9, 1.0).count() == 1000);  // capped
  CHECK(http::backoff_delay(policy, 60, 0.5).count() == 750);
  CHECK(http::parse_retry_after("7") == std::chrono::milliseconds(7000));
  const auto now = std::chrono::sys_days{std::chrono::year{2015} / 10 / 21} + std::chrono::hours(7);
  CHECK(http::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) ==
        std::chrono::milliseconds(28 * 60 * 1000));
  CHECK(http::parse_retry_after("Wed, 21 Oct 2015 06:00:00 GMT", now) == std::chrono::milliseconds(0));
  CHECK_FALSE(http::parse_retry_after("soon"));
  for (int status : {408, 429, 500, 502, 503, 599}) CHECK(http::is_retryable_status(status));
  for (int status : {200, 400, 401, 403, 404, 413, 422}) CHECK_FALSE(http::is_retryable_status(status));
}

TEST_CASE("SDK http: secrets are redacted, longest first", "[unit][sdk_http]") {
  http::secret_list secrets;
  secrets.add("abc");  // too short to be a key: ignored
  secrets.add("phc_key");
  secrets.add("phc_key_longer");
  CHECK(secrets.redact("a phc_key_longer and phc_key and abc") == "a [redacted] and [redacted] and abc");
}

TEST_CASE("SDK http: the rate limiter allows a burst, then asks to wait", "[unit][sdk_http]") {
  http::rate_limiter limiter(2);
  CHECK(limiter.acquire(std::chrono::milliseconds(0)).acquired);
  CHECK(limiter.acquire(std::chrono::milliseconds(0)).acquired);
  const auto third = limiter.acquire(std::chrono::milliseconds(100));
  CHECK_FALSE(third.acquired);
  CHECK(third.wait > std::chrono::seconds(25));  // 2 per minute: the next token is ~30 s away
  http::rate_limiter fast(6000);                 // 100 a second
  for (int i = 0; i < 6000; ++i) REQUIRE(fast.acquire(std::chrono::milliseconds(0)).acquired);
  const auto started = std::chrono::steady_clock::now();
  CHECK(fast.acquire(std::chrono::milliseconds(100)).acquired);  // waits ~10 ms for a refill
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(100));
}

TEST_CASE("SDK http: the client retries, honours cancellation and reports connection failures",
          "[unit][sdk_http]") {
  http::client_options options;
  options.timeout = std::chrono::milliseconds(500);
  options.retry = {3, std::chrono::milliseconds(1), std::chrono::milliseconds(10)};
  http::client client("http://127.0.0.1:9", options);  // discard port: nothing listens
  http::request request;
  request.target = "/x?token=secret";
  int retries = 0;
  http::call_hooks hooks;
  hooks.on_retry = [&](std::string_view line) {
    ++retries;
    CHECK(line.find("token") == std::string_view::npos);
  };
  const auto outcome = client.send(request, hooks);
  CHECK_FALSE(outcome.reply);
  CHECK(outcome.failure == http::failure_kind::connect);
  CHECK(outcome.attempts == 3);
  CHECK(retries == 2);
  http::call_hooks cancelling;
  cancelling.cancelled = [] { return true; };
  const auto cancelled = client.send(request, cancelling);
  CHECK(cancelled.failure == http::failure_kind::cancelled);
  CHECK(cancelled.attempts == 0);
  CHECK_THROWS_AS(http::client("localhost:80", options), std::invalid_argument);
}
