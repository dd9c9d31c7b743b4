#include "bridge/result_builder.hpp"

#include <mcpd/sdk/json_serialize.hpp>

#include "bridge/abi_struct.hpp"
#include "util/base64.hpp"

namespace mcpd::bridge {
namespace json = boost::json;
namespace {

std::optional<json::object> parse_object(mcpd_str text) {
  boost::system::error_code ec;
  json::value v = json::parse(view(text), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

std::string encode(mcpd_bytes b) {
  return base64_encode(b.data, b.data == nullptr ? 0 : b.size);
}

}  // namespace

ResultBuilder::ResultBuilder(Kind kind) : kind_(kind) {
  abi_.struct_size = sizeof(mcpd_result_builder);
  abi_.host_ctx = handle_of<mcpd_result_handle>(this);
  abi_.callback_add_text = &ResultBuilder::add_text;
  abi_.callback_add_image = &ResultBuilder::add_image;
  abi_.callback_add_audio = &ResultBuilder::add_audio;
  abi_.callback_add_resource_text = &ResultBuilder::add_resource_text;
  abi_.callback_add_resource_blob = &ResultBuilder::add_resource_blob;
  abi_.callback_add_resource_link = &ResultBuilder::add_resource_link;
  abi_.callback_add_content_json = &ResultBuilder::add_content_json;
  abi_.callback_set_structured = &ResultBuilder::set_structured;
  abi_.callback_set_error = &ResultBuilder::set_error;
  abi_.callback_set_role = &ResultBuilder::set_role;
  abi_.callback_set_description = &ResultBuilder::set_description;
  abi_.callback_set_result_json = &ResultBuilder::set_result_json;
  abi_.callback_require_input = &ResultBuilder::require_input;
}

mcpd_status ResultBuilder::fail(std::string why) {
  if (!misuse_) misuse_ = std::move(why);
  return MCPD_ERR_INVALID_ARGUMENT;
}

mcpd_status ResultBuilder::add_content(json::object block) {
  switch (kind_) {
    case Kind::tool:
      content_.push_back(std::move(block));
      return MCPD_OK;
    case Kind::prompt:
      messages_.push_back(json::object{{"role", role_}, {"content", std::move(block)}});
      return MCPD_OK;
    case Kind::resource:
      return fail("resources/read results hold contents: use add_resource_text/add_resource_blob");
    case Kind::completion:
      return fail("completion results are set with set_result_json");
  }
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::add_text(mcpd_result_handle* ctx, mcpd_str text) noexcept try {
  return object_of<ResultBuilder>(ctx)->add_content({{"type", "text"}, {"text", view(text)}});
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::add_image(mcpd_result_handle* ctx, mcpd_bytes data, mcpd_str mime) noexcept try {
  return object_of<ResultBuilder>(ctx)->add_content(
      {{"type", "image"}, {"data", encode(data)}, {"mimeType", view(mime)}});
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::add_audio(mcpd_result_handle* ctx, mcpd_bytes data, mcpd_str mime) noexcept try {
  return object_of<ResultBuilder>(ctx)->add_content(
      {{"type", "audio"}, {"data", encode(data)}, {"mimeType", view(mime)}});
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

// A resources/read result lists contents directly; everywhere else they are
// wrapped as an embedded resource block.
mcpd_status ResultBuilder::add_resource_contents(mcpd_str uri, mcpd_str mime, std::string_view key,
                                                 json::string value) {
  json::object contents{{"uri", view(uri)}, {key, std::move(value)}};
  if (mime.size > 0) contents["mimeType"] = view(mime);
  if (kind_ == Kind::resource) {
    content_.push_back(std::move(contents));
    return MCPD_OK;
  }
  return add_content({{"type", "resource"}, {"resource", std::move(contents)}});
}

mcpd_status ResultBuilder::add_resource_text(mcpd_result_handle* ctx, mcpd_str uri, mcpd_str mime,
                                             mcpd_str text) noexcept try {
  return object_of<ResultBuilder>(ctx)->add_resource_contents(uri, mime, "text", json::string(view(text)));
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::add_resource_blob(mcpd_result_handle* ctx, mcpd_str uri, mcpd_str mime,
                                             mcpd_bytes data) noexcept try {
  return object_of<ResultBuilder>(ctx)->add_resource_contents(uri, mime, "blob", json::string(encode(data)));
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::add_resource_link(mcpd_result_handle* ctx, mcpd_str link_json) noexcept try {
  auto* self = object_of<ResultBuilder>(ctx);
  auto link = parse_object(link_json);
  if (!link) return self->fail("add_resource_link: link_json is not a JSON object");
  if (!link->contains("uri") || !link->contains("name"))
    return self->fail("add_resource_link: a resource link needs \"uri\" and \"name\"");
  (*link)["type"] = "resource_link";
  return self->add_content(std::move(*link));
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::add_content_json(mcpd_result_handle* ctx, mcpd_str content_json) noexcept try {
  auto* self = object_of<ResultBuilder>(ctx);
  auto block = parse_object(content_json);
  if (!block) return self->fail("add_content_json: content_json is not a JSON object");
  auto type = block->find("type");
  if (type == block->end() || !type->value().is_string())
    return self->fail("add_content_json: a content block needs a string \"type\"");
  return self->add_content(std::move(*block));
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::set_structured(mcpd_result_handle* ctx, mcpd_str json_object) noexcept try {
  auto* self = object_of<ResultBuilder>(ctx);
  if (self->kind_ != Kind::tool) return self->fail("set_structured is only for tool results");
  auto value = parse_object(json_object);
  if (!value) return self->fail("set_structured: the value is not a JSON object");
  self->structured_ = std::move(*value);
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::set_error(mcpd_result_handle* ctx, mcpd_str message) noexcept try {
  auto* self = object_of<ResultBuilder>(ctx);
  self->is_error_ = true;
  if (self->kind_ == Kind::tool) return self->add_content({{"type", "text"}, {"text", view(message)}});
  // Outside tools there is no isError: the message becomes the JSON-RPC error.
  if (!self->misuse_) self->misuse_ = to_string(message);
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::set_role(mcpd_result_handle* ctx, mcpd_str role) noexcept try {
  auto* self = object_of<ResultBuilder>(ctx);
  auto r = view(role);
  if (r != "user" && r != "assistant") return self->fail("set_role: role must be \"user\" or \"assistant\"");
  self->role_ = std::string(r);
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::set_description(mcpd_result_handle* ctx, mcpd_str description) noexcept try {
  object_of<ResultBuilder>(ctx)->description_ = to_string(description);
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::set_result_json(mcpd_result_handle* ctx, mcpd_str json_object) noexcept try {
  auto* self = object_of<ResultBuilder>(ctx);
  auto value = parse_object(json_object);
  if (!value) return self->fail("set_result_json: the value is not a JSON object");
  self->replacement_ = std::move(*value);
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

mcpd_status ResultBuilder::require_input(mcpd_result_handle* ctx, mcpd_str requests_json, mcpd_str state,
                                         uint32_t flags) noexcept try {
  auto* self = object_of<ResultBuilder>(ctx);
  if (self->kind_ == Kind::completion)
    return self->fail("require_input: completion/complete cannot ask the client for input");
  if (self->input_needed_) return self->fail("require_input was called twice in one round");
  auto requests = parse_object(requests_json);
  if (!requests) return self->fail("require_input: the requests are not a JSON object");
  if (auto bad = check_input_requests(*requests)) return self->fail("require_input: " + *bad);
  if (state.size > kMaxInputStateBytes)
    return self->fail("require_input: the state is " + std::to_string(state.size) + " bytes; at most " +
                      std::to_string(kMaxInputStateBytes) + " may travel with the requests");
  self->input_needed_ =
      InputNeeded{std::move(*requests), to_string(state), (flags & MCPD_INPUT_STATE_CONFIDENTIAL) != 0};
  return MCPD_OK;
} catch (...) {
  return MCPD_ERR_INTERNAL;
}

json::object ResultBuilder::finish() {
  if (replacement_) return std::move(*replacement_);
  json::object out;
  switch (kind_) {
    case Kind::tool:
      if (structured_ && content_.empty())
        content_.push_back(json::object{{"type", "text"}, {"text", sdk::to_json_text(*structured_)}});
      out["content"] = std::move(content_);
      if (structured_) out["structuredContent"] = std::move(*structured_);
      if (is_error_) out["isError"] = true;
      break;
    case Kind::resource:
      out["contents"] = std::move(content_);
      break;
    case Kind::prompt:
      if (description_) out["description"] = *description_;
      out["messages"] = std::move(messages_);
      break;
    case Kind::completion:
      out["completion"] = json::object{{"values", json::array{}}, {"hasMore", false}};
      break;
  }
  return out;
}

}  // namespace mcpd::bridge
