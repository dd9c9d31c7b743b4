// What a plugin declares: tool, resource, template and prompt definitions and their handler types.
#ifndef MCPD_SDK_SPECS_HPP
#define MCPD_SDK_SPECS_HPP

#include <mcpd/sdk/call_context.hpp>
#include <mcpd/sdk/completion_result.hpp>
#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/prompt_result.hpp>
#include <mcpd/sdk/resource_result.hpp>
#include <mcpd/sdk/tool_result.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::sdk {

// Every member has a default initialiser ({}) so that designated initialisers may skip members without
// tripping GCC 12's -Wmissing-field-initializers (part of -Wextra).

/// Everything an MCP Tool is besides its handler. Designated initialisers read well:
///   {.name = "greet", .description = "Greets someone", .input_schema = sdk::parse_object(R"({...})")}
struct tool_spec {
  std::string name{};           ///< without the namespace, e.g. "capture": [A-Za-z0-9_-], 1..64 characters
  std::string title{};          ///< optional human-friendly name
  std::string description{};    ///< required
  json::object input_schema{};  ///< required JSON Schema with "type":"object" (no parameters:
                                ///< {"type":"object","additionalProperties":false})
  std::optional<json::object> output_schema{};  ///< then return structuredContent matching it
  std::optional<json::object>
      annotations{};                        ///< readOnlyHint, destructiveHint, idempotentHint, openWorldHint
  std::optional<json::array> icons{};       ///< [{src, mimeType, sizes, theme}]
  std::optional<json::object> meta{};       ///< "_meta"
  std::optional<json::object> execution{};  ///< e.g. {"taskSupport": "optional"}
};

/// Runs one tools/call. `arguments` were already validated against the input schema by the host. Any
/// exception becomes an isError:true result carrying its message.
using tool_handler = std::function<tool_result(call_context&, const json::object& arguments)>;

/// A static resource (exact URI match on resources/read).
struct resource_spec {
  std::string uri{}, name{}, title{}, description{}, mime_type{};  ///< uri and name required
  std::optional<std::uint64_t> size{};                             ///< bytes, when known
  std::optional<json::object> annotations{};
  std::optional<json::array> icons{};
  std::optional<json::object> meta{};
};

/// A family of resources named by an RFC 6570 level-1 URI template, e.g. "test://template/{id}/data".
struct resource_template_spec {
  std::string uri_template{}, name{}, title{}, description{},
      mime_type{};  ///< uri_template and name required
  std::optional<json::object> annotations{};
  std::optional<json::array> icons{};
  std::optional<json::object> meta{};
};

struct prompt_argument {
  std::string name{}, description{};
  bool required = false;
  std::string title{};  ///< optional
};

struct prompt_spec {
  std::string name{}, title{}, description{};  ///< name required: [A-Za-z0-9_-], 1..64 characters
  std::vector<prompt_argument> arguments{};
  std::optional<json::array> icons{};
  std::optional<json::object> meta{};
};

/// Reads a resource. For a template, `variables` holds the template's variables taken from `uri`; for a
/// static resource it is empty. Throw sdk::error(MCPD_ERR_NOT_FOUND, ...) for a URI that does not exist.
using resource_handler =
    std::function<resource_result(call_context&, std::string_view uri, const json::object& variables)>;
/// prompts/get. `arguments` is an object of string arguments.
using prompt_handler = std::function<prompt_result(call_context&, const json::object& arguments)>;
/// completion/complete. `request_params` is the request's params: ref, argument {name, value}, context.
using completion_handler =
    std::function<completion_result(call_context&, const json::object& request_params)>;

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_SPECS_HPP
