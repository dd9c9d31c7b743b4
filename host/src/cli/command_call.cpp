#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <mcpd/sdk/json_serialize.hpp>

#include "cli/commands.hpp"
#include "cli/server_setup.hpp"
#include "log/logger.hpp"

namespace mcpd::cli {
namespace json = boost::json;

namespace {

// The arguments as given on the command line, or, because one command-line argument is limited to
// 128 KiB on Linux (too small for a screenshot in base64), read from stdin ("-") or a file ("@FILE").
json::value read_call_arguments(const std::string& given) {
  std::string text = given;
  std::string origin = "the arguments";
  if (given == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    origin = "the arguments read from stdin";
  } else if (given.starts_with("@")) {
    std::ifstream file(given.substr(1), std::ios::binary);
    if (!file) throw UsageError("cannot read the arguments file " + given.substr(1));
    std::ostringstream content;
    content << file.rdbuf();
    text = std::move(content).str();
    origin = "the arguments in " + given.substr(1);
  }
  // Quote at most the start of what was given: it may be megabytes of base64.
  const std::string shown = text.size() > 200 ? text.substr(0, 200) + "..." : text;
  boost::system::error_code ec;
  json::value arguments = json::parse(text, ec);
  if (ec) throw UsageError(origin + " are not valid JSON (" + ec.message() + "): " + shown);
  if (!arguments.is_object())
    throw UsageError(origin + " must be a JSON object such as '{\"name\":\"value\"}', got: " + shown);
  return arguments;
}

}  // namespace

int command_call(const std::vector<std::string>& args) {
  auto options = parse_common_options(args, {});
  if (options.positional.empty() || options.positional.size() > 2)
    throw UsageError("call needs NAMESPACE.TOOL and optionally a JSON object of arguments");
  const std::string& name = options.positional[0];
  json::value arguments = json::object{};
  if (options.positional.size() == 2) arguments = read_call_arguments(options.positional[1]);
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
    std::printf("%s\n", sdk::to_json_text(result).c_str());
    auto is_error = result.find("isError");
    return is_error != result.end() && is_error->value() == true ? 1 : 0;
  } catch (const bridge::RpcError& e) {
    std::fprintf(stderr, "mcpd call: %s\n", e.what());
    return 2;
  }
}

}  // namespace mcpd::cli
