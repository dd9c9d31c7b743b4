#include "bridge/registrar.hpp"

#include <algorithm>

#include "bridge/abi_struct.hpp"
#include "registry/tool_names.hpp"
#include "schema/header_annotations.hpp"

namespace mcpd::bridge {
namespace json = boost::json;
namespace {

// Parses a definition_json that must be an object; a description of the
// problem otherwise.
std::optional<json::object> parse_definition(std::string_view what, mcpd_str text, std::string& problem) {
  if (text.data == nullptr || text.size == 0) return json::object{};
  boost::system::error_code ec;
  json::value v = json::parse(view(text), ec);
  if (ec) {
    problem = std::string(what) + ": definition_json is not valid JSON (" + ec.message() + ")";
    return std::nullopt;
  }
  if (!v.is_object()) {
    problem = std::string(what) + ": definition_json must be a JSON object";
    return std::nullopt;
  }
  return std::move(v.get_object());
}

// A $ref to another document is refused here, at load, naming the tool and the reference: plugins ship
// self-contained schemas ($defs), since the host never fetches one.
std::shared_ptr<const schema::CompiledSchema> compile(std::string_view what, const json::value& schema,
                                                      schema::FormatMode formats, std::string& problem) {
  try {
    return std::make_shared<const schema::CompiledSchema>(
        schema::CompiledSchema::compile(schema, schema::CompileOptions{formats, nullptr}));
  } catch (const std::exception& e) {
    problem = std::string(what) + " is not a usable JSON Schema: " + e.what();
    return nullptr;
  }
}

bool require_string(const json::object& def, std::string_view key, std::string_view what,
                    std::string& problem) {
  auto it = def.find(key);
  if (it == def.end() || !it->value().is_string() || it->value().get_string().empty()) {
    problem = std::string(what) + ": \"" + std::string(key) + "\" is required and must be a non-empty string";
    return false;
  }
  return true;
}

}  // namespace

Registrar::Registrar(std::string plugin_namespace, schema::FormatMode formats)
    : namespace_(std::move(plugin_namespace)), formats_(formats) {
  abi_.struct_size = sizeof(mcpd_registrar);
  abi_.host_ctx = handle_of<mcpd_registrar_handle>(this);
  abi_.callback_add_tool = &Registrar::add_tool;
  abi_.callback_add_resource = &Registrar::add_resource;
  abi_.callback_add_resource_template = &Registrar::add_resource_template;
  abi_.callback_add_prompt = &Registrar::add_prompt;
  abi_.callback_set_init_error = &Registrar::set_init_error;
}

mcpd_status Registrar::refuse(std::string problem) {
  problems_.push_back(std::move(problem));
  return MCPD_ERR_INVALID_ARGUMENT;
}

namespace {
// execution.taskSupport: "forbidden" (or absent), "optional" or "required".
std::optional<std::string> read_task_support(const boost::json::object& definition,
                                             loader::TaskSupport& out) {
  out = loader::TaskSupport::forbidden;
  const auto* execution = definition.if_contains("execution");
  if (execution == nullptr) return std::nullopt;
  if (!execution->is_object()) return "\"execution\" must be an object";
  const auto* support = execution->get_object().if_contains("taskSupport");
  if (support == nullptr) return std::nullopt;
  if (*support == "optional") {
    out = loader::TaskSupport::optional;
  } else if (*support == "required") {
    out = loader::TaskSupport::required;
  } else if (*support != "forbidden") {
    return "\"execution.taskSupport\" must be \"forbidden\", \"optional\" or \"required\"";
  }
  return std::nullopt;
}
}  // namespace

mcpd_status Registrar::add_tool(mcpd_registrar_handle* ctx, const mcpd_tool_def* raw) noexcept try {
  auto& self = *object_of<Registrar>(ctx);
  if (!MCPD_STRUCT_HAS(raw, mcpd_tool_def, tool_state))
    return self.refuse("a tool definition is NULL or its struct_size is too small");
  const mcpd_tool_def def = read_sized(*raw);
  std::string name = to_string(def.name);
  std::string what = "tool \"" + name + "\"";
  if (auto bad = registry::check_local_name(name)) return self.refuse("tool " + *bad);
  if (def.on_call == nullptr) return self.refuse(what + ": on_call is NULL");
  auto dup = std::find_if(self.registrations_.tools.begin(), self.registrations_.tools.end(),
                          [&](const auto& t) { return t.name == name; });
  if (dup != self.registrations_.tools.end()) return self.refuse(what + " is registered twice");

  std::string problem;
  auto definition = parse_definition(what, def.definition_json, problem);
  if (!definition) return self.refuse(problem);
  definition->erase("name");
  auto input = definition->find("inputSchema");
  if (input == definition->end()) return self.refuse(what + ": \"inputSchema\" is required");
  if (auto bad = schema::check_tool_input_schema(input->value()))
    return self.refuse(what + ": inputSchema " + *bad);
  if (auto bad = schema::check_header_annotations(input->value()))
    return self.refuse(what + ": inputSchema " + *bad);
  loader::ToolRegistration reg;
  reg.input_schema = compile(what + ": inputSchema", input->value(), self.formats_, problem);
  if (!reg.input_schema) return self.refuse(problem);
  if (auto output = definition->find("outputSchema"); output != definition->end()) {
    if (auto bad = schema::check_tool_input_schema(output->value()))
      return self.refuse(what + ": outputSchema " + *bad);
    reg.output_schema = compile(what + ": outputSchema", output->value(), self.formats_, problem);
    if (!reg.output_schema) return self.refuse(problem);
  }
  if (auto d = definition->find("description"); d != definition->end() && !d->value().is_string())
    return self.refuse(what + ": \"description\" must be a string");
  if (auto bad = read_task_support(*definition, reg.task_support)) return self.refuse(what + ": " + *bad);
  reg.task_started_by_handler = (def.flags & MCPD_TOOL_FLAG_TASK_STARTED_BY_HANDLER) != 0;
  if (reg.task_started_by_handler && reg.task_support == loader::TaskSupport::forbidden)
    return self.refuse(what +
                       ": MCPD_TOOL_FLAG_TASK_STARTED_BY_HANDLER needs \"execution\": {\"taskSupport\": "
                       "\"optional\" or \"required\"}");
  reg.name = std::move(name);
  reg.definition = std::move(*definition);
  reg.on_call = def.on_call;
  reg.state = def.tool_state;
  self.registrations_.tools.push_back(std::move(reg));
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status Registrar::add_resource(mcpd_registrar_handle* ctx, const mcpd_resource_def* raw) noexcept try {
  auto& self = *object_of<Registrar>(ctx);
  if (!MCPD_STRUCT_HAS(raw, mcpd_resource_def, resource_state))
    return self.refuse("a resource definition is NULL or its struct_size is too small");
  const mcpd_resource_def def = read_sized(*raw);
  std::string uri = to_string(def.uri);
  std::string what = "resource \"" + uri + "\"";
  if (uri.empty() || uri.find(':') == std::string::npos)
    return self.refuse(what + ": uri must be an absolute URI");
  if (def.on_read == nullptr) return self.refuse(what + ": on_read is NULL");
  for (const auto& r : self.registrations_.resources)
    if (r.uri == uri) return self.refuse(what + " is registered twice");
  std::string problem;
  auto definition = parse_definition(what, def.definition_json, problem);
  if (!definition) return self.refuse(problem);
  definition->erase("uri");
  if (!require_string(*definition, "name", what, problem)) return self.refuse(problem);
  self.registrations_.resources.push_back(
      {std::move(uri), std::move(*definition), def.on_read, def.resource_state});
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status Registrar::add_resource_template(mcpd_registrar_handle* ctx,
                                             const mcpd_resource_template_def* raw) noexcept try {
  auto& self = *object_of<Registrar>(ctx);
  if (!MCPD_STRUCT_HAS(raw, mcpd_resource_template_def, template_state))
    return self.refuse("a resource template definition is NULL or its struct_size is too small");
  const mcpd_resource_template_def def = read_sized(*raw);
  std::string text = to_string(def.uri_template);
  std::string what = "resource template \"" + text + "\"";
  std::string problem;
  auto parsed = registry::UriTemplate::parse(text, &problem);
  if (!parsed) return self.refuse(problem);
  if (def.on_read == nullptr) return self.refuse(what + ": on_read is NULL");
  for (const auto& t : self.registrations_.templates)
    if (t.uri_template.text() == text) return self.refuse(what + " is registered twice");
  auto definition = parse_definition(what, def.definition_json, problem);
  if (!definition) return self.refuse(problem);
  definition->erase("uriTemplate");
  if (!require_string(*definition, "name", what, problem)) return self.refuse(problem);
  self.registrations_.templates.push_back(
      {std::move(*parsed), std::move(*definition), def.on_read, def.on_complete, def.template_state});
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status Registrar::add_prompt(mcpd_registrar_handle* ctx, const mcpd_prompt_def* raw) noexcept try {
  auto& self = *object_of<Registrar>(ctx);
  if (!MCPD_STRUCT_HAS(raw, mcpd_prompt_def, prompt_state))
    return self.refuse("a prompt definition is NULL or its struct_size is too small");
  const mcpd_prompt_def def = read_sized(*raw);
  std::string name = to_string(def.name);
  std::string what = "prompt \"" + name + "\"";
  if (auto bad = registry::check_local_name(name)) return self.refuse("prompt " + *bad);
  if (def.on_get == nullptr) return self.refuse(what + ": on_get is NULL");
  for (const auto& p : self.registrations_.prompts)
    if (p.name == name) return self.refuse(what + " is registered twice");
  std::string problem;
  auto definition = parse_definition(what, def.definition_json, problem);
  if (!definition) return self.refuse(problem);
  definition->erase("name");
  if (auto args = definition->find("arguments"); args != definition->end()) {
    if (!args->value().is_array()) return self.refuse(what + ": \"arguments\" must be an array");
    for (const auto& a : args->value().get_array())
      if (!a.is_object() || !a.get_object().contains("name") || !a.get_object().at("name").is_string())
        return self.refuse(what + ": every argument needs a string \"name\"");
  }
  self.registrations_.prompts.push_back(
      {std::move(name), std::move(*definition), def.on_get, def.on_complete, def.prompt_state});
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

void Registrar::set_init_error(mcpd_registrar_handle* ctx, mcpd_str message) noexcept try {
  object_of<Registrar>(ctx)->init_error_ = to_string(message);
} catch (...) {
}

}  // namespace mcpd::bridge
