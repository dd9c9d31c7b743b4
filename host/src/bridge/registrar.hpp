#pragma once
// The host side of mcpd_registrar: validates and copies each definition a
// plugin registers during on_init. Any invalid definition fails the plugin's
// load as a whole, with every problem named.
#include <mcpd/plugin_api.h>

#include <string>
#include <vector>

#include "loader/registrations.hpp"
#include "schema/validator.hpp"

namespace mcpd::bridge {

class Registrar {
 public:
  // `formats`: what "format" does in the tool schemas this plugin registers (server.format_assertion).
  Registrar(std::string plugin_namespace, schema::FormatMode formats);
  const mcpd_registrar* abi() const { return &abi_; }

  loader::Registrations take_registrations() { return std::move(registrations_); }
  const std::vector<std::string>& problems() const { return problems_; }
  const std::string& init_error() const { return init_error_; }

 private:
  static mcpd_status add_tool(mcpd_registrar_handle* ctx, const mcpd_tool_def* def) noexcept;
  static mcpd_status add_resource(mcpd_registrar_handle* ctx, const mcpd_resource_def* def) noexcept;
  static mcpd_status add_resource_template(mcpd_registrar_handle* ctx,
                                           const mcpd_resource_template_def* def) noexcept;
  static mcpd_status add_prompt(mcpd_registrar_handle* ctx, const mcpd_prompt_def* def) noexcept;
  static void set_init_error(mcpd_registrar_handle* ctx, mcpd_str message) noexcept;

  mcpd_status refuse(std::string problem);

  std::string namespace_;
  schema::FormatMode formats_;
  mcpd_registrar abi_{};
  loader::Registrations registrations_;
  std::vector<std::string> problems_;
  std::string init_error_;
};

}  // namespace mcpd::bridge
