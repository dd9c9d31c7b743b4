// mcpd::schema: every supported keyword passing and failing, the exact wording of messages (they reach
// users as tool errors), and robustness against hostile schemas and instances.
#include "schema/header_annotations.hpp"
#include "schema/validator.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace json = boost::json;
using mcpd::schema::CompiledSchema;
using mcpd::schema::CompileOptions;
using mcpd::schema::FormatMode;
using mcpd::schema::SchemaDocuments;
using mcpd::schema::SchemaError;

namespace {

CompiledSchema compile(std::string_view schema, const CompileOptions& options = {}) {
  return CompiledSchema::compile(json::parse(schema), options);
}

// Formats asserted, as a host configured with "schema_formats": "assert" compiles tool schemas.
CompiledSchema compile_asserting_formats(std::string_view schema) {
  return compile(schema, CompileOptions{FormatMode::kAssertion, nullptr});
}

// "" when valid, else "path: message" of the first error.
std::string first_error(const CompiledSchema& schema, std::string_view instance) {
  const auto error = schema.validate(json::parse(instance));
  return error ? error->text() : "";
}

std::string first_error(std::string_view schema, std::string_view instance) {
  return first_error(compile(schema), instance);
}

std::string schema_error(std::string_view schema, const CompileOptions& options = {}) {
  try {
    compile(schema, options);
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "";
}

template <typename Work>
std::chrono::steady_clock::duration time_of(Work&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::steady_clock::now() - start;
}

json::value nested_arrays(std::size_t depth) {
  json::value v = nullptr;
  for (std::size_t i = 0; i < depth; ++i) {
    json::array wrapper;
    wrapper.push_back(std::move(v));
    v = std::move(wrapper);
  }
  return v;
}

}  // namespace

TEST_CASE("type: each JSON type accepts its own kind and names both sides when it does not") {
  CHECK(first_error(R"({"type":"string"})", R"("x")").empty());
  CHECK(first_error(R"({"type":"string"})", "5") == "expected string, got 5");
  CHECK(first_error(R"({"type":"number"})", "5.5").empty());
  CHECK(first_error(R"({"type":"number"})", "7").empty());
  CHECK(first_error(R"({"type":"number"})", R"("7")") == R"(expected number, got "7")");
  CHECK(first_error(R"({"type":"integer"})", "7").empty());
  CHECK(first_error(R"({"type":"integer"})", "3.0").empty());
  CHECK(first_error(R"({"type":"integer"})", "18446744073709551615").empty());
  CHECK(first_error(R"({"type":"integer"})", "3.5") == "expected integer, got 3.5");
  CHECK(first_error(R"({"type":"boolean"})", "false").empty());
  CHECK(first_error(R"({"type":"boolean"})", "0") == "expected boolean, got 0");
  CHECK(first_error(R"({"type":"object"})", "{}").empty());
  CHECK(first_error(R"({"type":"object"})", "[]") == "expected object, got an array");
  CHECK(first_error(R"({"type":"array"})", "[]").empty());
  CHECK(first_error(R"({"type":"array"})", "{}") == "expected array, got an object");
  CHECK(first_error(R"({"type":"null"})", "null").empty());
  CHECK(first_error(R"({"type":"null"})", "true") == "expected null, got true");
}

TEST_CASE("type: a list of types accepts any of them") {
  const auto schema = compile(R"({"type":["string","null"]})");
  CHECK(first_error(schema, R"("a")").empty());
  CHECK(first_error(schema, "null").empty());
  CHECK(first_error(schema, "5") == "expected string or null, got 5");
}

TEST_CASE("messages quote long strings shortened") {
  const std::string long_text(500, 'x');
  const std::string error = first_error(R"({"type":"number"})", "\"" + long_text + "\"");
  CHECK(error == "expected number, got \"" + std::string(60, 'x') + "...\"");
}

TEST_CASE("required and properties: the missing property is named by its path") {
  const auto schema = compile(R"({"type":"object","required":["name"],
      "properties":{"name":{"type":"string"},"limit":{"type":"integer","maximum":1000}}})");
  CHECK(first_error(schema, R"({"name":"a","limit":10})").empty());
  CHECK(first_error(schema, R"({"limit":10})") == "name: required property missing");
  CHECK(first_error(schema, R"({"name":"a","limit":5000})") == "limit: must be <= 1000, got 5000");
  CHECK(first_error(schema, R"({"name":7})") == "name: expected string, got 7");
}

TEST_CASE("paths through arrays and objects read like code: events[0].timestamp") {
  const auto schema = compile_asserting_formats(R"({"type":"object","properties":{"events":{"type":"array",
      "items":{"type":"object","properties":{"timestamp":{"type":"string","format":"date-time"}}}}}})");
  CHECK(first_error(schema, R"({"events":[{"timestamp":"2026-01-31T12:00:00Z"}]})").empty());
  CHECK(
      first_error(schema, R"({"events":[{"timestamp":"yesterday"}]})") ==
      R"(events[0].timestamp: expected string in date-time format (ISO-8601, e.g. 2026-01-31T12:00:00Z), got "yesterday")");
}

TEST_CASE("keys that are not plain words are quoted in paths") {
  const auto schema = compile(R"({"additionalProperties":{"type":"string"}})");
  CHECK(first_error(schema, R"({"a.b":1})") == R"(["a.b"]: expected string, got 1)");
  CHECK(first_error(schema, R"({"x-api_key":1})") == "x-api_key: expected string, got 1");
}

TEST_CASE("additionalProperties: false lists the allowed names, a schema validates the extras") {
  const auto closed = compile(R"({"properties":{"a":{},"b":{},"c":{}},"additionalProperties":false})");
  CHECK(first_error(closed, R"({"a":1,"c":2})").empty());
  CHECK(first_error(closed, R"({"a":1,"extra":2})") == "extra: unknown property (allowed: a, b, c)");
  CHECK(first_error(R"({"additionalProperties":false})", R"({"x":1})") ==
        "x: unknown property (no properties are allowed here)");

  const auto typed = compile(R"({"properties":{"a":{}},"additionalProperties":{"type":"integer"}})");
  CHECK(first_error(typed, R"({"a":"s","n":1})").empty());
  CHECK(first_error(typed, R"({"n":"one"})") == R"(n: expected integer, got "one")");
}

TEST_CASE("patternProperties apply to matching names and count as declared") {
  const auto schema = compile(
      R"({"properties":{"id":{}},"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false})");
  CHECK(first_error(schema, R"({"id":1,"x-trace":"t"})").empty());
  CHECK(first_error(schema, R"({"x-trace":5})") == "x-trace: expected string, got 5");
  CHECK(first_error(schema, R"({"y":5})") == "y: unknown property (allowed: id, names matching ^x-)");
}

TEST_CASE("propertyNames checks every key") {
  const auto schema = compile(R"({"propertyNames":{"pattern":"^[a-z]+$","maxLength":5}})");
  CHECK(first_error(schema, R"({"abc":1})").empty());
  CHECK(first_error(schema, R"({"Abc":1})") ==
        R"(Abc: invalid property name: must match the pattern ^[a-z]+$, got "Abc")");
  CHECK(first_error(schema, R"({"abcdefg":1})") ==
        "abcdefg: invalid property name: must be at most 5 characters long, got 7 characters");
}

TEST_CASE("enum and const compare JSON values, numbers by value") {
  const auto modes = compile(R"({"properties":{"mode":{"enum":["all","keyframes"]}}})");
  CHECK(first_error(modes, R"({"mode":"all"})").empty());
  CHECK(first_error(modes, R"({"mode":"foo"})") == R"(mode: must be one of "all", "keyframes", got "foo")");
  CHECK(first_error(R"({"enum":[1,[2],{"a":null}]})", "1.0").empty());
  CHECK(first_error(R"({"enum":[1,[2],{"a":null}]})", R"({"a":null})").empty());
  CHECK(first_error(R"({"enum":[1,[2],{"a":null}]})", "[3]") ==
        R"(must be one of 1, [2], {"a":null}, got an array)");
  CHECK(first_error(R"({"const":"v1"})", R"("v1")").empty());
  CHECK(first_error(R"({"const":"v1"})", R"("v2")") == R"(must be "v1", got "v2")");
  CHECK(first_error(R"({"const":{"a":[1,2],"b":true}})", R"({"b":true,"a":[1.0,2]})").empty());
  CHECK(first_error(R"({"const":false})", "0") == "must be false, got 0");
}

TEST_CASE("numeric bounds are inclusive or exclusive as named") {
  CHECK(first_error(R"({"minimum":1})", "1").empty());
  CHECK(first_error(R"({"minimum":1})", "0.5") == "must be >= 1, got 0.5");
  CHECK(first_error(R"({"maximum":10})", "10").empty());
  CHECK(first_error(R"({"maximum":10})", "11") == "must be <= 10, got 11");
  CHECK(first_error(R"({"exclusiveMinimum":0})", "0.001").empty());
  CHECK(first_error(R"({"exclusiveMinimum":0})", "0") == "must be > 0, got 0");
  CHECK(first_error(R"({"exclusiveMaximum":100})", "99").empty());
  CHECK(first_error(R"({"exclusiveMaximum":100})", "100") == "must be < 100, got 100");
  CHECK(first_error(R"({"minimum":-1})", "18446744073709551615").empty());
  CHECK(first_error(R"({"maximum":-1})", "18446744073709551615") ==
        "must be <= -1, got 18446744073709551615");
  CHECK(first_error(R"({"minimum":0})", "-9223372036854775808") == "must be >= 0, got -9223372036854775808");
  // Bounds do not apply to other types.
  CHECK(first_error(R"({"minimum":5})", R"("1")").empty());
}

TEST_CASE("multipleOf works for integers and decimal fractions") {
  CHECK(first_error(R"({"multipleOf":5})", "25").empty());
  CHECK(first_error(R"({"multipleOf":5})", "-25").empty());
  CHECK(first_error(R"({"multipleOf":5})", "26") == "must be a multiple of 5, got 26");
  CHECK(first_error(R"({"multipleOf":0.1})", "0.3").empty());
  CHECK(first_error(R"({"multipleOf":0.5})", "2.5").empty());
  CHECK(first_error(R"({"multipleOf":0.5})", "0.3") == "must be a multiple of 0.5, got 0.3");
  CHECK(first_error(R"({"multipleOf":3})", "-9223372036854775808") ==
        "must be a multiple of 3, got -9223372036854775808");
}

TEST_CASE("minLength and maxLength count Unicode code points, not bytes") {
  const auto schema = compile(R"({"minLength":2,"maxLength":3})");
  CHECK(first_error(schema, R"("日本")").empty());              // 6 bytes, 2 characters
  CHECK(first_error(schema, "\"h\xC3\xA9\xC3\xA9\"").empty());  // "héé": 5 bytes, 3 characters
  CHECK(first_error(schema, "\"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\"").empty());  // two emoji, 8 bytes
  CHECK(first_error(schema, R"("a")") == "must be at least 2 characters long, got 1 character");
  CHECK(first_error(schema, R"("日本語です")") == "must be at most 3 characters long, got 5 characters");
}

TEST_CASE("pattern: ECMAScript, unanchored, per code point") {
  CHECK(first_error(R"({"pattern":"b+"})", R"("abbc")").empty());
  CHECK(first_error(R"({"pattern":"^[a-z]+$"})", R"("abc")").empty());
  CHECK(first_error(R"({"pattern":"^[a-z]+$"})", R"("ab1")") ==
        R"(must match the pattern ^[a-z]+$, got "ab1")");
  CHECK(first_error(R"({"pattern":"^.{2}$"})", R"("日本")").empty());
  CHECK(first_error(R"({"pattern":"^\\d{4}-\\d{2}$"})", R"("2026-01")").empty());
  CHECK(first_error(R"({"pattern":"^(?:a|b)*$"})", R"("abc")") ==
        R"(must match the pattern ^(?:a|b)*$, got "abc")");
  // "^" and "$" are the ends of the whole string, not of a line.
  CHECK_FALSE(first_error(R"({"pattern":"^b"})", R"("a\nb")").empty());
  CHECK_FALSE(first_error(R"({"pattern":"a$"})", R"("a\nb")").empty());
  CHECK(first_error(R"({"pattern":"^ab"})", R"("abc")").empty());
  CHECK(first_error(R"({"pattern":"bc$"})", R"("abc")").empty());
  // A top-level alternative anchors only itself.
  const auto either = compile(R"({"pattern":"^a|b$"})");
  CHECK(first_error(either, R"("axx")").empty());
  CHECK(first_error(either, R"("xxb")").empty());
  CHECK_FALSE(first_error(either, R"("xbx")").empty());
  // An escaped "$" or one inside a class is a literal, not an anchor.
  CHECK(first_error(R"({"pattern":"^\\$"})", R"("$5")").empty());
  CHECK(first_error(R"({"pattern":"^[$]"})", R"("$5")").empty());
  CHECK(first_error(R"({"pattern":"^(x|y)$"})", R"("y")").empty());
  CHECK_FALSE(first_error(R"({"pattern":"^(x|y)$"})", R"("yy")").empty());
}

TEST_CASE("pattern: long subjects neither overflow the stack nor take quadratic time") {
  const auto anchored = compile(R"({"pattern":"^(a|b)*$"})");
  const auto unanchored = compile(R"({"pattern":"[a-z]+1"})");
  const std::string subject(200000, 'a');
  const auto start = std::chrono::steady_clock::now();
  CHECK(anchored.validate(json::value(subject)) == std::nullopt);
  CHECK(unanchored.validate(json::value(subject)).has_value());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("format is an annotation by default: no value is rejected for its format") {
  for (const char* format : {"date-time", "uri", "email", "uuid", "hostname", "ipv4", "regex"}) {
    INFO(format);
    const auto schema = compile(R"({"type":"string","format":")" + std::string(format) + R"("})");
    CHECK(first_error(schema, R"("definitely not that format (")").empty());
    CHECK(first_error(schema, "5") == "expected string, got 5");
  }
  // A dialect whose meta-schema declares the format-assertion vocabulary asserts formats by itself.
  SchemaDocuments documents;
  documents.add("https://example.com/asserting-meta", json::parse(R"({
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$vocabulary": {"https://json-schema.org/draft/2020-12/vocab/core": true,
                      "https://json-schema.org/draft/2020-12/vocab/format-assertion": true}})"));
  const auto asserting = compile(R"({"$schema":"https://example.com/asserting-meta","format":"ipv4"})",
                                 CompileOptions{FormatMode::kAnnotation, &documents});
  CHECK(first_error(asserting, R"("127.0.0.1")").empty());
  CHECK(first_error(asserting, R"("localhost")") ==
        R"(expected string in ipv4 format (e.g. 192.0.2.1), got "localhost")");
}

TEST_CASE("format assertion (opt-in): date-time, uri, email, uuid and the rest are checked") {
  const auto date_time = compile_asserting_formats(R"({"format":"date-time"})");
  for (const char* good : {"2026-01-31T12:00:00Z", "2026-01-31T12:00:00.123+02:00", "2024-02-29t23:59:60z",
                           "2026-01-31 12:00:00-0530"}) {
    INFO(good);
    CHECK(first_error(date_time, json::serialize(json::value(good))).empty());
  }
  for (const char* bad : {"yesterday", "2026-01-31", "2026-01-31T12:00:00", "2025-02-29T00:00:00Z",
                          "2026-13-01T00:00:00Z", "2026-01-31T24:00:00Z", "2026-01-31T12:00:00+25:00"}) {
    INFO(bad);
    CHECK_FALSE(first_error(date_time, json::serialize(json::value(bad))).empty());
  }
  CHECK(first_error(date_time, "5").empty());  // formats only constrain strings

  const auto uri = compile_asserting_formats(R"({"format":"uri"})");
  CHECK(first_error(uri, R"("https://example.com/a?b=c#d")").empty());
  CHECK(first_error(uri, R"("urn:isbn:0451450523")").empty());
  CHECK(first_error(uri, R"("file:///tmp/x.mp4")").empty());
  CHECK(
      first_error(uri, R"("/relative/path")") ==
      R"(expected string in uri format (an absolute URI, e.g. https://example.com/path), got "/relative/path")");
  CHECK_FALSE(first_error(uri, R"("http://exa mple.com")").empty());
  CHECK_FALSE(first_error(uri, R"("http://")").empty());
  CHECK_FALSE(first_error(uri, R"("http://x/%zz")").empty());

  const auto email = compile_asserting_formats(R"({"format":"email"})");
  CHECK(first_error(email, R"("first.last+tag@example.co.uk")").empty());
  CHECK(first_error(email, R"("no-at-sign")") ==
        R"(expected string in email format (e.g. name@example.com), got "no-at-sign")");
  CHECK_FALSE(first_error(email, R"("a..b@example.com")").empty());
  CHECK_FALSE(first_error(email, R"("a@-example.com")").empty());

  const auto uuid = compile_asserting_formats(R"({"format":"uuid"})");
  CHECK(first_error(uuid, R"("123e4567-E89B-12d3-a456-426614174000")").empty());
  CHECK(
      first_error(uuid, R"("123e4567e89b12d3a456426614174000")") ==
      R"(expected string in uuid format (e.g. 123e4567-e89b-12d3-a456-426614174000), got "123e4567e89b12d3a456426614174000")");

  CHECK(first_error(compile_asserting_formats(R"({"format":"hostname"})"), R"("not a hostname!")") ==
        R"(expected string in hostname format (e.g. api.example.com), got "not a hostname!")");
  CHECK(first_error(compile_asserting_formats(R"({"format":"date"})"), R"("2026-02-30")") ==
        R"(expected string in date format (e.g. 2026-01-31), got "2026-02-30")");
  CHECK(
      first_error(compile_asserting_formats(R"({"format":"idn-hostname"})"), R"("bücher.example")").empty());
  // Unknown formats stay annotations even then.
  CHECK(first_error(compile_asserting_formats(R"({"format":"x-colour"})"), R"("anything")").empty());
}

TEST_CASE("items, prefixItems and the legacy tuple form") {
  const auto list = compile(R"({"items":{"type":"integer"}})");
  CHECK(first_error(list, "[1,2,3]").empty());
  CHECK(first_error(list, R"([1,"two"])") == R"([1]: expected integer, got "two")");

  const auto tuple = compile(R"({"prefixItems":[{"type":"string"},{"type":"number"}],"items":false})");
  CHECK(first_error(tuple, R"(["a",1])").empty());
  CHECK(first_error(tuple, R"(["a"])").empty());
  CHECK(first_error(tuple, R"([1,1])") == "[0]: expected string, got 1");
  CHECK(first_error(tuple, R"(["a",1,true,null])") ==
        "[2]: unexpected item: at most 2 items are allowed here, got 4");

  const auto legacy = compile(R"({"items":[{"type":"string"}],"additionalItems":{"type":"boolean"}})");
  CHECK(first_error(legacy, R"(["a",true,false])").empty());
  CHECK(first_error(legacy, R"(["a",1])") == "[1]: expected boolean, got 1");
}

TEST_CASE("minItems, maxItems, uniqueItems and contains") {
  CHECK(first_error(R"({"minItems":1})", "[0]").empty());
  CHECK(first_error(R"({"minItems":1})", "[]") == "must have at least 1 item, got 0");
  CHECK(first_error(R"({"maxItems":2})", "[1,2,3]") == "must have at most 2 items, got 3");
  CHECK(first_error(R"({"uniqueItems":true})", R"([1,"1",[1],{"a":1}])").empty());
  CHECK(first_error(R"({"uniqueItems":true})", "[1,2,1.0]") ==
        "must not contain duplicate items, but items [0] and [2] are equal");
  CHECK(first_error(R"({"uniqueItems":true})", R"([{"a":1,"b":2},{"b":2,"a":1}])") ==
        "must not contain duplicate items, but items [0] and [1] are equal");
  CHECK(first_error(R"({"uniqueItems":false})", "[1,1]").empty());
  CHECK(first_error(R"({"contains":{"type":"string"}})", R"([1,"a"])").empty());
  CHECK(first_error(R"({"contains":{"type":"string"}})", "[1,2]") ==
        R"(must contain at least 1 item matching the "contains" schema, got 0)");
  CHECK(first_error(R"({"contains":{"type":"string"},"maxContains":1})", R"(["a","b"])") ==
        R"(must contain at most 1 item matching the "contains" schema, got 2)");
}

TEST_CASE("uniqueItems stays fast on large arrays of distinct values") {
  json::array items;
  for (int i = 0; i < 200000; ++i) items.emplace_back(i);
  const auto start = std::chrono::steady_clock::now();
  const auto unique = compile(R"({"uniqueItems":true})");
  CHECK(unique.validate(json::value(items)) == std::nullopt);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  items[150000] = 7.0;  // equal to the integer 7 at index 7
  const auto error = unique.validate(json::value(std::move(items)));
  REQUIRE(error);
  CHECK(error->message == "must not contain duplicate items, but items [7] and [150000] are equal");
}

TEST_CASE("minProperties, maxProperties, dependentRequired") {
  CHECK(first_error(R"({"minProperties":1})", R"({"a":1})").empty());
  CHECK(first_error(R"({"minProperties":1})", "{}") == "must have at least 1 property, got 0");
  CHECK(first_error(R"({"maxProperties":1})", R"({"a":1,"b":2})") == "must have at most 1 property, got 2");
  const auto dependent = compile(R"({"dependentRequired":{"credit_card":["billing_address"]}})");
  CHECK(first_error(dependent, R"({"name":"x"})").empty());
  CHECK(first_error(dependent, R"({"credit_card":1})") ==
        R"(billing_address: required property missing (required when "credit_card" is present))");
}

TEST_CASE("allOf needs every part") {
  const auto schema = compile(R"({"allOf":[{"type":"integer"},{"minimum":10}]})");
  CHECK(first_error(schema, "12").empty());
  CHECK(first_error(schema, "5") == "must be >= 10, got 5");
  CHECK(first_error(schema, "12.5") == "expected integer, got 12.5");
}

TEST_CASE("anyOf merges alternatives that disagree only on type or value") {
  const auto nullable = compile(R"({"anyOf":[{"type":"string"},{"type":"integer"}]})");
  CHECK(first_error(nullable, R"("a")").empty());
  CHECK(first_error(nullable, "3").empty());
  CHECK(first_error(nullable, "true") == "expected string or integer, got true");

  const auto titled =
      compile(R"({"anyOf":[{"const":"red","title":"Red"},{"const":"green","title":"Green"}]})");
  CHECK(first_error(titled, R"("green")").empty());
  CHECK(first_error(titled, R"("blue")") == R"(must be one of "red", "green", got "blue")");

  // Only one alternative is about objects: its own error is the useful one.
  const auto shaped = compile(R"({"anyOf":[{"type":"string"},
      {"type":"object","required":["id"],"properties":{"id":{"type":"integer"}}}]})");
  CHECK(first_error(shaped, R"({"id":"x"})") == R"(id: expected integer, got "x")");

  const auto mixed = compile(R"({"anyOf":[{"required":["a"]},{"required":["b"]}]})");
  CHECK(first_error(mixed, R"({"c":1})") ==
        "must match at least one alternative of anyOf, but none does: [0] a: required property missing; "
        "[1] b: required property missing");
}

TEST_CASE("oneOf needs exactly one alternative") {
  const auto schema = compile(R"({"oneOf":[{"type":"integer"},{"minimum":2}]})");
  CHECK(first_error(schema, "1").empty());
  CHECK(first_error(schema, "2.5").empty());
  CHECK(first_error(schema, "3") == "must match exactly one alternative of oneOf, but matches [0] and [1]");
  CHECK(first_error(schema, "1.5") == "must be >= 2, got 1.5");
  CHECK(first_error(R"({"oneOf":[{"type":"integer"},{"type":"string"}]})", "null") ==
        "expected integer or string, got null");
}

TEST_CASE("not rejects what its schema accepts") {
  const auto schema = compile(R"({"not":{"type":"string"}})");
  CHECK(first_error(schema, "1").empty());
  CHECK(first_error(schema, R"("s")") == R"(must not match the schema {"type":"string"})");
}

TEST_CASE("if/then/else pick a branch by the condition") {
  const auto schema = compile(R"({
      "properties":{"source":{"enum":["url","file"]}},
      "if":{"properties":{"source":{"const":"url"}},"required":["source"]},
      "then":{"required":["url"]},
      "else":{"required":["path"]}})");
  CHECK(first_error(schema, R"({"source":"url","url":"https://x"})").empty());
  CHECK(first_error(schema, R"({"source":"file","path":"/x"})").empty());
  CHECK(first_error(schema, R"({"source":"url"})") == "url: required property missing");
  CHECK(first_error(schema, R"({"source":"file"})") == "path: required property missing");
  CHECK(first_error(R"({"then":{"required":["x"]}})", "{}").empty());  // "then" without "if" does nothing
}

TEST_CASE("$ref to $defs and definitions, including recursive schemas") {
  const auto schema = compile(R"({
      "$schema":"https://json-schema.org/draft/2020-12/schema",
      "type":"object",
      "$defs":{"address":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
      "definitions":{"name":{"type":"string","minLength":1}},
      "properties":{"name":{"$ref":"#/definitions/name"},"address":{"$ref":"#/$defs/address"}},
      "additionalProperties":false})");
  CHECK(first_error(schema, R"({"name":"a","address":{"city":"Oslo"}})").empty());
  CHECK(first_error(schema, R"({"name":"","address":{"city":"Oslo"}})") ==
        "name: must be at least 1 character long, got 0 characters");
  CHECK(first_error(schema, R"({"address":{}})") == "address.city: required property missing");

  const auto tree = compile(R"({"$ref":"#/$defs/node","$defs":{"node":{"type":"object","required":["value"],
      "properties":{"value":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}}}}})");
  CHECK(first_error(tree, R"({"value":1,"children":[{"value":2,"children":[{"value":3}]}]})").empty());
  CHECK(first_error(tree, R"({"value":1,"children":[{"value":2,"children":[{"value":"x"}]}]})") ==
        R"(children[0].children[0].value: expected integer, got "x")");

  const auto self = compile(R"({"type":["array","integer"],"items":{"$ref":"#"}})");
  CHECK(first_error(self, "[1,[2,[3]]]").empty());
  CHECK(first_error(self, "[1,[2,[true]]]") == "[1][1][0]: expected integer or array, got true");
}

TEST_CASE("$ref forms: escaped pointers, $anchor, the root $id") {
  CHECK(first_error(R"({"$defs":{"a/b":{"type":"string"}},"$ref":"#/$defs/a~1b"})", "1") ==
        "expected string, got 1");
  CHECK(first_error(R"({"$defs":{"a b":{"type":"string"}},"$ref":"#/$defs/a%20b"})", "1") ==
        "expected string, got 1");
  CHECK(first_error(
            R"({"$defs":{"s":{"$anchor":"street","type":"string"}},"properties":{"x":{"$ref":"#street"}}})",
            R"({"x":1})") == "x: expected string, got 1");
  CHECK(first_error(R"({"$id":"https://example.com/s.json","$defs":{"n":{"type":"null"}},
                        "$ref":"https://example.com/s.json#/$defs/n"})",
                    "1") == "expected null, got 1");
}

TEST_CASE("$ref loops that never descend into the value are rejected at compile time") {
  CHECK_THAT(
      schema_error(R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"})"),
      Catch::Contains("never ends") && Catch::Contains("#/$defs/a") && Catch::Contains("#/$defs/b"));
  CHECK_THAT(schema_error(R"({"anyOf":[{"type":"string"},{"$ref":"#"}]})"), Catch::Contains("never ends"));
  CHECK_THAT(schema_error(R"({"$ref":"#"})"), Catch::Contains("never ends"));
}

TEST_CASE("references that cannot be resolved are schema errors") {
  CHECK_THAT(schema_error(R"({"$ref":"#/$defs/missing"})"),
             Catch::Contains("points to nothing") && Catch::Contains("#/$defs/missing"));
  CHECK(
      schema_error(R"({"$ref":"https://example.com/other.json"})") ==
      R"(invalid schema at #/$ref: "https://example.com/other.json" refers to https://example.com/other.json, )"
      "which is neither part of this schema nor a preloaded document (mcpd never fetches schemas over the "
      "network)");
  CHECK_THAT(
      schema_error(R"({"$id":"https://example.com/a/root.json","properties":{"x":{"$ref":"b.json#/c"}}})"),
      Catch::Contains("#/properties/x/$ref") &&
          Catch::Contains("\"b.json#/c\" refers to https://example.com/a/b.json,"));
  CHECK_THAT(schema_error(R"({"$ref":"#nowhere"})"), Catch::Contains("names no \"$anchor\""));
  CHECK_THAT(schema_error(R"({"required":["a"],"$ref":"#/required/0"})"),
             Catch::Contains("a schema must be an object or a boolean"));
}

TEST_CASE("boolean schemas") {
  CHECK(first_error("true", R"({"anything":[1]})").empty());
  CHECK(first_error("false", "1") == "not allowed here (the schema accepts no value)");
  CHECK(first_error(R"({"properties":{"legacy":false}})", R"({"legacy":1})") ==
        "legacy: not allowed here (the schema accepts no value)");
  CHECK(CompiledSchema().validate(json::parse(R"([1,{"a":null}])")) == std::nullopt);
}

TEST_CASE("annotations and unknown keywords are ignored") {
  const auto schema = compile(R"({"$schema":"x","$id":"urn:x","title":5,"description":"d","default":"x",
      "examples":[1],"readOnly":true,"deprecated":true,"$comment":"c","x-vendor":{"a":1},"nonsense":[],"type":"string"})");
  CHECK(first_error(schema, R"("a")").empty());
  CHECK(first_error(schema, "1") == "expected string, got 1");
}

TEST_CASE("malformed schemas are rejected with the location and what was expected") {
  CHECK(schema_error(R"({"required":"x"})") ==
        R"(invalid schema at #: "required" must be an array of strings, got "x")");
  CHECK(schema_error(R"({"properties":{"limit":{"minimum":"5"}}})") ==
        R"(invalid schema at #/properties/limit: "minimum" must be a number, got "5")");
  CHECK(
      schema_error(R"({"type":"any"})") ==
      R"(invalid schema at #: "type" must name string, number, integer, boolean, object, array or null, got "any")");
  CHECK(schema_error(R"({"properties":{"a":5}})") ==
        "invalid schema at #/properties/a: a schema must be an object or a boolean, got 5");
  CHECK(schema_error("5") == "invalid schema at #: a schema must be an object or a boolean, got 5");
  CHECK_THAT(schema_error(R"({"exclusiveMinimum":true})"), Catch::Contains("draft-04 boolean form"));
  CHECK_THAT(schema_error(R"({"multipleOf":0})"), Catch::Contains("\"multipleOf\" must be greater than 0"));
  CHECK_THAT(schema_error(R"({"minLength":-1})"),
             Catch::Contains("\"minLength\" must be a non-negative integer"));
  CHECK_THAT(schema_error(R"({"maxItems":1.5})"),
             Catch::Contains("\"maxItems\" must be a non-negative integer"));
  CHECK_THAT(schema_error(R"({"allOf":[]})"),
             Catch::Contains("\"allOf\" must be a non-empty array of schemas"));
  CHECK_THAT(schema_error(R"({"anyOf":{}})"),
             Catch::Contains("\"anyOf\" must be a non-empty array of schemas"));
  CHECK_THAT(schema_error(R"({"items":{"type":7}})"), Catch::Contains("invalid schema at #/items"));
  CHECK_THAT(schema_error(R"({"uniqueItems":"yes"})"), Catch::Contains("\"uniqueItems\" must be a boolean"));
  CHECK_THAT(schema_error(R"({"enum":"a"})"), Catch::Contains("\"enum\" must be an array"));
  CHECK_THAT(schema_error(R"({"$ref":5})"), Catch::Contains("\"$ref\" must be a string"));
  CHECK_THAT(schema_error(R"({"writeOnly":"yes"})"), Catch::Contains("\"writeOnly\" must be a boolean"));
  CHECK_THAT(schema_error(R"({"$defs":{"bad":{"type":[]}}})"), Catch::Contains("#/$defs/bad"));
  CHECK(
      schema_error(R"({"pattern":"[a-"})") ==
      R"(invalid schema at #/pattern: the pattern "[a-" is not a valid ECMAScript regular expression (a character class "[" is not closed by "]"))");
  CHECK_THAT(schema_error(R"({"pattern":"a)(b"})"),
             Catch::Contains("not a valid ECMAScript regular expression"));
  CHECK_THAT(schema_error(R"({"patternProperties":{"(":{}}})"), Catch::Contains("#/patternProperties/("));
  CHECK_THAT(schema_error(R"({"pattern":"(a)\\1"})"), Catch::Contains("back-references"));
  CHECK_THAT(schema_error(R"x({"pattern":"a(?=b)"})x"),
             Catch::Contains("#/pattern") && Catch::Contains("lookahead and lookbehind"));
  CHECK_THAT(schema_error(R"({"pattern":"(?i)abc"})"),
             Catch::Contains("not a valid ECMAScript regular expression"));
  CHECK_THAT(schema_error(R"({"pattern":"a{2000}"})"), Catch::Contains("repetition count above 1000"));
  CHECK_THAT(schema_error(R"({"$dynamicRef":"#meta"})"), Catch::Contains("names no \"$anchor\""));
  CHECK_THAT(schema_error(R"({"$recursiveRef":"#"})"), Catch::Contains("use \"$dynamicRef\""));
  CHECK_THAT(schema_error(R"({"$id":5})"), Catch::Contains("\"$id\" must be a string"));
}

TEST_CASE("deeply nested schemas are refused instead of exhausting the stack") {
  for (const char* wrapper : {R"({"items":)", R"({"allOf":[)", R"({"$defs":{"d":)"}) {
    INFO(wrapper);
    const std::string open(wrapper);
    const std::string close = open.find('[') != std::string::npos       ? "]}"
                              : open.find("$defs") != std::string::npos ? "}}"
                                                                        : "}";
    std::string deep;
    for (int i = 0; i < 10000; ++i) deep += open;
    deep += "{}";
    for (int i = 0; i < 10000; ++i) deep += close;
    json::parse_options options;
    options.max_depth = 30000;
    const json::value schema = json::parse(deep, {}, options);
    const auto elapsed = time_of([&] {
      try {
        CompiledSchema::compile(schema);
        FAIL("expected SchemaError");
      } catch (const SchemaError& e) {
        CHECK_THAT(e.what(), Catch::Contains("nested more than 200 levels deep"));
      }
    });
    CHECK(elapsed < std::chrono::seconds(2));
  }
}

TEST_CASE("hostile instance depth is an error, not a crash") {
  const auto anything = CompiledSchema();
  const auto error = anything.validate(nested_arrays(100000));
  REQUIRE(error);
  CHECK(error->path.empty());
  CHECK(error->message ==
        "the value is nested too deeply (more than 128 levels of arrays/objects inside each other)");
  CHECK(anything.validate(nested_arrays(256)).has_value());
  CHECK(anything.validate(nested_arrays(128)) == std::nullopt);

  const auto recursive = compile(R"({"type":["array","null"],"items":{"$ref":"#"},"uniqueItems":true})");
  CHECK(recursive.validate(nested_arrays(120)) == std::nullopt);
  CHECK(recursive.validate(nested_arrays(300)).has_value());
}

TEST_CASE("explaining a failure deep inside a recursive anyOf stays precise and cheap") {
  // Each level is an anyOf; the error is at the bottom. Explaining it must not re-run alternatives per level.
  const auto schema = compile(R"({"anyOf":[{"type":"null"},{"type":"array","items":{"$ref":"#"}}]})");
  json::value instance = true;
  for (int i = 0; i < 100; ++i) instance = json::array{std::move(instance)};
  const auto errors = schema.validate_all(instance);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "expected null or array, got true");
  CHECK(errors[0].path.size() == 300);  // "[0]" one hundred times
}

TEST_CASE("schemas with exponential work are stopped by a step budget") {
  // Both oneOf alternatives recurse into the items, so each level doubles the work.
  const auto explosive =
      compile(R"({"oneOf":[{"type":"array","items":{"$ref":"#"}},{"type":"array","items":{"$ref":"#"}}]})");
  const auto start = std::chrono::steady_clock::now();
  const auto error = explosive.validate(nested_arrays(100));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  REQUIRE(error);
  CHECK_THAT(error->message, Catch::Contains("validation stopped"));
}

TEST_CASE("validate_all reports several errors, up to the limit") {
  const auto schema = compile(R"({"type":"object","required":["a","b","c"],
      "properties":{"n":{"type":"integer","minimum":0,"multipleOf":2}}})");
  const auto all = schema.validate_all(json::parse(R"({"n":-3})"));
  REQUIRE(all.size() == 5);
  CHECK(all[0].text() == "a: required property missing");
  CHECK(all[1].text() == "b: required property missing");
  CHECK(all[2].text() == "c: required property missing");
  CHECK(all[3].text() == "n: must be >= 0, got -3");
  CHECK(all[4].text() == "n: must be a multiple of 2, got -3");
  CHECK(schema.validate_all(json::parse(R"({"n":-3})"), 2).size() == 2);
  CHECK(schema.validate_all(json::parse(R"({"a":1,"b":2,"c":3})")).empty());
  CHECK(schema.validate_all(json::parse("{}"), 0).size() == 1);
}

TEST_CASE("values under writeOnly schemas are never echoed") {
  const std::string secret = "sk-SUPERSECRET-12345";
  const auto schema = compile(R"({"properties":{
      "key":{"type":"string","pattern":"^phx_","writeOnly":true},
      "token":{"$ref":"#/$defs/secret"},
      "nested":{"writeOnly":true,"type":"object","properties":{"inner":{"enum":["a"]}}}},
      "$defs":{"secret":{"type":"integer","writeOnly":true}}})");
  const auto errors =
      schema.validate_all(json::value{{"key", secret}, {"token", secret}, {"nested", {{"inner", secret}}}});
  REQUIRE(errors.size() == 3);
  for (const auto& error : errors) {
    INFO(error.text());
    CHECK(error.text().find("SUPERSECRET") == std::string::npos);
  }
  CHECK(errors[0].text() == "key: must match the pattern ^phx_, got a string (value hidden)");
  CHECK(errors[1].text() == "token: expected integer, got a string (value hidden)");
  CHECK(errors[2].text() == R"(nested.inner: must be one of "a", got a string (value hidden))");
}

TEST_CASE("a compiled schema is shared safely between threads") {
  const auto schema = compile(R"({"type":"object","properties":{"n":{"type":"integer","maximum":10},
      "s":{"pattern":"^[a-z]+$"}},"required":["n"]})");
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const bool valid = (i + t) % 2 == 0;
        const json::value instance =
            valid ? json::value{{"n", 5}, {"s", "abc"}} : json::value{{"n", 50}, {"s", "abc"}};
        const auto error = schema.validate(instance);
        if (error.has_value() == valid || (error && error->text() != "n: must be <= 10, got 50")) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
}

TEST_CASE("check_tool_input_schema enforces the MCP object rule") {
  using mcpd::schema::check_tool_input_schema;
  CHECK(check_tool_input_schema(json::parse(R"({"type":"object","additionalProperties":false})")) ==
        std::nullopt);
  CHECK(check_tool_input_schema(json::parse(R"({"type":"object","properties":{"a":{}}})")) == std::nullopt);
  CHECK(check_tool_input_schema(json::parse("true")) == "inputSchema must be a JSON object schema, got true");
  CHECK_THAT(*check_tool_input_schema(json::parse(R"({"properties":{}})")),
             Catch::Contains("must declare \"type\": \"object\""));
  CHECK(
      check_tool_input_schema(json::parse(R"({"type":"array"})")) ==
      R"(inputSchema must declare "type": "object" (MCP tool arguments are always an object), got "type": "array")");
  CHECK(check_tool_input_schema(json::parse(R"({"type":["object","null"]})")).has_value());
}

TEST_CASE("x-mcp-header annotations: only valid ones are published", "[schema][headers]") {
  using mcpd::schema::check_header_annotations;
  auto schema = [](std::string_view text) { return boost::json::parse(text); };
  CHECK_FALSE(check_header_annotations(schema(R"({"type":"object","properties":{
      "region":{"type":"string","x-mcp-header":"Region"},
      "count":{"type":"integer","x-mcp-header":"Count"},
      "dry":{"type":"boolean","x-mcp-header":"Dry-Run"},
      "note":{"type":"string"}}})")));
  // A number cannot be carried exactly; objects and arrays not at all.
  CHECK(check_header_annotations(schema(R"({"properties":{"p":{"type":"number","x-mcp-header":"P"}}})")));
  CHECK(check_header_annotations(schema(R"({"properties":{"p":{"type":"array","x-mcp-header":"P"}}})")));
  CHECK(check_header_annotations(schema(R"({"properties":{"p":{"x-mcp-header":"P"}}})")));
  // Not a token, empty, or the same name twice without regard to case.
  CHECK(check_header_annotations(
      schema(R"({"properties":{"p":{"type":"string","x-mcp-header":"Has Space"}}})")));
  CHECK(check_header_annotations(schema(R"({"properties":{"p":{"type":"string","x-mcp-header":""}}})")));
  auto twice = check_header_annotations(schema(R"({"properties":{
      "a":{"type":"string","x-mcp-header":"Region"},"b":{"type":"string","x-mcp-header":"region"}}})"));
  REQUIRE(twice);
  CHECK(twice->find("twice") != std::string::npos);
  // Reachable only through "properties" from the root.
  auto nested = check_header_annotations(schema(R"({"properties":{"o":{"type":"object",
      "properties":{"p":{"type":"string","x-mcp-header":"P"}}}}})"));
  REQUIRE(nested);
  CHECK(nested->find("/properties/o/properties/p") != std::string::npos);
  CHECK(check_header_annotations(schema(R"({"$defs":{"d":{"type":"string","x-mcp-header":"D"}}})")));
  CHECK(check_header_annotations(
      schema(R"({"anyOf":[{"properties":{"p":{"type":"string","x-mcp-header":"P"}}}]})")));
  CHECK(check_header_annotations(
      schema(R"({"properties":{"l":{"type":"array","items":{"type":"string","x-mcp-header":"L"}}}})")));
}

TEST_CASE("$ref inside an embedded $id resource resolves against that resource, not the root") {
  // "#/$defs/item" under "$id": "inner.json" means inner.json's own $defs.
  const auto schema = compile(R"({
      "$id": "https://example.com/root.json",
      "$defs": {"item": {"type": "string"}},
      "properties": {
        "inner": {
          "$id": "inner.json",
          "$defs": {"item": {"type": "integer"}},
          "items": {"$ref": "#/$defs/item"}
        },
        "outer": {"$ref": "#/$defs/item"},
        "by_uri": {"$ref": "inner.json#/$defs/item"}
      }})");
  CHECK(first_error(schema, R"({"inner":[1,2],"outer":"s","by_uri":3})").empty());
  CHECK(first_error(schema, R"({"inner":["a"]})") == R"(inner[0]: expected integer, got "a")");
  CHECK(first_error(schema, R"({"outer":1})") == "outer: expected string, got 1");
  CHECK(first_error(schema, R"({"by_uri":"x"})") == R"(by_uri: expected integer, got "x")");
  // An $anchor belongs to its resource: the same name may appear in two of them.
  const auto anchors = compile(R"({
      "$id": "https://example.com/a.json",
      "$defs": {"n": {"$anchor": "thing", "type": "null"},
                "b": {"$id": "b.json", "$defs": {"s": {"$anchor": "thing", "type": "string"}}}},
      "properties": {"here": {"$ref": "#thing"}, "there": {"$ref": "b.json#thing"}}})");
  CHECK(first_error(anchors, R"({"here":null,"there":"x"})").empty());
  CHECK(first_error(anchors, R"({"there":null})") == "there: expected string, got null");
}

TEST_CASE("documents outside the schema: preloaded ones are used, others are refused, nothing is fetched") {
  SchemaDocuments documents;
  documents.add("https://schemas.example.com/money.json", json::parse(R"({
      "$defs": {"amount": {"type": "number", "minimum": 0}, "currency": {"enum": ["EUR", "USD"]}},
      "type": "object", "required": ["amount", "currency"],
      "properties": {"amount": {"$ref": "#/$defs/amount"}, "currency": {"$ref": "#/$defs/currency"}}})"));
  const CompileOptions options{FormatMode::kAnnotation, &documents};
  const auto schema = compile(R"({"$id": "https://schemas.example.com/order.json",
      "properties": {"total": {"$ref": "money.json"}, "fee": {"$ref": "money.json#/$defs/amount"}}})",
                              options);
  CHECK(first_error(schema, R"({"total":{"amount":5,"currency":"EUR"},"fee":1})").empty());
  CHECK(first_error(schema, R"({"total":{"amount":5,"currency":"GBP"}})") ==
        R"(total.currency: must be one of "EUR", "USD", got "GBP")");
  CHECK(first_error(schema, R"({"fee":-1})") == "fee: must be >= 0, got -1");
  CHECK_THAT(schema_error(R"({"$ref":"https://schemas.example.com/missing.json"})", options),
             Catch::Contains("\"https://schemas.example.com/missing.json\" refers to") &&
                 Catch::Contains("never fetches"));
  CHECK_THAT(schema_error(R"({"$ref":"https://schemas.example.com/money.json#/$defs/nope"})", options),
             Catch::Contains("points to nothing in https://schemas.example.com/money.json"));
  // The 2020-12 meta-schema is built in: a schema can be checked against it without preloading anything.
  const auto meta = compile(R"({"$ref":"https://json-schema.org/draft/2020-12/schema"})");
  CHECK(first_error(meta, R"({"type":"string","minLength":1})").empty());
  CHECK_FALSE(first_error(meta, R"({"type":"text"})").empty());
  CHECK_FALSE(first_error(meta, R"({"$defs":{"a":{"minLength":-1}}})").empty());
}

TEST_CASE("$dynamicRef follows the dynamic scope: an extensible tree") {
  SchemaDocuments documents;
  documents.add("https://example.com/tree.json", json::parse(R"({
      "$id": "https://example.com/tree.json", "$dynamicAnchor": "node",
      "type": "object", "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}}})"));
  // A strict tree: the same shape, and no property other than "children" and "label", at any depth.
  const auto strict = compile(R"({
      "$id": "https://example.com/strict-tree.json", "$dynamicAnchor": "node",
      "$ref": "tree.json", "properties": {"label": {"type": "string"}}, "unevaluatedProperties": false})",
                              CompileOptions{FormatMode::kAnnotation, &documents});
  CHECK(first_error(strict, R"({"label":"a","children":[{"label":"b","children":[]}]})").empty());
  CHECK(first_error(strict, R"({"children":[{"children":[{"lable":"typo"}]}]})") ==
        "children[0].children[0].lable: unknown property (no subschema that applies here declares it)");
}

TEST_CASE("unevaluatedProperties and unevaluatedItems see through allOf, anyOf, $ref and if") {
  const auto closed = compile(R"({
      "allOf": [{"properties": {"a": {"type": "integer"}}}],
      "anyOf": [{"properties": {"b": true}, "required": ["b"]}, {"properties": {"c": true}, "required": ["c"]}],
      "if": {"properties": {"kind": {"const": "x"}}}, "then": {"properties": {"x": true}},
      "unevaluatedProperties": false})");
  CHECK(first_error(closed, R"({"a":1,"b":2})").empty());
  CHECK(first_error(closed, R"({"a":1,"c":2,"kind":"x","x":3})").empty());
  CHECK(first_error(closed, R"({"b":1,"x":3,"kind":"y"})") ==
        "x: unknown property (no subschema that applies here declares it)");
  CHECK(first_error(closed, R"({"b":1,"z":3})") ==
        "z: unknown property (no subschema that applies here declares it)");
  const auto typed = compile(R"({"properties": {"a": true}, "unevaluatedProperties": {"type": "string"}})");
  CHECK(first_error(typed, R"({"a":1,"b":"s"})").empty());
  CHECK(first_error(typed, R"({"a":1,"b":2})") == "b: expected string, got 2");

  const auto tuple = compile(R"({"prefixItems": [{"type": "string"}], "contains": {"type": "null"},
      "unevaluatedItems": false})");
  CHECK(first_error(tuple, R"(["a", null, null])").empty());
  CHECK(first_error(tuple, R"(["a", null, 3])") ==
        "[2]: unexpected item (no subschema that applies here covers it)");
}

TEST_CASE("pattern: Unicode properties and ECMAScript classes") {
  CHECK(first_error(R"({"pattern":"^\\p{Letter}+$"})", R"("Ünïcödé")").empty());
  CHECK_FALSE(first_error(R"({"pattern":"^\\p{L}+$"})", R"("abc1")").empty());
  CHECK(first_error(R"({"pattern":"^\\p{Lu}\\P{Lu}*$"})", R"("Élan")").empty());
  CHECK(first_error(R"({"pattern":"^\\p{Script=Greek}+$"})", R"("αβγ")").empty());
  CHECK(first_error(R"({"pattern":"^\\s$"})", R"("\u00a0")").empty());        // ECMAScript's \s is Unicode
  CHECK_FALSE(first_error(R"({"pattern":"^\\d$"})", R"("\u0664")").empty());  // \d is ASCII only
  CHECK_FALSE(first_error(R"({"pattern":"^.$"})", R"("\n")").empty());        // "." stops at line terminators
  CHECK(first_error(R"({"pattern":"^\\u{1F600}$"})", R"("\ud83d\ude00")").empty());
  CHECK(first_error(R"({"pattern":"^(?<year>\\d{4})$"})", R"("2026")").empty());
  CHECK_FALSE(first_error(R"({"pattern":"[]"})", R"("x")").empty());  // [] matches nothing
  CHECK(first_error(R"({"pattern":"^[^]$"})", R"("x")").empty());     // [^] matches anything
}

TEST_CASE("a $schema that requires a vocabulary mcpd does not know is refused") {
  SchemaDocuments documents;
  documents.add("https://example.com/meta", json::parse(R"({"$vocabulary": {
      "https://json-schema.org/draft/2020-12/vocab/core": true,
      "https://example.com/vocab/magic": true}})"));
  CHECK_THAT(schema_error(R"({"$schema":"https://example.com/meta"})", {FormatMode::kAnnotation, &documents}),
             Catch::Contains("requires the vocabulary \"https://example.com/vocab/magic\""));
  // A $schema mcpd cannot look up (draft-07, as many MCP tool schemas declare) reads as 2020-12.
  CHECK(first_error(R"({"$schema":"http://json-schema.org/draft-07/schema#","type":"string"})", "1") ==
        "expected string, got 1");
}

TEST_CASE("hostile schemas: $ref cycles end, at compile time or within the step budget") {
  CHECK_THAT(schema_error(R"({"$ref":"#"})"), Catch::Contains("never ends"));
  CHECK_THAT(schema_error(R"({"$dynamicAnchor":"a","$dynamicRef":"#a"})"), Catch::Contains("never ends"));
  // A loop only the dynamic scope closes is cut by the evaluator's depth limit, not by the stack.
  const auto dynamic_loop = compile(R"({
      "$id": "https://example.com/outer", "$dynamicAnchor": "x", "$ref": "inner",
      "$defs": {"inner": {"$id": "inner", "$defs": {"x": {"$dynamicAnchor": "x", "type": "null"}},
                          "$dynamicRef": "#x"}}})");
  const auto error = dynamic_loop.validate(json::parse("1"));
  REQUIRE(error);
  CHECK_THAT(error->message, Catch::Contains("validation stopped"));
}

TEST_CASE("hostile schemas: a 100,000-member enum compiles and validates fast, with a short message") {
  json::array members;
  for (int i = 0; i < 100000; ++i) members.emplace_back("value-" + std::to_string(i));
  const json::value schema{{"enum", std::move(members)}};
  std::optional<CompiledSchema> compiled;
  CHECK(time_of([&] { compiled = CompiledSchema::compile(schema); }) < std::chrono::seconds(2));
  std::size_t wrong = 0;
  const auto elapsed = time_of([&] {
    for (int i = 0; i < 10000; ++i) {
      wrong += compiled->validate(json::value("value-" + std::to_string(i * 7))).has_value();
    }
  });
  CHECK(wrong == 0);
  CHECK(elapsed < std::chrono::seconds(2));  // a hash lookup each, not a scan of 100,000 members
  const auto error = compiled->validate(json::value("nope"));
  REQUIRE(error);
  CHECK_THAT(error->message, Catch::StartsWith(R"(must be one of "value-0", "value-1",)") &&
                                 Catch::EndsWith(R"("value-19", ... (99980 more), got "nope")"));
}

TEST_CASE("hostile patterns run in time linear in the subject") {
  const std::string subject = std::string(100000, 'a') + "!";
  for (const char* pattern : {"^(a+)+$", "^(a|aa)*$", "^(a|a?)+$", "(x+x+)+y", "^(\\w+\\s?)*$"}) {
    INFO(pattern);
    const auto schema = compile(R"({"pattern":)" + json::serialize(json::value(pattern)) + "}");
    std::optional<mcpd::schema::ValidationError> error;
    CHECK(time_of([&] { error = schema.validate(json::value(subject)); }) < std::chrono::seconds(2));
    CHECK(error.has_value());
  }
}

TEST_CASE("hostile instances: unevaluatedProperties over 100,000 properties stays linear") {
  const auto schema = compile(R"({"anyOf": [{"properties": {"a": true}}, {"patternProperties": {"^p": true}}],
      "unevaluatedProperties": {"type": "integer"}})");
  json::object wide;
  for (int i = 0; i < 100000; ++i) wide["p" + std::to_string(i)] = i;
  wide["q"] = "not an integer";
  std::optional<mcpd::schema::ValidationError> error;
  CHECK(time_of([&] { error = schema.validate(json::value(std::move(wide))); }) < std::chrono::seconds(5));
  REQUIRE(error);
  CHECK(error->text() == R"(q: expected integer, got "not an integer")");
}
