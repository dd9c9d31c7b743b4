// A fake mcpd host for driving plugins through the raw C ABI: every host table is built from C callbacks
// that record what the plugin sends, so tests see exactly what crossed the boundary.
#ifndef MCPD_TESTS_SDK_FAKE_HOST_HPP
#define MCPD_TESTS_SDK_FAKE_HOST_HPP

#include <mcpd/plugin_api.h>

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sdk_test {

namespace json = boost::json;

/// The host services of mcpd_host_api, recorded.
class fake_host_api {
 public:
  fake_host_api();
  fake_host_api(const fake_host_api&) = delete;  // host_ctx points at this object
  fake_host_api& operator=(const fake_host_api&) = delete;
  const mcpd_host_api* api() const { return &api_; }

  std::vector<std::pair<mcpd_log_level, std::string>> log_lines;
  std::vector<std::string> notified_uris;

 private:
  mcpd_host_api api_{};
};

struct registered_tool {
  std::string name;
  json::object definition;
  uint32_t flags = 0;
  mcpd_on_call_tool_fn on_call = nullptr;
  void* state = nullptr;
};

struct registered_resource {
  std::string uri;
  json::object definition;
  mcpd_on_read_resource_fn on_read = nullptr;
  void* state = nullptr;
};

struct registered_template {
  std::string uri_template;
  json::object definition;
  mcpd_on_read_resource_fn on_read = nullptr;
  mcpd_on_complete_fn on_complete = nullptr;
  void* state = nullptr;
};

struct registered_prompt {
  std::string name;
  json::object definition;
  mcpd_on_get_prompt_fn on_get = nullptr;
  mcpd_on_complete_fn on_complete = nullptr;
  void* state = nullptr;
};

/// mcpd_registrar, recording every definition (definition_json parsed; unparsable JSON fails the test).
class fake_registrar {
 public:
  fake_registrar();
  fake_registrar(const fake_registrar&) = delete;  // host_ctx points at this object
  fake_registrar& operator=(const fake_registrar&) = delete;
  const mcpd_registrar* registrar() const { return &registrar_; }

  const registered_tool* tool(const std::string& name) const;
  const registered_template* resource_template(const std::string& uri_template) const;

  std::vector<registered_tool> tools;
  std::vector<registered_resource> resources;
  std::vector<registered_template> templates;
  std::vector<registered_prompt> prompts;
  std::optional<std::string> init_error;
  /// Names the host refuses with MCPD_ERR_INVALID_ARGUMENT, as a real host refuses duplicates.
  std::set<std::string> refused_names;
  /// Things the plugin sent that break the ABI contract (bad JSON, wrong struct_size); must stay empty.
  std::vector<std::string> violations;

 private:
  mcpd_registrar registrar_{};
};

/// mcpd_call_context with canned answers: "other.echo" echoes its arguments, any other tool is unknown;
/// "roots/list" answers {"roots": []}, any other client request is unsupported.
class fake_call_context {
 public:
  fake_call_context();
  fake_call_context(const fake_call_context&) = delete;  // host_ctx points at this object
  fake_call_context& operator=(const fake_call_context&) = delete;
  /// The context as a host built against an older header would pass it: struct_size cut at `size`.
  const mcpd_call_context* context(std::size_t size = sizeof(mcpd_call_context));

  bool cancelled = false;
  struct progress_report {
    double progress;
    double total;
    std::optional<std::string> message;
  };
  std::vector<progress_report> progress;
  struct client_log {
    mcpd_log_level level;
    std::optional<std::string> logger;
    json::value data;
  };
  std::vector<client_log> client_logs;
  std::vector<std::pair<std::string, json::value>> tool_calls;
  std::vector<std::string> has_tool_queries;  // names asked about with callback_has_tool (ABI 1.1)
  std::vector<std::pair<std::string, uint32_t>> client_requests;  // method, timeout_ms
  std::vector<std::string> violations;

 private:
  mcpd_call_context context_{};
};

/// What a plugin wrote into mcpd_result_builder, in order.
struct recorded_result {
  json::array content;                     // ContentBlock-like objects (bytes as arrays of numbers)
  std::vector<std::string> roles;          // the role in force when each content entry was added
  std::optional<json::object> structured;  // parsed set_structured text
  bool is_error = false;
  std::optional<std::string> description;
  std::optional<json::object> result_json;  // parsed set_result_json text
  std::vector<std::string> callbacks;       // names of the callbacks, in call order

  /// The text of every content entry of type "text", joined with "\n".
  std::string all_text() const;
};

/// mcpd_result_builder over a recorded_result.
class fake_result_builder {
 public:
  fake_result_builder();
  fake_result_builder(const fake_result_builder&) = delete;  // host_ctx points at this object
  fake_result_builder& operator=(const fake_result_builder&) = delete;
  /// The builder as an older host would pass it: struct_size cut at `size`.
  const mcpd_result_builder* builder(std::size_t size = sizeof(mcpd_result_builder));

  recorded_result result;
  std::string role = "user";
  std::vector<std::string> violations;

 private:
  mcpd_result_builder builder_{};
};

inline mcpd_str to_str(const std::string& text) {
  return mcpd_str{text.data(), text.size()};
}
inline std::string to_string(mcpd_str text) {
  return text.data == nullptr ? std::string{} : std::string(text.data, text.size);
}

}  // namespace sdk_test

#endif  // MCPD_TESTS_SDK_FAKE_HOST_HPP
