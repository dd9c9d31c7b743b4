// sdk::field / typed_tool: one declaration per field gives the schema, the conversion and the defaults.
#include <catch2/catch.hpp>

#include <mcpd/sdk/typed.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace sdk = mcpd::sdk;
namespace json = boost::json;

namespace {

struct place {
  std::string city;
  std::optional<std::string> country;
  static auto fields() {
    return std::tuple{sdk::field(&place::city, "city", "City name").with("minLength", 1),
                      sdk::field(&place::country, "country", "ISO 3166 code")};
  }
};

struct forecast_args {
  place where;
  int days = 3;
  std::string units = "metric";
  bool hourly = false;
  std::vector<std::string> fields_wanted;
  std::optional<double> min_confidence;
  std::uint8_t detail = 1;
  static auto fields() {
    return std::tuple{
        sdk::field(&forecast_args::where, "where", "Where to forecast"),
        sdk::field(&forecast_args::days, "days", "Days ahead")
            .with("minimum", 1)
            .with("maximum", 14)
            .optional(),
        sdk::field(&forecast_args::units, "units", "Units")
            .with("enum", json::array{"metric", "imperial"})
            .optional(),
        sdk::field(&forecast_args::hourly, "hourly", "").optional(),
        sdk::field(&forecast_args::fields_wanted, "fields", "Which values").optional(),
        sdk::field(&forecast_args::min_confidence, "min_confidence", "Drop less certain values"),
        sdk::field(&forecast_args::detail, "detail", "Detail level").optional()};
  }
};

struct forecast_result {
  double high = 0;
  std::int64_t samples = 0;
  std::optional<std::string> warning;
  static auto fields() {
    return std::tuple{sdk::field(&forecast_result::high, "high", "Highest temperature"),
                      sdk::field(&forecast_result::samples, "samples", "How many samples"),
                      sdk::field(&forecast_result::warning, "warning", "Any weather warning")};
  }
};

}  // namespace

TEST_CASE("typed fields: the input schema says every type, keyword, default and requirement",
          "[sdk][typed]") {
  const json::object schema = sdk::schema_of<forecast_args>();
  CHECK(schema == json::parse(R"({
    "type": "object",
    "properties": {
      "where": {
        "type": "object",
        "properties": {
          "city": {"type": "string", "description": "City name", "minLength": 1},
          "country": {"type": "string", "description": "ISO 3166 code"}
        },
        "required": ["city"],
        "additionalProperties": false,
        "description": "Where to forecast"
      },
      "days": {"type": "integer", "minimum": 1, "maximum": 14, "description": "Days ahead", "default": 3},
      "units": {"type": "string", "description": "Units", "enum": ["metric", "imperial"], "default": "metric"},
      "hourly": {"type": "boolean", "default": false},
      "fields": {"type": "array", "items": {"type": "string"}, "description": "Which values", "default": []},
      "min_confidence": {"type": "number", "description": "Drop less certain values"},
      "detail": {"type": "integer", "minimum": 0, "maximum": 255, "description": "Detail level", "default": 1}
    },
    "required": ["where"],
    "additionalProperties": false
  })"));
}

TEST_CASE("typed fields: arguments convert, and what is left out keeps its default", "[sdk][typed]") {
  const auto full = sdk::from_arguments<forecast_args>(json::parse(R"({
    "where": {"city": "Lyon", "country": "FR"}, "days": 7, "units": "imperial", "hourly": true,
    "fields": ["wind", "rain"], "min_confidence": 0.5, "detail": 200})")
                                                           .as_object());
  CHECK(full.where.city == "Lyon");
  CHECK(full.where.country == "FR");
  CHECK(full.days == 7);
  CHECK(full.units == "imperial");
  CHECK(full.hourly);
  CHECK(full.fields_wanted == std::vector<std::string>{"wind", "rain"});
  CHECK(full.min_confidence == 0.5);
  CHECK(full.detail == 200);

  const auto least =
      sdk::from_arguments<forecast_args>(json::parse(R"({"where": {"city": "Oslo"}})").as_object());
  CHECK(least.where.city == "Oslo");
  CHECK_FALSE(least.where.country.has_value());
  CHECK(least.days == 3);
  CHECK(least.units == "metric");
  CHECK_FALSE(least.hourly);
  CHECK(least.fields_wanted.empty());
  CHECK_FALSE(least.min_confidence.has_value());
  CHECK(least.detail == 1);
  // A whole number written as a double is still the integer it says.
  CHECK(
      sdk::from_arguments<forecast_args>(json::parse(R"({"where": {"city": "x"}, "days": 2.0})").as_object())
          .days == 2);
}

TEST_CASE("typed fields: a wrong or missing argument names its path and what it must be", "[sdk][typed]") {
  const auto refused = [](std::string_view text) {
    try {
      (void)sdk::from_arguments<forecast_args>(json::parse(text).as_object());
    } catch (const sdk::error& e) {
      CHECK(e.status() == MCPD_ERR_INVALID_ARGUMENT);
      return std::string(e.what());
    }
    FAIL("accepted " << text);
    return std::string();
  };
  CHECK(refused(R"({})") == "argument \"where\" is required");
  CHECK(refused(R"({"where": {}})") == "argument \"where.city\" is required");
  CHECK(refused(R"({"where": {"city": 5}})") == "argument \"where.city\" must be a string, not an integer");
  CHECK(refused(R"({"where": {"city": "x"}, "days": 2.5})") ==
        "argument \"days\" must be an integer that fits, not a number");
  CHECK(refused(R"({"where": {"city": "x"}, "detail": 256})") ==
        "argument \"detail\" must be an integer that fits, not an integer");
  CHECK(refused(R"({"where": {"city": "x"}, "fields": ["a", 1]})") ==
        "argument \"fields[1]\" must be a string, not an integer");
  CHECK(refused(R"({"where": "Lyon"})") == "argument \"where\" must be an object, not a string");
}

TEST_CASE("typed fields: a result struct gives the output schema and its JSON", "[sdk][typed]") {
  CHECK(sdk::schema_of<forecast_result>() == json::parse(R"({
    "type": "object",
    "properties": {
      "high": {"type": "number", "description": "Highest temperature"},
      "samples": {"type": "integer", "description": "How many samples"},
      "warning": {"type": "string", "description": "Any weather warning"}
    },
    "required": ["high", "samples"],
    "additionalProperties": false
  })"));
  CHECK(sdk::to_object(forecast_result{18.5, 24, std::nullopt}) ==
        json::parse(R"({"high": 18.5, "samples": 24})"));
  CHECK(sdk::to_object(forecast_result{-2, 3, "ice"}) ==
        json::parse(R"({"high": -2, "samples": 3, "warning": "ice"})"));
  // Whole numbers are written as integers (42, not 42.0); a schema default too.
  CHECK(sdk::to_object(forecast_result{-2, 3, "ice"}).at("high").is_int64());
}
