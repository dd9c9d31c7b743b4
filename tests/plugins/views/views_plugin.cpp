// views: an MCP Apps test plugin. One view (ui://views/counter.html), a tool linked to it that the model
// and the view both call, and an app-only tool only the view calls. The e2e tests check what clients with
// and without the extension see of it.
#include <mcpd/sdk.hpp>

#include <string>
#include <tuple>

namespace views {

namespace sdk = mcpd::sdk;
namespace json = boost::json;

constexpr std::string_view kViewUri = "ui://views/counter.html";

// Small on purpose: the tests read it back byte for byte.
constexpr std::string_view kViewHtml =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Counter</title></head>"
    "<body><output id=\"count\">0</output></body></html>";

struct count_args {
  int to = 3;
  static auto fields() {
    return std::tuple{sdk::field(&count_args::to, "to", "Count up to this").with("minimum", 0).optional()};
  }
};

struct count_result {
  int total = 0;
  static auto fields() { return std::tuple{sdk::field(&count_result::total, "total", "The count")}; }
};

class views_plugin final : public sdk::plugin {
 public:
  static constexpr std::string_view plugin_namespace = "views";
  static constexpr std::string_view plugin_version = "1.0.0";
  static constexpr std::string_view description = "An MCP Apps view and its tools, for the e2e tests";

  void init(const json::object&, sdk::registry& reg) override {
    sdk::add_view(reg, {.uri = std::string(kViewUri),
                        .name = "Counter view",
                        .description = "Shows a count",
                        .html = std::string(kViewHtml),
                        .ui = {{"prefersBorder", true}, {"csp", {{"resourceDomains", json::array{}}}}}});
    reg.typed_tool<count_args>(
        {.name = "count",
         .description = "Counts up; clients with MCP Apps show the count in a view.",
         .meta = sdk::view_link(kViewUri)},
        [](sdk::call_context&, const count_args& args) { return count_result{args.to}; });
    reg.typed_tool<count_args>(
        {.name = "count_step",
         .description = "The view's own tool: one more step of the count.",
         .meta = sdk::view_link(kViewUri, sdk::view_audience::app_only)},
        [](sdk::call_context&, const count_args& args) { return count_result{args.to + 1}; });
  }
};

}  // namespace views

MCPD_PLUGIN(views::views_plugin)
