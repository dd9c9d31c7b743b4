#include "png_encoder.hpp"

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include <lodepng.h>
#include <zlib.h>

namespace mcpd::tracking::frames {
namespace {

// lodepng's custom_zlib hook: the whole zlib stream (header, deflate, adler32) from zlib's compress2.
// lodepng frees *out with free(), so it is allocated with malloc.
unsigned zlib_level1(unsigned char** out, size_t* out_size, const unsigned char* in, size_t in_size,
                     const LodePNGCompressSettings*) {
  uLongf capacity = compressBound(static_cast<uLong>(in_size));
  auto* buffer = static_cast<unsigned char*>(std::malloc(capacity));
  if (buffer == nullptr) return 83;  // lodepng's "memory allocation failed"
  if (compress2(buffer, &capacity, in, static_cast<uLong>(in_size), 1) != Z_OK) {
    std::free(buffer);
    return 111;  // any non-zero code: lodepng reports it as an encoder error
  }
  *out = buffer;
  *out_size = capacity;
  return 0;
}

struct lodepng_state_guard {
  LodePNGState state;
  lodepng_state_guard() { lodepng_state_init(&state); }
  ~lodepng_state_guard() { lodepng_state_cleanup(&state); }
};

}  // namespace

std::vector<std::uint8_t> encode_png(const rgb_image& image) {
  lodepng_state_guard guard;
  LodePNGState& state = guard.state;
  state.info_raw.colortype = LCT_RGB;
  state.info_raw.bitdepth = 8;
  state.info_png.color.colortype = LCT_RGB;
  state.info_png.color.bitdepth = 8;
  // auto_convert would scan every pixel looking for a palette; frames are full colour anyway.
  state.encoder.auto_convert = 0;
  state.encoder.filter_strategy = LFS_ZERO;
  state.encoder.zlibsettings.custom_zlib = &zlib_level1;

  unsigned char* png = nullptr;
  size_t png_size = 0;
  const unsigned error =
      lodepng_encode(&png, &png_size, image.pixels.data(), static_cast<unsigned>(image.width),
                     static_cast<unsigned>(image.height), &state);
  std::unique_ptr<unsigned char, decltype(&std::free)> owned(png, &std::free);
  if (error != 0) throw std::runtime_error(std::string("PNG encoding failed: ") + lodepng_error_text(error));
  return std::vector<std::uint8_t>(png, png + png_size);
}

}  // namespace mcpd::tracking::frames
