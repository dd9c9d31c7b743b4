#include "image_format.hpp"

#include <algorithm>
#include <array>

namespace mcpd::gemini {
namespace {

using bytes_view = std::span<const std::uint8_t>;

constexpr std::array<std::uint8_t, 8> png_signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

bool starts_with(bytes_view bytes, std::size_t offset, std::string_view text) {
  if (bytes.size() < offset + text.size()) return false;
  return std::equal(text.begin(), text.end(), bytes.begin() + static_cast<std::ptrdiff_t>(offset),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

std::uint32_t big_endian_32(bytes_view b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
         b[at + 3];
}
std::uint32_t big_endian_16(bytes_view b, std::size_t at) {
  return (std::uint32_t{b[at]} << 8) | b[at + 1];
}
std::uint32_t little_endian_16(bytes_view b, std::size_t at) {
  return b[at] | (std::uint32_t{b[at + 1]} << 8);
}
std::uint32_t little_endian_24(bytes_view b, std::size_t at) {
  return b[at] | (std::uint32_t{b[at + 1]} << 8) | (std::uint32_t{b[at + 2]} << 16);
}

std::optional<image_header> sized(image_format format, std::uint32_t width, std::uint32_t height) {
  if (width == 0 || height == 0 || width > 1'000'000 || height > 1'000'000) return std::nullopt;
  return image_header{format, static_cast<int>(width), static_cast<int>(height)};
}

// The IHDR chunk must come first: length 13, type "IHDR", width, height.
std::optional<image_header> png_header(bytes_view b) {
  if (b.size() < 33 || !starts_with(b, 12, "IHDR")) return std::nullopt;
  return sized(image_format::png, big_endian_32(b, 16), big_endian_32(b, 20));
}

// Walks the marker segments up to the first start-of-frame (SOF0..SOF15 except DHT, JPG and DAC), which
// holds the height and width.
std::optional<image_header> jpeg_header(bytes_view b) {
  std::size_t at = 2;
  while (at + 4 <= b.size()) {
    if (b[at] != 0xFF) return std::nullopt;
    const std::uint8_t marker = b[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      at += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // image data before any frame header
    const std::uint32_t length = big_endian_16(b, at + 2);
    if (length < 2) return std::nullopt;
    const bool start_of_frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (start_of_frame) {
      if (at + 9 > b.size()) return std::nullopt;
      return sized(image_format::jpeg, big_endian_16(b, at + 7), big_endian_16(b, at + 5));
    }
    at += 2 + length;
  }
  return std::nullopt;
}

// RIFF container, first chunk VP8 (lossy), VP8L (lossless) or VP8X (extended, canvas size).
std::optional<image_header> webp_header(bytes_view b) {
  if (b.size() < 30) return std::nullopt;
  if (starts_with(b, 12, "VP8 ")) {
    // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
    if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A) return std::nullopt;
    return sized(image_format::webp, little_endian_16(b, 26) & 0x3FFF, little_endian_16(b, 28) & 0x3FFF);
  }
  if (starts_with(b, 12, "VP8L")) {
    if (b[20] != 0x2F) return std::nullopt;
    const std::uint32_t bits =
        b[21] | (std::uint32_t{b[22]} << 8) | (std::uint32_t{b[23]} << 16) | (std::uint32_t{b[24]} << 24);
    return sized(image_format::webp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (starts_with(b, 12, "VP8X")) {
    return sized(image_format::webp, little_endian_24(b, 24) + 1, little_endian_24(b, 27) + 1);
  }
  return std::nullopt;
}

}  // namespace

std::string_view mime_type_of(image_format format) {
  switch (format) {
    case image_format::png:
      return "image/png";
    case image_format::jpeg:
      return "image/jpeg";
    case image_format::webp:
      return "image/webp";
  }
  return "image/png";
}

std::optional<image_format> format_of_mime_type(std::string_view mime_type) {
  if (mime_type == "image/png") return image_format::png;
  if (mime_type == "image/jpeg") return image_format::jpeg;
  if (mime_type == "image/webp") return image_format::webp;
  return std::nullopt;
}

std::optional<image_format> sniff_image_format(bytes_view bytes) {
  if (bytes.size() >= png_signature.size() &&
      std::equal(png_signature.begin(), png_signature.end(), bytes.begin()))
    return image_format::png;
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
    return image_format::jpeg;
  if (starts_with(bytes, 0, "RIFF") && starts_with(bytes, 8, "WEBP")) return image_format::webp;
  return std::nullopt;
}

std::optional<image_header> read_image_header(bytes_view bytes) {
  const auto format = sniff_image_format(bytes);
  if (!format) return std::nullopt;
  switch (*format) {
    case image_format::png:
      return png_header(bytes);
    case image_format::jpeg:
      return jpeg_header(bytes);
    case image_format::webp:
      return webp_header(bytes);
  }
  return std::nullopt;
}

}  // namespace mcpd::gemini
