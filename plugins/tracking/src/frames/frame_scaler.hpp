// FrameScaler: decoded video frames (any pixel format libav produces) to RGB images the way a player shows
// them, within a size limit, and to small luma thumbnails for scene scoring. One swscale context per
// output, reused while the frames keep their size and format.
#pragma once

#include "images.hpp"

struct AVFrame;
struct SwsContext;

namespace mcpd::tracking::frames {

// How a player turns the coded picture into what it shows (video_source_info's fields).
struct frame_geometry {
  int rotation = 0;                // clockwise: 0, 90, 180 or 270
  double sample_aspect_ratio = 1;  // pixel width / pixel height
};

struct image_size {
  int width = 0;
  int height = 0;
};

class frame_scaler {
 public:
  // Frames larger than `max_width` x `max_height` (as shown) are scaled down with the area filter (the
  // sharpest for text when shrinking); smaller frames keep their size: upscaling only costs tokens.
  frame_scaler(int max_width, int max_height, frame_geometry geometry = {});
  ~frame_scaler();
  frame_scaler(const frame_scaler&) = delete;
  frame_scaler& operator=(const frame_scaler&) = delete;

  // The frame as shown: square pixels, rotated, within the limits. Colours follow the frame's tags
  // (matrix and range); untagged frames are BT.601 limited range, as ffmpeg converts them.
  rgb_image to_rgb(const AVFrame& frame);

  // The luma plane shrunk to at most thumbnail_width pixels wide (coded orientation), for comparing
  // consecutive samples.
  gray_image to_luma_thumbnail(const AVFrame& frame);

  static constexpr int thumbnail_width = 320;

  // The frame's size as shown, before any limit: width scaled by the sample aspect ratio, then rotated.
  static image_size displayed(int width, int height, const frame_geometry& geometry);

  // The output size for a frame shown at `size`: aspect ratio kept, within both limits, at least 1x1.
  static image_size fit(image_size size, int max_width, int max_height);

 private:
  int max_width_;
  int max_height_;
  frame_geometry geometry_;
  SwsContext* rgb_context_ = nullptr;
  SwsContext* luma_context_ = nullptr;
};

}  // namespace mcpd::tracking::frames
