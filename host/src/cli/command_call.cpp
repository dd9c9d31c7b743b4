#include <cstdio>

#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "log/logger.hpp"

namespace mcpd::cli {
namespace json = boost::json;

int command_call(const std::vector<std::string>& args) {
  auto options = parse_common_options(args, {});
  if (options.positional.empty() || options.positional.size() > 2)
    throw UsageError("call needs NAMESPACE.TOOL and optionally a JSON object of arguments");
  const std::string& name = options.positional[0];
  json::value arguments = json::object{};
  if (options.positional.size() == 2) {
    boost::system::error_code ec;
    arguments = json::parse(options.positional[1], ec);
    if (ec)
      throw UsageError("the arguments are not valid JSON (" + ec.message() + "): " + options.positional[1]);
    if (!arguments.is_object())
      throw UsageError("the arguments must be a JSON object such as '{\"name\":\"value\"}', got: " +
                       options.positional[1]);
  }
  // One-shot use: only warnings and worse on stderr unless asked otherwise.
  config::Config config = effective_config(options, "warning");
  Server server = start_server(config);
  auto& context = *server.context;

  bridge::CallScope::Options scope_options;
  scope_options.snapshot = context.snapshot();
  scope_options.invoker = &context.invoker;
  bridge::CallScope scope(std::move(scope_options));
  try {
    json::object result = context.invoker.call_tool(scope, name, arguments);
    std::printf("%s\n", json::serialize(result).c_str());
    auto is_error = result.find("isError");
    return is_error != result.end() && is_error->value() == true ? 1 : 0;
  } catch (const bridge::RpcError& e) {
    std::fprintf(stderr, "mcpd call: %s\n", e.what());
    return 2;
  }
}

}  // namespace mcpd::cli
