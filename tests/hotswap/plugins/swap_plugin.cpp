// The plugin the hot-swap tests replace while it serves. One source, built
// several times with different macros (tests/hotswap/CMakeLists.txt):
//   SWAP_VERSION     its version string, also the answer of every tool
//   SWAP_WITH_PROMPT registers a prompt too (so a swap changes prompts/list)
//   SWAP_INIT_FAILS  init throws: the host must refuse it and keep the old
// Every build uses the namespace "swap", so each is a version of the same plugin.
#include <mcpd/sdk.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace swap_test {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

class swap_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "swap";
  static constexpr std::string_view plugin_version = SWAP_VERSION;
  static constexpr std::string_view description = "Hot-swap test plugin, version " SWAP_VERSION;

  void init(const json::object& config, sdk::registry& reg) override {
#ifdef SWAP_INIT_FAILS
    (void)config;
    (void)reg;
    throw sdk::error(MCPD_ERR_INVALID_ARGUMENT, "swap " SWAP_VERSION ": init fails on purpose");
#else
    // The config section reaches every version (a test sets "greeting").
    if (auto g = config.find("greeting"); g != config.end() && g->value().is_string())
      greeting_ = std::string(g->value().get_string());
    reg.tool(
        {
            .name = "which",
            .description = "Answers with the version that ran the call (" SWAP_VERSION ").",
            .input_schema = sdk::parse_object(R"({"type": "object", "additionalProperties": false})"),
        },
        [this](sdk::call_context&, const json::object&) {
          return sdk::tool_result{}.text(greeting_ + SWAP_VERSION);
        });
    reg.tool(
        {
            .name = "slow",
            .description = "Waits `ms` milliseconds (or until cancelled), then answers with its version.",
            .input_schema = sdk::parse_object(R"({
              "type": "object",
              "properties": {"ms": {"type": "integer", "minimum": 0, "maximum": 60000}},
              "required": ["ms"],
              "additionalProperties": false
            })"),
        },
        [](sdk::call_context& call, const json::object& args) {
          // Progress 0 says "started": a test knows the call is running on this version.
          call.progress(0, 1, "started on " SWAP_VERSION);
          const auto until =
              std::chrono::steady_clock::now() + std::chrono::milliseconds(args.at("ms").as_int64());
          while (std::chrono::steady_clock::now() < until && !call.cancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
          return sdk::tool_result{}.text(SWAP_VERSION);
        });
#ifdef SWAP_WITH_PROMPT
    reg.prompt(
        {
            .name = "release_notes",
            .description = "What changed in " SWAP_VERSION ".",
        },
        [](sdk::call_context&, const json::object&) {
          return sdk::prompt_result{}.user("Version " SWAP_VERSION " adds this prompt.");
        });
#endif
#endif
  }

 private:
  std::string greeting_;
};

}  // namespace swap_test

MCPD_PLUGIN(swap_test::swap_plugin)
