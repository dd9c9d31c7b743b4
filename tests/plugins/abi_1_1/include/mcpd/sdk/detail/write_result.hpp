// Writing finished results into the host's result builder, one callback per piece.
#ifndef MCPD_SDK_DETAIL_WRITE_RESULT_HPP
#define MCPD_SDK_DETAIL_WRITE_RESULT_HPP

#include <mcpd/sdk/completion_result.hpp>
#include <mcpd/sdk/content.hpp>
#include <mcpd/sdk/detail/abi.hpp>
#include <mcpd/sdk/json_serialize.hpp>
#include <mcpd/sdk/prompt_result.hpp>
#include <mcpd/sdk/resource_result.hpp>
#include <mcpd/sdk/tool_result.hpp>

#include <algorithm>
#include <cstddef>
#include <string>

namespace mcpd::sdk::detail {

// Calls a builder callback, or answers MCPD_ERR_UNSUPPORTED when the host's builder does not reach it.
#define MCPD_SDK_BUILD(builder, field, ...)                        \
  (!MCPD_SDK_REACHES(builder, field) || (builder).field == nullptr \
       ? static_cast<mcpd_status>(MCPD_ERR_UNSUPPORTED)            \
       : (builder).field((builder).host_ctx, __VA_ARGS__))

inline mcpd_status write_content(const mcpd_result_builder& builder, const content_block& block) {
  using kind = content_block::kind;
  switch (block.type) {
    case kind::text:
      return MCPD_SDK_BUILD(builder, callback_add_text, to_str(block.text));
    case kind::image:
      return MCPD_SDK_BUILD(builder, callback_add_image, to_bytes(block.data), to_str(block.mime_type));
    case kind::audio:
      return MCPD_SDK_BUILD(builder, callback_add_audio, to_bytes(block.data), to_str(block.mime_type));
    case kind::resource_text:
      return MCPD_SDK_BUILD(builder, callback_add_resource_text, to_str(block.uri), to_str(block.mime_type),
                            to_str(block.text));
    case kind::resource_blob:
      return MCPD_SDK_BUILD(builder, callback_add_resource_blob, to_str(block.uri), to_str(block.mime_type),
                            to_bytes(block.data));
    case kind::resource_link: {
      const std::string link = json::serialize(block.object);
      return MCPD_SDK_BUILD(builder, callback_add_resource_link, to_str(link));
    }
    case kind::raw_json: {
      const std::string content = json::serialize(block.object);
      return MCPD_SDK_BUILD(builder, callback_add_content_json, to_str(content));
    }
  }
  return MCPD_ERR_INVALID_ARGUMENT;
}

inline mcpd_status write_error_message(const mcpd_result_builder& builder, std::string_view message) {
  return MCPD_SDK_BUILD(builder, callback_set_error, to_str(message));
}

inline mcpd_status write_tool_result(const mcpd_result_builder& builder, const tool_result& result) {
  const auto& blocks = result.blocks();
  for (std::size_t index = 0; index < blocks.size(); ++index) {
    const mcpd_status status = result.is_error_message(index)
                                   ? write_error_message(builder, blocks[index].text)
                                   : write_content(builder, blocks[index]);
    if (status != MCPD_OK) {
      return status;
    }
  }
  if (const auto& structured = result.structured_content()) {
    const std::string text = to_json_text(*structured);
    return MCPD_SDK_BUILD(builder, callback_set_structured, to_str(text));
  }
  return MCPD_OK;
}

inline mcpd_status write_resource_result(const mcpd_result_builder& builder, const resource_result& result) {
  for (const content_block& entry : result.contents()) {
    if (const mcpd_status status = write_content(builder, entry); status != MCPD_OK) {
      return status;
    }
  }
  return MCPD_OK;
}

inline mcpd_status write_prompt_result(const mcpd_result_builder& builder, const prompt_result& result) {
  if (!result.description().empty()) {
    if (const mcpd_status status =
            MCPD_SDK_BUILD(builder, callback_set_description, to_str(result.description()));
        status != MCPD_OK) {
      return status;
    }
  }
  for (const prompt_result::message& message : result.messages()) {
    if (const mcpd_status status = MCPD_SDK_BUILD(builder, callback_set_role, to_str(message.role));
        status != MCPD_OK) {
      return status;
    }
    if (const mcpd_status status = write_content(builder, message.content); status != MCPD_OK) {
      return status;
    }
  }
  return MCPD_OK;
}

/// MCP caps a completion at 100 values.
inline constexpr std::size_t max_completion_values = 100;

inline json::object completion_json(const completion_result& result) {
  const std::size_t sent = std::min(result.values.size(), max_completion_values);
  json::array values;
  for (std::size_t index = 0; index < sent; ++index) {
    values.emplace_back(result.values[index]);
  }
  const bool truncated = sent < result.values.size();
  json::object completion;
  completion["values"] = std::move(values);
  if (result.total) {
    completion["total"] = *result.total;
  } else if (truncated) {
    completion["total"] = result.values.size();
  }
  completion["hasMore"] = result.has_more || truncated;
  return json::object{{"completion", std::move(completion)}};
}

inline mcpd_status write_completion_result(const mcpd_result_builder& builder,
                                           const completion_result& result) {
  const std::string text = json::serialize(completion_json(result));
  return MCPD_SDK_BUILD(builder, callback_set_result_json, to_str(text));
}

}  // namespace mcpd::sdk::detail

#endif  // MCPD_SDK_DETAIL_WRITE_RESULT_HPP
