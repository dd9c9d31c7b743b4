// mcpd::sdk::content_block: one MCP ContentBlock (text, image, audio, embedded resource, resource link).
#ifndef MCPD_SDK_CONTENT_HPP
#define MCPD_SDK_CONTENT_HPP

#include <mcpd/sdk/error.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mcpd::sdk {

/// One content block of a tool result or a prompt message.
///
/// Text converts implicitly, so `result.user("Hello")` works; the static functions make the other kinds.
/// Binary data is raw bytes (copied in): the host does the base64.
struct content_block {
  enum class kind {
    text,           ///< {"type":"text"}: `text`
    image,          ///< {"type":"image"}: `data`, `mime_type`
    audio,          ///< {"type":"audio"}: `data`, `mime_type`
    resource_text,  ///< {"type":"resource"} with text contents: `uri`, `mime_type`, `text`
    resource_blob,  ///< {"type":"resource"} with blob contents: `uri`, `mime_type`, `data`
    resource_link,  ///< {"type":"resource_link"}: `object` holds the link without "type"
    raw_json,       ///< any ContentBlock given as JSON: `object` (must have "type")
  };

  kind type = kind::text;
  std::string text;
  std::string uri;
  std::string mime_type;
  std::vector<std::uint8_t> data;
  json::object object;

  content_block() = default;
  content_block(std::string_view text_block) : text(text_block) {}
  content_block(const char* text_block) : text(text_block == nullptr ? "" : text_block) {}
  content_block(const std::string& text_block) : text(text_block) {}
  /// Any ContentBlock as JSON, for fields the typed kinds do not cover (annotations, _meta).
  content_block(json::object block) : type(kind::raw_json), object(std::move(block)) {}

  static content_block image(std::span<const std::uint8_t> bytes, std::string_view mime) {
    return binary(kind::image, {}, mime, bytes);
  }
  static content_block audio(std::span<const std::uint8_t> bytes, std::string_view mime) {
    return binary(kind::audio, {}, mime, bytes);
  }
  static content_block resource_text(std::string_view resource_uri, std::string_view mime,
                                     std::string_view contents) {
    content_block block;
    block.type = kind::resource_text;
    block.uri = resource_uri;
    block.mime_type = mime;
    block.text = contents;
    return block;
  }
  static content_block resource_blob(std::string_view resource_uri, std::string_view mime,
                                     std::span<const std::uint8_t> bytes) {
    return binary(kind::resource_blob, resource_uri, mime, bytes);
  }
  /// `link`: the ResourceLink object without "type" (uri and name required).
  static content_block resource_link(json::object link) {
    content_block block;
    block.type = kind::resource_link;
    block.object = std::move(link);
    return block;
  }

 private:
  static content_block binary(kind which, std::string_view resource_uri, std::string_view mime,
                              std::span<const std::uint8_t> bytes) {
    content_block block;
    block.type = which;
    block.uri = resource_uri;
    block.mime_type = mime;
    block.data.assign(bytes.begin(), bytes.end());
    return block;
  }
};

}  // namespace mcpd::sdk

#endif  // MCPD_SDK_CONTENT_HPP
