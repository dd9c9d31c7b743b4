// A plugin whose every handler misbehaves, each in a different way: C++
// exceptions of std and non-std types escaping the C ABI, unknown status
// codes, malformed JSON and invalid UTF-8 handed to the result builder, a
// completion result that is not an object. The host must answer each request
// with an error and keep serving.
#include <stdexcept>

#include "../raw_plugin_support.h"

namespace {

constexpr mcpd_status kUnknownStatus = 12345;

mcpd_status throws_on_call(void*, void*, const mcpd_call_context*, mcpd_str, const mcpd_result_builder*) {
  throw std::runtime_error("garbage: deliberate exception from on_call");
}

mcpd_status throws_int_on_call(void*, void*, const mcpd_call_context*, mcpd_str, const mcpd_result_builder*) {
  throw 42;  // not a std::exception
}

mcpd_status unknown_status_on_call(void*, void*, const mcpd_call_context*, mcpd_str,
                                   const mcpd_result_builder*) {
  return kUnknownStatus;
}

mcpd_status malformed_on_call(void*, void*, const mcpd_call_context*, mcpd_str,
                              const mcpd_result_builder* result) {
  static const char invalid_utf8[] = {'o', 'k', static_cast<char>(0xC3), static_cast<char>(0x28), 0};
  result->callback_add_text(result->host_ctx, raw_str(invalid_utf8));
  result->callback_add_content_json(result->host_ctx, raw_str("[1, 2"));
  result->callback_set_structured(result->host_ctx, raw_str("{not json"));
  return MCPD_OK;
}

mcpd_status throws_on_read(void*, void*, const mcpd_call_context*, mcpd_str, mcpd_str,
                           const mcpd_result_builder*) {
  throw std::logic_error("garbage: deliberate exception from on_read");
}

mcpd_status non_object_on_read(void*, void*, const mcpd_call_context*, mcpd_str, mcpd_str,
                               const mcpd_result_builder* result) {
  result->callback_set_result_json(result->host_ctx, raw_str("\"not an object\""));
  return MCPD_OK;
}

mcpd_status unknown_status_on_get(void*, void*, const mcpd_call_context*, mcpd_str,
                                  const mcpd_result_builder* result) {
  result->callback_add_text(result->host_ctx, raw_str("half a prompt"));
  return kUnknownStatus;
}

mcpd_status throws_on_complete(void*, void*, const mcpd_call_context*, mcpd_str, const mcpd_result_builder*) {
  throw std::runtime_error("garbage: deliberate exception from on_complete");
}

mcpd_status non_object_on_complete(void*, void*, const mcpd_call_context*, mcpd_str,
                                   const mcpd_result_builder* result) {
  result->callback_set_result_json(result->host_ctx, raw_str("[\"completion\"]"));
  return MCPD_OK;
}

mcpd_status garbage_on_init(const mcpd_host_api*, mcpd_str, const mcpd_registrar* registrar, void**) {
  mcpd_status status = raw_add_no_argument_tool(registrar, "throws", throws_on_call);
  if (status == MCPD_OK) status = raw_add_no_argument_tool(registrar, "throws_int", throws_int_on_call);
  if (status == MCPD_OK)
    status = raw_add_no_argument_tool(registrar, "unknown_status", unknown_status_on_call);
  if (status == MCPD_OK) status = raw_add_no_argument_tool(registrar, "malformed", malformed_on_call);

  mcpd_resource_def resource{};
  resource.struct_size = sizeof resource;
  resource.uri = raw_str("garbage://thrown");
  resource.definition_json = raw_str(R"({"name":"thrown"})");
  resource.on_read = throws_on_read;
  if (status == MCPD_OK) status = registrar->callback_add_resource(registrar->host_ctx, &resource);

  mcpd_resource_template_def templ{};
  templ.struct_size = sizeof templ;
  templ.uri_template = raw_str("garbage://item/{id}");
  templ.definition_json = raw_str(R"({"name":"item"})");
  templ.on_read = non_object_on_read;
  templ.on_complete = throws_on_complete;
  if (status == MCPD_OK) status = registrar->callback_add_resource_template(registrar->host_ctx, &templ);

  mcpd_prompt_def prompt{};
  prompt.struct_size = sizeof prompt;
  prompt.name = raw_str("half");
  prompt.definition_json = raw_str(R"({"arguments":[{"name":"topic"}]})");
  prompt.on_get = unknown_status_on_get;
  prompt.on_complete = non_object_on_complete;
  if (status == MCPD_OK) status = registrar->callback_add_prompt(registrar->host_ctx, &prompt);
  return status;
}

const mcpd_plugin_descriptor garbage_descriptor = {
    .struct_size = sizeof(mcpd_plugin_descriptor),
    .plugin_namespace = MCPD_STR_LIT("garbage"),
    .plugin_version = MCPD_STR_LIT("1.0.0"),
    .description = MCPD_STR_LIT("test plugin whose every handler throws or returns garbage"),
    .flags = MCPD_PLUGIN_FLAG_NONE,
    .config_schema_json = {nullptr, 0},
    .on_init = garbage_on_init,
    .on_shutdown = nullptr,
};

}  // namespace

mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  return raw_negotiate_v1(request, response, &garbage_descriptor);
}
