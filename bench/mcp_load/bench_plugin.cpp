// The tools bench/mcp_load measures, written with the SDK like any third-party plugin. The TypeScript
// peers in peers/ publish the same names, schemas and answers, so the load driver sends every server the
// same requests.
//
// Built twice from this file (see CMakeLists.txt):
//   bench.so       namespace "bench":  bench_echo {text} -> that text; bench_image {bytes} -> an image
//                  block of that many bytes (bench_payload below, base64 by the host)
//   bench_many.so  namespace "bench_many": 1,000 tools t0000..t0999 with a small two-property schema,
//                  for the tools/list workload (MCPD_BENCH_MANY defined)
#include <mcpd/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace bench {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

// The image payload every implementation sends: byte i is (i * 131 + 17) mod 251. Deterministic, so the
// driver compares the base64 it receives with the one it computes; not compressible to nothing.
std::vector<std::uint8_t> bench_payload(std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>((i * 131 + 17) % 251);
  return bytes;
}

class bench_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "bench";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description = "Echo and image tools for the mcp_load benchmark";

  void init(const json::object& /*config*/, sdk::registry& reg) override {
    reg.tool(
        {
            .name = "echo",
            .description = "Returns the text it is given.",
            .input_schema = sdk::parse_object(R"({
              "type": "object",
              "properties": {"text": {"type": "string", "description": "Text to send back"}},
              "required": ["text"],
              "additionalProperties": false
            })"),
            .annotations = json::object{{"readOnlyHint", true}, {"openWorldHint", false}},
        },
        [](sdk::call_context&, const json::object& arguments) {
          return sdk::tool_result{}.text(arguments.at("text").as_string());
        });
    reg.tool(
        {
            .name = "image",
            .description = "Returns a PNG-typed image block of the given number of bytes.",
            .input_schema = sdk::parse_object(R"({
              "type": "object",
              "properties": {
                "bytes": {"type": "integer", "minimum": 0, "maximum": 16777216, "description": "Payload size"}
              },
              "required": ["bytes"],
              "additionalProperties": false
            })"),
            .annotations = json::object{{"readOnlyHint", true}, {"openWorldHint", false}},
        },
        [this](sdk::call_context&, const json::object& arguments) {
          const auto size = json::value_to<std::size_t>(arguments.at("bytes"));
          return sdk::tool_result{}.image(payload(size), "image/png");
        });
  }

 private:
  // Payloads are made once per size and kept: the benchmark measures the host, not the generator.
  std::span<const std::uint8_t> payload(std::size_t size) {
    std::lock_guard lock(mutex_);
    auto& slot = payloads_[size];
    if (!slot) slot = std::make_unique<std::vector<std::uint8_t>>(bench_payload(size));
    return *slot;
  }

  std::mutex mutex_;
  std::map<std::size_t, std::unique_ptr<std::vector<std::uint8_t>>> payloads_;
};

class bench_many_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "bench_many";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description = "1,000 small tools for the mcp_load tools/list workload";
  static constexpr int tool_count = 1000;

  void init(const json::object& /*config*/, sdk::registry& reg) override {
    const json::object schema = sdk::parse_object(R"({
      "type": "object",
      "properties": {
        "query": {"type": "string", "description": "What to look for"},
        "limit": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Most results to return"}
      },
      "required": ["query"],
      "additionalProperties": false
    })");
    for (int i = 0; i < tool_count; ++i) {
      char name[8];
      std::snprintf(name, sizeof name, "t%04d", i);
      reg.tool(
          {
              .name = name,
              .description = "Looks up records matching a query in collection " + std::string(name) + ".",
              .input_schema = schema,
          },
          [](sdk::call_context&, const json::object&) { return sdk::tool_result{}.text("ok"); });
    }
  }
};

}  // namespace bench

#ifdef MCPD_BENCH_MANY
MCPD_PLUGIN(bench::bench_many_plugin)
#else
MCPD_PLUGIN(bench::bench_plugin)
#endif
