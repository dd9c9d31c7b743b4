#include "image_input.hpp"

#include <algorithm>
#include <cstdint>

#include "base64.hpp"
#include "image_downscale.hpp"
#include "image_format.hpp"
#include "providers/json_fields.hpp"

namespace mcpd::gemini {
namespace {

constexpr std::int64_t max_pixels = 100'000'000;

std::string format_name(image_format format) {
  switch (format) {
    case image_format::png:
      return "a PNG image";
    case image_format::jpeg:
      return "a JPEG image";
    case image_format::webp:
      return "a WebP image";
  }
  return "an image";
}

prepared_image prepare_one(const boost::json::object& item, const std::string& where, int max_long_edge,
                           bool& downscaled) {
  const std::string mime_type = string_at(item, "mimeType");
  const auto declared = format_of_mime_type(mime_type);
  if (!declared) {
    throw image_input_error(where + ": mimeType must be image/png, image/jpeg or image/webp");
  }
  std::string why;
  const auto bytes = base64_decode(string_view_at(item, "data"), &why);
  if (!bytes) throw image_input_error(where + ".data is not valid base64: " + why + ".");

  const auto header = read_image_header(*bytes);
  if (!header) {
    if (const auto sniffed = sniff_image_format(*bytes)) {
      throw image_input_error(where + " starts like " + format_name(*sniffed) +
                              " but its header is truncated or corrupt; send the complete file.");
    }
    throw image_input_error(where +
                            " is not a PNG, JPEG or WebP image (its bytes start with none of their "
                            "signatures); send the encoded image file, base64-encoded.");
  }
  if (header->format != *declared) {
    throw image_input_error(where + " is declared " + mime_type + " but its bytes are " +
                            format_name(header->format) + "; set mimeType to " +
                            std::string(mime_type_of(header->format)) + ".");
  }

  // Decoding allocates width x height x 4 bytes; a small file can claim a huge canvas.
  if (static_cast<std::int64_t>(header->width) * header->height > max_pixels) {
    throw image_input_error(where + " is " + std::to_string(header->width) + "x" +
                            std::to_string(header->height) + " pixels, more than the " +
                            std::to_string(max_pixels / 1'000'000) +
                            " megapixels accepted; send a smaller image.");
  }

  prepared_image image;
  image.label = string_at(item, "label");
  if (std::max(header->width, header->height) > max_long_edge) {
    try {
      auto smaller = downscale_to_png(*bytes, header->format, max_long_edge);
      image.mime_type = "image/png";
      image.base64 = base64_encode(smaller.png);
      downscaled = true;
      return image;
    } catch (const std::runtime_error& e) {
      throw image_input_error(where + " (" + std::to_string(header->width) + "x" +
                              std::to_string(header->height) + ") is larger than max_image_long_edge " +
                              std::to_string(max_long_edge) + " but could not be downscaled: " + e.what() +
                              ".");
    }
  }
  image.mime_type = mime_type;
  // Most images (every frame tracking sends) arrive canonical already: send the caller's text as it is.
  // Text with line breaks or without padding is encoded again. (The decoder refused any other spelling.)
  const std::string_view sent = string_view_at(item, "data");
  const bool canonical = sent.size() % 4 == 0 && sent.find_first_of(" \t\r\n") == std::string_view::npos;
  image.base64 = canonical ? std::string(sent) : base64_encode(*bytes);
  return image;
}

}  // namespace

image_preparation prepare_images(const boost::json::array& images, int max_long_edge) {
  image_preparation result;
  result.images.reserve(images.size());
  for (std::size_t index = 0; index < images.size(); ++index) {
    const std::string where = "images[" + std::to_string(index) + "]";
    if (!images[index].is_object()) throw image_input_error(where + " must be an object {data, mimeType}");
    bool downscaled = false;
    result.images.push_back(prepare_one(images[index].get_object(), where, max_long_edge, downscaled));
    if (downscaled) ++result.downscaled;
  }
  return result;
}

}  // namespace mcpd::gemini
