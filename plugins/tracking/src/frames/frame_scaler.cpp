#include "frame_scaler.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

namespace mcpd::tracking::frames {
namespace {

// YUV->RGB coefficients: the frame's own tag when it has one; untagged video is BT.601, whatever its size.
// That is what the encoders that leave it untagged used (libx264 fed by ffmpeg's default conversion, as in
// PostHog's exporter) and what ffmpeg assumes when converting back: BT.709 for HD sizes turned a red of
// (224,48,48) into (238,63,45).
int colorspace_of(const AVFrame& frame) {
  switch (frame.colorspace) {
    case AVCOL_SPC_BT709:
      return SWS_CS_ITU709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M:
      return SWS_CS_ITU601;
    case AVCOL_SPC_SMPTE240M:
      return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
      return SWS_CS_BT2020;
    default:
      return SWS_CS_ITU601;
  }
}

bool is_full_range(const AVFrame& frame) {
  const auto format = static_cast<AVPixelFormat>(frame.format);
  return frame.color_range == AVCOL_RANGE_JPEG || format == AV_PIX_FMT_YUVJ420P ||
         format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P;
}

// swscale's SIMD writers store whole vectors: rows need an aligned stride and the buffer slack at its end,
// or the last pixels of a row spill past it. Converts into such a buffer, then packs the rows tightly.
void convert(SwsContext*& context, const AVFrame& frame, int out_width, int out_height,
             AVPixelFormat out_format, int bytes_per_pixel, pixel_buffer& out) {
  const bool shrinking = out_width < frame.width || out_height < frame.height;
  context = sws_getCachedContext(context, frame.width, frame.height, static_cast<AVPixelFormat>(frame.format),
                                 out_width, out_height, out_format, shrinking ? SWS_AREA : SWS_BILINEAR,
                                 nullptr, nullptr, nullptr);
  if (context == nullptr) throw std::runtime_error("cannot convert this video's pixel format to RGB");
  const int* coefficients = sws_getCoefficients(colorspace_of(frame));
  sws_setColorspaceDetails(context, coefficients, is_full_range(frame) ? 1 : 0, coefficients, 1, 0, 1 << 16,
                           1 << 16);
  constexpr std::size_t alignment = 64;
  const std::size_t row = static_cast<std::size_t>(out_width) * bytes_per_pixel;
  const std::size_t stride = (row + alignment - 1) / alignment * alignment;
  out.resize(stride * static_cast<std::size_t>(out_height) + 2 * alignment);
  std::uint8_t* planes[4] = {out.data(), nullptr, nullptr, nullptr};
  int strides[4] = {static_cast<int>(stride), 0, 0, 0};
  sws_scale(context, frame.data, frame.linesize, 0, frame.height, planes, strides);
  if (stride != row) {
    for (int y = 1; y < out_height; ++y)
      std::memmove(out.data() + static_cast<std::size_t>(y) * row,
                   out.data() + static_cast<std::size_t>(y) * stride, row);
  }
  out.resize(row * static_cast<std::size_t>(out_height));
}

// The image turned clockwise by `rotation` degrees (90, 180 or 270).
rgb_image rotated(rgb_image image, int rotation) {
  if (rotation == 0) return image;
  rgb_image out;
  const bool quarter = rotation == 90 || rotation == 270;
  out.width = quarter ? image.height : image.width;
  out.height = quarter ? image.width : image.height;
  out.pixels.resize(image.pixels.size());
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      int to_x = 0, to_y = 0;
      if (rotation == 90) {
        to_x = image.height - 1 - y;
        to_y = x;
      } else if (rotation == 180) {
        to_x = image.width - 1 - x;
        to_y = image.height - 1 - y;
      } else {
        to_x = y;
        to_y = image.width - 1 - x;
      }
      std::memcpy(out.pixel(to_x, to_y), image.pixel(x, y), 3);
    }
  }
  return out;
}

bool turns_sideways(int rotation) {
  return rotation == 90 || rotation == 270;
}

}  // namespace

frame_scaler::frame_scaler(int max_width, int max_height, frame_geometry geometry)
    : max_width_(std::max(1, max_width)), max_height_(std::max(1, max_height)), geometry_(geometry) {}

frame_scaler::~frame_scaler() {
  sws_freeContext(rgb_context_);
  sws_freeContext(luma_context_);
}

image_size frame_scaler::displayed(int width, int height, const frame_geometry& geometry) {
  image_size size{width, height};
  if (geometry.sample_aspect_ratio > 0 && std::fabs(geometry.sample_aspect_ratio - 1) > 1e-6)
    size.width = std::max(1, static_cast<int>(std::lround(width * geometry.sample_aspect_ratio)));
  if (turns_sideways(geometry.rotation)) std::swap(size.width, size.height);
  return size;
}

image_size frame_scaler::fit(image_size size, int max_width, int max_height) {
  const double scale = std::min({1.0, static_cast<double>(max_width) / std::max(1, size.width),
                                 static_cast<double>(max_height) / std::max(1, size.height)});
  if (scale >= 1.0) return size;
  return {std::max(1, static_cast<int>(std::lround(size.width * scale))),
          std::max(1, static_cast<int>(std::lround(size.height * scale)))};
}

rgb_image frame_scaler::to_rgb(const AVFrame& frame) {
  const image_size shown = fit(displayed(frame.width, frame.height, geometry_), max_width_, max_height_);
  // Scaled in the coded orientation, then turned.
  rgb_image image;
  image.width = turns_sideways(geometry_.rotation) ? shown.height : shown.width;
  image.height = turns_sideways(geometry_.rotation) ? shown.width : shown.height;
  convert(rgb_context_, frame, image.width, image.height, AV_PIX_FMT_RGB24, 3, image.pixels);
  return rotated(std::move(image), geometry_.rotation);
}

gray_image frame_scaler::to_luma_thumbnail(const AVFrame& frame) {
  gray_image image;
  const image_size size = fit({frame.width, frame.height}, thumbnail_width, thumbnail_width * 4);
  image.width = size.width;
  image.height = size.height;
  convert(luma_context_, frame, image.width, image.height, AV_PIX_FMT_GRAY8, 1, image.pixels);
  return image;
}

}  // namespace mcpd::tracking::frames
