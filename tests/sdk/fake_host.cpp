#include "fake_host.hpp"

#include <string>

namespace sdk_test {
namespace {

// Host callbacks run inside the plugin's stack frames, so they must never throw (a Catch2 REQUIRE would
// unwind through the plugin). Malformed input is recorded as a violation and refused, as a real host does.
std::optional<json::value> parse_json(mcpd_str text, const char* what, std::vector<std::string>& violations) {
  boost::system::error_code ec;
  json::value value = json::parse(to_string(text), ec);
  if (ec) {
    violations.push_back(std::string(what) + " is not valid JSON: " + to_string(text));
    return std::nullopt;
  }
  return value;
}

std::optional<json::object> parse_object(mcpd_str text, const char* what,
                                         std::vector<std::string>& violations) {
  std::optional<json::value> value = parse_json(text, what, violations);
  if (!value) {
    return std::nullopt;
  }
  if (!value->is_object()) {
    violations.push_back(std::string(what) + " is not a JSON object: " + to_string(text));
    return std::nullopt;
  }
  return std::move(value->as_object());
}

json::array bytes_to_json(mcpd_bytes bytes) {
  json::array out;
  for (std::size_t i = 0; i < bytes.size; ++i) {
    out.emplace_back(bytes.data[i]);
  }
  return out;
}

// ---- host api --------------------------------------------------------------------------------------

fake_host_api& host_of(mcpd_host_handle* ctx) {
  return *reinterpret_cast<fake_host_api*>(ctx);
}

void host_log(mcpd_host_handle* ctx, mcpd_log_level level, mcpd_str message) {
  host_of(ctx).log_lines.emplace_back(level, to_string(message));
}

mcpd_status host_notify(mcpd_host_handle* ctx, mcpd_str uri) {
  host_of(ctx).notified_uris.push_back(to_string(uri));
  return MCPD_OK;
}

// ---- registrar -------------------------------------------------------------------------------------

fake_registrar& registrar_of(mcpd_registrar_handle* ctx) {
  return *reinterpret_cast<fake_registrar*>(ctx);
}

// Checks what every registration shares; false (with a violation recorded) refuses the registration.
template <class Def>
bool acceptable(fake_registrar& self, const Def* def, const std::string& name) {
  if (def == nullptr) {
    self.violations.push_back("a registration passed a NULL def");
    return false;
  }
  if (def->struct_size != sizeof(Def)) {
    self.violations.push_back("def of \"" + name + "\" has struct_size " + std::to_string(def->struct_size));
    return false;
  }
  return self.refused_names.count(name) == 0;
}

mcpd_status add_tool(mcpd_registrar_handle* ctx, const mcpd_tool_def* def) {
  auto& self = registrar_of(ctx);
  const std::string name = def == nullptr ? std::string{} : to_string(def->name);
  if (!acceptable(self, def, name)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  auto definition = parse_object(def->definition_json, "tool definition_json", self.violations);
  if (!definition) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.tools.push_back(
      registered_tool{name, std::move(*definition), def->flags, def->on_call, def->tool_state});
  return MCPD_OK;
}

mcpd_status add_resource(mcpd_registrar_handle* ctx, const mcpd_resource_def* def) {
  auto& self = registrar_of(ctx);
  const std::string uri = def == nullptr ? std::string{} : to_string(def->uri);
  if (!acceptable(self, def, uri)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  auto definition = parse_object(def->definition_json, "resource definition_json", self.violations);
  if (!definition) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.resources.push_back(
      registered_resource{uri, std::move(*definition), def->on_read, def->resource_state});
  return MCPD_OK;
}

mcpd_status add_template(mcpd_registrar_handle* ctx, const mcpd_resource_template_def* def) {
  auto& self = registrar_of(ctx);
  const std::string uri_template = def == nullptr ? std::string{} : to_string(def->uri_template);
  if (!acceptable(self, def, uri_template)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  auto definition = parse_object(def->definition_json, "template definition_json", self.violations);
  if (!definition) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.templates.push_back(registered_template{uri_template, std::move(*definition), def->on_read,
                                               def->on_complete, def->template_state});
  return MCPD_OK;
}

mcpd_status add_prompt(mcpd_registrar_handle* ctx, const mcpd_prompt_def* def) {
  auto& self = registrar_of(ctx);
  const std::string name = def == nullptr ? std::string{} : to_string(def->name);
  if (!acceptable(self, def, name)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  auto definition = parse_object(def->definition_json, "prompt definition_json", self.violations);
  if (!definition) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.prompts.push_back(
      registered_prompt{name, std::move(*definition), def->on_get, def->on_complete, def->prompt_state});
  return MCPD_OK;
}

void set_init_error(mcpd_registrar_handle* ctx, mcpd_str message) {
  registrar_of(ctx).init_error = to_string(message);
}

// ---- call context ----------------------------------------------------------------------------------

fake_call_context& call_of(mcpd_call_handle* ctx) {
  return *reinterpret_cast<fake_call_context*>(ctx);
}

std::optional<std::string> optional_text(mcpd_str text) {
  if (text.data == nullptr) {
    return std::nullopt;
  }
  return to_string(text);
}

int32_t is_cancelled(mcpd_call_handle* ctx) {
  return call_of(ctx).cancelled ? 1 : 0;
}

mcpd_status report_progress(mcpd_call_handle* ctx, double progress, double total, mcpd_str message) {
  call_of(ctx).progress.push_back({progress, total, optional_text(message)});
  return MCPD_OK;
}

mcpd_status log_to_client(mcpd_call_handle* ctx, mcpd_log_level level, mcpd_str logger, mcpd_str data_json) {
  auto& self = call_of(ctx);
  auto data = parse_json(data_json, "log data_json", self.violations);
  if (!data) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.client_logs.push_back({level, optional_text(logger), std::move(*data)});
  return MCPD_OK;
}

int32_t has_tool(mcpd_call_handle* ctx, mcpd_str name) {
  call_of(ctx).has_tool_queries.push_back(to_string(name));
  return to_string(name) == "other.echo" ? 1 : 0;
}

void answer(mcpd_receive_fn receive, void* receiver, const std::string& text) {
  receive(receiver, mcpd_str{text.data(), text.size()});
}

mcpd_status call_tool(mcpd_call_handle* ctx, mcpd_str qualified_name, mcpd_str arguments_json, mcpd_receive_fn receive,
                      void* receiver) {
  auto& self = call_of(ctx);
  const std::string name = to_string(qualified_name);
  auto arguments = parse_object(arguments_json, "call_tool arguments_json", self.violations);
  if (!arguments) {
    answer(receive, receiver, "arguments_json must be a JSON object");
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.tool_calls.emplace_back(name, *arguments);
  if (name != "other.echo") {
    answer(receive, receiver, "no tool named " + name);
    return MCPD_ERR_NOT_FOUND;
  }
  const json::object text_block{{"type", "text"}, {"text", json::serialize(*arguments)}};
  const json::object result{{"content", json::array{text_block}}, {"isError", false}};
  answer(receive, receiver, json::serialize(result));
  return MCPD_OK;
}

mcpd_status client_request(mcpd_call_handle* ctx, mcpd_str method, mcpd_str params_json, uint32_t timeout_ms,
                           mcpd_receive_fn receive, void* receiver) {
  auto& self = call_of(ctx);
  const std::string name = to_string(method);
  if (!parse_object(params_json, "client_request params_json", self.violations)) {
    answer(receive, receiver, "params_json must be a JSON object");
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.client_requests.emplace_back(name, timeout_ms);
  if (name != "roots/list") {
    answer(receive, receiver, "the client did not declare the capability for " + name);
    return MCPD_ERR_UNSUPPORTED;
  }
  answer(receive, receiver, R"({"roots":[]})");
  return MCPD_OK;
}

// ---- result builder --------------------------------------------------------------------------------

fake_result_builder& builder_of(mcpd_result_handle* ctx) {
  return *reinterpret_cast<fake_result_builder*>(ctx);
}

mcpd_status append(mcpd_result_handle* ctx, const char* callback, json::object entry) {
  auto& self = builder_of(ctx);
  self.result.callbacks.emplace_back(callback);
  self.result.content.push_back(std::move(entry));
  self.result.roles.push_back(self.role);
  return MCPD_OK;
}

mcpd_status add_text(mcpd_result_handle* ctx, mcpd_str text) {
  return append(ctx, "add_text", {{"type", "text"}, {"text", to_string(text)}});
}

mcpd_status add_image(mcpd_result_handle* ctx, mcpd_bytes data, mcpd_str mime_type) {
  return append(ctx, "add_image",
                {{"type", "image"}, {"bytes", bytes_to_json(data)}, {"mimeType", to_string(mime_type)}});
}

mcpd_status add_audio(mcpd_result_handle* ctx, mcpd_bytes data, mcpd_str mime_type) {
  return append(ctx, "add_audio",
                {{"type", "audio"}, {"bytes", bytes_to_json(data)}, {"mimeType", to_string(mime_type)}});
}

mcpd_status add_resource_text(mcpd_result_handle* ctx, mcpd_str uri, mcpd_str mime_type, mcpd_str text) {
  return append(ctx, "add_resource_text",
                {{"type", "resource"},
                 {"uri", to_string(uri)},
                 {"mimeType", to_string(mime_type)},
                 {"text", to_string(text)}});
}

mcpd_status add_resource_blob(mcpd_result_handle* ctx, mcpd_str uri, mcpd_str mime_type, mcpd_bytes data) {
  return append(ctx, "add_resource_blob",
                {{"type", "resource"},
                 {"uri", to_string(uri)},
                 {"mimeType", to_string(mime_type)},
                 {"bytes", bytes_to_json(data)}});
}

mcpd_status add_resource_link(mcpd_result_handle* ctx, mcpd_str link_json) {
  auto link = parse_object(link_json, "link_json", builder_of(ctx).violations);
  if (!link) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  (*link)["type"] = "resource_link";
  return append(ctx, "add_resource_link", std::move(*link));
}

mcpd_status add_content_json(mcpd_result_handle* ctx, mcpd_str content_json) {
  auto block = parse_object(content_json, "content_json", builder_of(ctx).violations);
  if (!block) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  return append(ctx, "add_content_json", std::move(*block));
}

mcpd_status set_structured(mcpd_result_handle* ctx, mcpd_str json_object) {
  auto& self = builder_of(ctx);
  self.result.callbacks.emplace_back("set_structured");
  auto value = parse_object(json_object, "structured json", self.violations);
  if (!value) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.result.structured = std::move(*value);
  return MCPD_OK;
}

mcpd_status set_error(mcpd_result_handle* ctx, mcpd_str message) {
  builder_of(ctx).result.is_error = true;
  return append(ctx, "set_error", {{"type", "text"}, {"text", to_string(message)}});
}

mcpd_status set_role(mcpd_result_handle* ctx, mcpd_str role) {
  auto& self = builder_of(ctx);
  self.result.callbacks.emplace_back("set_role");
  self.role = to_string(role);
  return MCPD_OK;
}

mcpd_status set_description(mcpd_result_handle* ctx, mcpd_str description) {
  auto& self = builder_of(ctx);
  self.result.callbacks.emplace_back("set_description");
  self.result.description = to_string(description);
  return MCPD_OK;
}

mcpd_status set_result_json(mcpd_result_handle* ctx, mcpd_str json_object) {
  auto& self = builder_of(ctx);
  self.result.callbacks.emplace_back("set_result_json");
  auto value = parse_object(json_object, "result json", self.violations);
  if (!value) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  self.result.result_json = std::move(*value);
  return MCPD_OK;
}

}  // namespace

fake_host_api::fake_host_api() {
  api_.struct_size = sizeof(api_);
  api_.abi_version = MCPD_ABI_VERSION;
  api_.host_version = MCPD_STR_LIT("0.1.0-test");
  api_.host_ctx = reinterpret_cast<decltype(api_.host_ctx)>(this);
  api_.callback_log = &host_log;
  api_.callback_notify_resource_updated = &host_notify;
}

fake_registrar::fake_registrar() {
  registrar_.struct_size = sizeof(registrar_);
  registrar_.host_ctx = reinterpret_cast<decltype(registrar_.host_ctx)>(this);
  registrar_.callback_add_tool = &add_tool;
  registrar_.callback_add_resource = &add_resource;
  registrar_.callback_add_resource_template = &add_template;
  registrar_.callback_add_prompt = &add_prompt;
  registrar_.callback_set_init_error = &set_init_error;
}

const registered_tool* fake_registrar::tool(const std::string& name) const {
  for (const auto& entry : tools) {
    if (entry.name == name) {
      return &entry;
    }
  }
  return nullptr;
}

const registered_template* fake_registrar::resource_template(const std::string& uri_template) const {
  for (const auto& entry : templates) {
    if (entry.uri_template == uri_template) {
      return &entry;
    }
  }
  return nullptr;
}

fake_call_context::fake_call_context() {
  context_.struct_size = sizeof(context_);
  context_.host_ctx = reinterpret_cast<decltype(context_.host_ctx)>(this);
  context_.callback_is_cancelled = &is_cancelled;
  context_.callback_report_progress = &report_progress;
  context_.callback_log_to_client = &log_to_client;
  context_.callback_call_tool = &sdk_test::call_tool;
  context_.callback_client_request = &sdk_test::client_request;
  context_.protocol_version = MCPD_STR_LIT("2025-11-25");
  context_.client_capabilities_json = MCPD_STR_LIT(R"({"sampling":{},"roots":{"listChanged":true}})");
  context_.request_meta_json = MCPD_STR_LIT(R"({"progressToken":"tok-7"})");
  context_.callback_has_tool = &sdk_test::has_tool;
}

const mcpd_call_context* fake_call_context::context(std::size_t size) {
  context_.struct_size = static_cast<uint32_t>(size);
  return &context_;
}

fake_result_builder::fake_result_builder() {
  builder_.struct_size = sizeof(builder_);
  builder_.host_ctx = reinterpret_cast<decltype(builder_.host_ctx)>(this);
  builder_.callback_add_text = &add_text;
  builder_.callback_add_image = &add_image;
  builder_.callback_add_audio = &add_audio;
  builder_.callback_add_resource_text = &add_resource_text;
  builder_.callback_add_resource_blob = &add_resource_blob;
  builder_.callback_add_resource_link = &add_resource_link;
  builder_.callback_add_content_json = &add_content_json;
  builder_.callback_set_structured = &set_structured;
  builder_.callback_set_error = &set_error;
  builder_.callback_set_role = &set_role;
  builder_.callback_set_description = &set_description;
  builder_.callback_set_result_json = &set_result_json;
}

const mcpd_result_builder* fake_result_builder::builder(std::size_t size) {
  builder_.struct_size = static_cast<uint32_t>(size);
  return &builder_;
}

std::string recorded_result::all_text() const {
  std::string text;
  for (const auto& entry : content) {
    const auto& block = entry.as_object();
    if (block.at("type") == "text") {
      if (!text.empty()) {
        text += "\n";
      }
      text += std::string(block.at("text").as_string());
    }
  }
  return text;
}

}  // namespace sdk_test
