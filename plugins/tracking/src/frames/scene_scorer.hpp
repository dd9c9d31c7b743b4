// SceneScorer: how much the picture changed since the previous sample, in [0, 1].
//
// FFmpeg's `select` scene formula (f_select.c, reference section 3) on small luma thumbnails:
//   mafd  = sum |Y_t - Y_{t-1}| / pixels       (mean absolute frame difference, 8-bit)
//   score = clip(min(mafd, |mafd - prev_mafd|) / 100, 0, 1)
// Taking the min with the change in mafd keeps a steady motion (scrolling, video playing) from scoring
// every sample. Screen content scores low: a full-page text swap is about 0.15, a cursor or clock tick
// under 0.01, so callers rank by score rather than use FFmpeg's usual 0.4 threshold.
#pragma once

#include <optional>

#include "images.hpp"

namespace mcpd::tracking::frames {

class scene_scorer {
 public:
  // Score of `thumbnail` against the previous one given; 0 for the first, and when the size changed
  // (a resolution switch mid-stream) the comparison restarts.
  double score(gray_image thumbnail);

 private:
  std::optional<gray_image> previous_;
  double previous_mafd_ = 0;
};

}  // namespace mcpd::tracking::frames
