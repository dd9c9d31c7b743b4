// FrameScaler: decoded video frames (any pixel format libav produces) to RGB images no wider than a
// limit, and to small luma thumbnails for scene scoring. One swscale context per output, reused while the
// frames keep their size and format.
#pragma once

#include "images.hpp"

struct AVFrame;
struct SwsContext;

namespace mcpd::tracking::frames {

class frame_scaler {
 public:
  // Frames wider than `max_width` are scaled down with the area filter (the sharpest for text when
  // shrinking); narrower frames keep their size: upscaling only costs tokens.
  explicit frame_scaler(int max_width);
  ~frame_scaler();
  frame_scaler(const frame_scaler&) = delete;
  frame_scaler& operator=(const frame_scaler&) = delete;

  rgb_image to_rgb(const AVFrame& frame);

  // The luma plane shrunk to at most thumbnail_width pixels wide, for comparing consecutive samples.
  gray_image to_luma_thumbnail(const AVFrame& frame);

  static constexpr int thumbnail_width = 160;

  // The output size for a frame of this size: aspect ratio kept, at least 1x1.
  static void fit(int width, int height, int max_width, int& out_width, int& out_height);

 private:
  int max_width_;
  SwsContext* rgb_context_ = nullptr;
  SwsContext* luma_context_ = nullptr;
};

}  // namespace mcpd::tracking::frames
