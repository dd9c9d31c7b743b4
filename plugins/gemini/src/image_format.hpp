// Recognising PNG, JPEG and WebP from their bytes and reading their pixel size from the headers, without
// decoding: enough to refuse data that is not the image it claims to be, and to decide whether it needs
// downscaling.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mcpd::gemini {

enum class image_format { png, jpeg, webp };

struct image_header {
  image_format format = image_format::png;
  int width = 0;
  int height = 0;
};

// "image/png", "image/jpeg", "image/webp".
std::string_view mime_type_of(image_format format);
// The format a MIME type names; nullopt for any other.
std::optional<image_format> format_of_mime_type(std::string_view mime_type);

// The format (from its signature) and size (from its header) of encoded image bytes. nullopt when the
// bytes start like none of the three formats, or when the header that carries the size is missing or
// truncated (the data is then not a usable image of that format either).
std::optional<image_header> read_image_header(std::span<const std::uint8_t> bytes);

// The format the signature alone says, even when the size cannot be read; for error messages.
std::optional<image_format> sniff_image_format(std::span<const std::uint8_t> bytes);

}  // namespace mcpd::gemini
