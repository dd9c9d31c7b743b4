#include "frame_scaler.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

namespace mcpd::tracking::frames {
namespace {

// YUV->RGB coefficients: the frame's own tag when it has one; untagged video follows the players'
// convention (BT.709 from 720 lines up, BT.601 below), which is what screen recorders produce.
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
      return frame.height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
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
             AVPixelFormat out_format, int bytes_per_pixel, std::vector<std::uint8_t>& out) {
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

}  // namespace

frame_scaler::frame_scaler(int max_width) : max_width_(std::max(1, max_width)) {}

frame_scaler::~frame_scaler() {
  sws_freeContext(rgb_context_);
  sws_freeContext(luma_context_);
}

void frame_scaler::fit(int width, int height, int max_width, int& out_width, int& out_height) {
  if (width <= max_width) {
    out_width = width;
    out_height = height;
    return;
  }
  out_width = max_width;
  out_height = std::max(1, static_cast<int>(std::lround(static_cast<double>(height) * max_width / width)));
}

rgb_image frame_scaler::to_rgb(const AVFrame& frame) {
  rgb_image image;
  fit(frame.width, frame.height, max_width_, image.width, image.height);
  convert(rgb_context_, frame, image.width, image.height, AV_PIX_FMT_RGB24, 3, image.pixels);
  return image;
}

gray_image frame_scaler::to_luma_thumbnail(const AVFrame& frame) {
  gray_image image;
  fit(frame.width, frame.height, thumbnail_width, image.width, image.height);
  convert(luma_context_, frame, image.width, image.height, AV_PIX_FMT_GRAY8, 1, image.pixels);
  return image;
}

}  // namespace mcpd::tracking::frames
