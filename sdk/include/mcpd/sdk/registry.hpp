// mcpd::sdk::registry: how plugin::init declares tools, resources, templates and prompts.
#ifndef MCPD_SDK_REGISTRY_HPP
#define MCPD_SDK_REGISTRY_HPP

#include <mcpd/sdk/detail/abi.hpp>
#include <mcpd/sdk/detail/definitions.hpp>
#include <mcpd/sdk/detail/instance.hpp>
#include <mcpd/sdk/detail/trampolines.hpp>
#include <mcpd/sdk/error.hpp>
#include <mcpd/sdk/specs.hpp>

#include <string>
#include <utility>

namespace mcpd::sdk {

/// Valid only inside plugin::init (afterwards every method throws MCPD_ERR_STATE). Each method checks the
/// spec, hands it to the host and throws sdk::error naming the item when the spec is wrong or the host
/// refuses it (a duplicate name, for example; the host's log says why). Letting that exception leave init
/// fails the load with its message.
class registry {
 public:
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  void tool(tool_spec spec, tool_handler handler) {
    require_open("tool", spec.name);
    require_handler(static_cast<bool>(handler), "tool", spec.name);
    const std::string definition = detail::tool_definition_json(spec);
    const std::uint32_t flags =
        spec.task_started_by_handler ? MCPD_TOOL_FLAG_TASK_STARTED_BY_HANDLER : MCPD_TOOL_FLAG_NONE;
    auto& entry = instance_.tools.emplace_back(detail::tool_entry{std::move(spec.name), std::move(handler)});
    mcpd_tool_def def{};
    def.struct_size = sizeof(def);
    def.name = detail::to_str(entry.name);
    def.definition_json = detail::to_str(definition);
    def.flags = flags;
    def.on_call = &detail::call_tool;
    def.tool_state = &entry;
    submit(MCPD_SDK_CALLBACK(registrar_, callback_add_tool), &def, instance_.tools, "tool", entry.name);
  }

  /// A tool whose arguments (and, optionally, result) are structs with `static auto fields()`: the schemas,
  /// the conversions and the defaults come from those declarations. Defined in <mcpd/sdk/typed.hpp>.
  template <class Args, class Handler>
  void typed_tool(tool_spec spec, Handler handler);

  void resource(resource_spec spec, resource_handler handler) {
    require_open("resource", spec.uri);
    require_handler(static_cast<bool>(handler), "resource", spec.uri);
    const std::string definition = detail::resource_definition_json(spec);
    auto& entry =
        instance_.resources.emplace_back(detail::resource_entry{std::move(spec.uri), std::move(handler)});
    mcpd_resource_def def{};
    def.struct_size = sizeof(def);
    def.uri = detail::to_str(entry.uri);
    def.definition_json = detail::to_str(definition);
    def.on_read = &detail::read_resource;
    def.resource_state = &entry;
    submit(MCPD_SDK_CALLBACK(registrar_, callback_add_resource), &def, instance_.resources, "resource",
           entry.uri);
  }

  /// `complete` (optional) suggests values for the template's variables (completion/complete).
  void resource_template(resource_template_spec spec, resource_handler handler,
                         completion_handler complete = {}) {
    require_open("resource template", spec.uri_template);
    require_handler(static_cast<bool>(handler), "resource template", spec.uri_template);
    const std::string definition = detail::resource_template_definition_json(spec);
    auto& entry = instance_.resource_templates.emplace_back(detail::resource_template_entry{
        std::move(spec.uri_template), std::move(handler), std::move(complete)});
    mcpd_resource_template_def def{};
    def.struct_size = sizeof(def);
    def.uri_template = detail::to_str(entry.uri_template);
    def.definition_json = detail::to_str(definition);
    def.on_read = &detail::read_resource_template;
    def.on_complete = entry.completer ? &detail::complete_resource_template : nullptr;
    def.template_state = &entry;
    submit(MCPD_SDK_CALLBACK(registrar_, callback_add_resource_template), &def, instance_.resource_templates,
           "resource template", entry.uri_template);
  }

  /// `complete` (optional) suggests values for the prompt's arguments (completion/complete).
  void prompt(prompt_spec spec, prompt_handler handler, completion_handler complete = {}) {
    require_open("prompt", spec.name);
    require_handler(static_cast<bool>(handler), "prompt", spec.name);
    const std::string definition = detail::prompt_definition_json(spec);
    auto& entry = instance_.prompts.emplace_back(
        detail::prompt_entry{std::move(spec.name), std::move(handler), std::move(complete)});
    mcpd_prompt_def def{};
    def.struct_size = sizeof(def);
    def.name = detail::to_str(entry.name);
    def.definition_json = detail::to_str(definition);
    def.on_get = &detail::get_prompt;
    def.on_complete = entry.completer ? &detail::complete_prompt : nullptr;
    def.prompt_state = &entry;
    submit(MCPD_SDK_CALLBACK(registrar_, callback_add_prompt), &def, instance_.prompts, "prompt", entry.name);
  }

 private:
  friend struct detail::plugin_access;

  registry(detail::plugin_instance& instance, const mcpd_registrar* registrar) noexcept
      : instance_(instance), registrar_(registrar) {}

  void require_open(std::string_view kind, std::string_view name) const {
    if (registrar_ == nullptr) {
      throw error(MCPD_ERR_STATE, "cannot register " + std::string(kind) + " \"" + std::string(name) +
                                      "\": registration is only possible inside plugin::init");
    }
  }

  static void require_handler(bool present, std::string_view kind, std::string_view name) {
    if (!present) {
      throw error(MCPD_ERR_INVALID_ARGUMENT,
                  std::string(kind) + " \"" + std::string(name) + "\" has no handler");
    }
  }

  // Hands `def` to the host. On refusal the entry is dropped again (the host keeps no pointer to it) and
  // the failure is thrown.
  template <class Def, class Entries>
  void submit(mcpd_status (*add)(mcpd_registrar_handle*, const Def*), const Def* def, Entries& entries,
              std::string_view kind, const std::string& name) {
    const mcpd_status status =
        add == nullptr ? static_cast<mcpd_status>(MCPD_ERR_UNSUPPORTED) : add(registrar_->host_ctx, def);
    if (status == MCPD_OK) {
      return;
    }
    std::string message = "the host refused " + std::string(kind) + " \"" + name + "\" (" +
                          std::string(status_name(status)) + ")";
    message += add == nullptr ? ": its registrar cannot register a " + std::string(kind)
                              : "; the host log says why (a duplicate name?)";
    entries.pop_back();
    throw error(status, std::move(message));
  }

  detail::plugin_instance& instance_;
  const mcpd_registrar* registrar_;
};

namespace detail {

/// The SDK's back door into plugin and registry, for the entry points only.
struct plugin_access {
  static void attach_host(plugin& object, const sdk::host& services,
                          std::string_view plugin_namespace) noexcept {
    object.host_ = services;
    object.plugin_namespace_ = plugin_namespace;
  }
  static registry open_registry(plugin_instance& instance, const mcpd_registrar* registrar) noexcept {
    return registry(instance, registrar);
  }
  static void close_registry(registry& reg) noexcept { reg.registrar_ = nullptr; }
};

}  // namespace detail
}  // namespace mcpd::sdk

#endif  // MCPD_SDK_REGISTRY_HPP
