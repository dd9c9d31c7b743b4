#pragma once
// The host side of mcpd_result_builder: collects what a handler produces and
// turns it into the JSON result of tools/call, resources/read, prompts/get or
// completion/complete. Binary data arrives raw and is base64-encoded here.
#include <mcpd/plugin_api.h>

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "bridge/input_needed.hpp"

namespace mcpd::bridge {

class ResultBuilder {
 public:
  enum class Kind { tool, resource, prompt, completion };
  explicit ResultBuilder(Kind kind);
  const mcpd_result_builder* abi() const { return &abi_; }

  // The first misuse by the plugin (bad JSON, wrong callback for the kind), if any.
  const std::optional<std::string>& misuse() const { return misuse_; }
  bool is_error() const { return is_error_; }
  const std::optional<boost::json::object>& structured() const { return structured_; }
  // The handler asked the client for input instead of answering (callback_require_input).
  std::optional<InputNeeded>& input_needed() { return input_needed_; }

  // The result object. For tools, structuredContent is mirrored as a text block
  // when the plugin added no content (the spec's backwards-compatibility rule).
  boost::json::object finish();

 private:
  static mcpd_status add_text(mcpd_result_handle* ctx, mcpd_str text) noexcept;
  static mcpd_status add_image(mcpd_result_handle* ctx, mcpd_bytes data, mcpd_str mime) noexcept;
  static mcpd_status add_audio(mcpd_result_handle* ctx, mcpd_bytes data, mcpd_str mime) noexcept;
  static mcpd_status add_resource_text(mcpd_result_handle* ctx, mcpd_str uri, mcpd_str mime, mcpd_str text) noexcept;
  static mcpd_status add_resource_blob(mcpd_result_handle* ctx, mcpd_str uri, mcpd_str mime, mcpd_bytes data) noexcept;
  static mcpd_status add_resource_link(mcpd_result_handle* ctx, mcpd_str link_json) noexcept;
  static mcpd_status add_content_json(mcpd_result_handle* ctx, mcpd_str content_json) noexcept;
  static mcpd_status set_structured(mcpd_result_handle* ctx, mcpd_str json_object) noexcept;
  static mcpd_status set_error(mcpd_result_handle* ctx, mcpd_str message) noexcept;
  static mcpd_status set_role(mcpd_result_handle* ctx, mcpd_str role) noexcept;
  static mcpd_status set_description(mcpd_result_handle* ctx, mcpd_str description) noexcept;
  static mcpd_status set_result_json(mcpd_result_handle* ctx, mcpd_str json_object) noexcept;
  static mcpd_status require_input(mcpd_result_handle* ctx, mcpd_str requests_json, mcpd_str state,
                                   uint32_t flags) noexcept;

  mcpd_status add_content(boost::json::object block);
  mcpd_status add_resource_contents(mcpd_str uri, mcpd_str mime, std::string_view key,
                                    boost::json::string value);
  mcpd_status fail(std::string why);

  Kind kind_;
  mcpd_result_builder abi_{};
  boost::json::array content_;   // tool content, or resource contents
  boost::json::array messages_;  // prompt messages
  std::string role_ = "user";
  std::optional<std::string> description_;
  std::optional<boost::json::object> structured_;
  std::optional<boost::json::object> replacement_;
  bool is_error_ = false;
  std::optional<std::string> misuse_;
  std::optional<InputNeeded> input_needed_;
};

}  // namespace mcpd::bridge
