// SceneScorer: how much of the screen changed since the previous sample, in [0, 1].
//
// Screen content changes locally: a field fills in, a toast slides in, a modal opens, a page replaces
// another. A mean difference over the whole picture (ffmpeg's scene score) drowns a typed word in the
// unchanged rest and scores it at the level of encoder noise. So the luma thumbnail is cut into square
// tiles, a tile counts as changed when enough of its pixels moved by more than encoder noise does, and
// the score is the fraction of tiles that changed: a new page is near 1, a modal or toast a few hundredths
// to a few tenths, a typed word or a blinking caret one or two tiles (about 0.004 each on a 16:9 screen),
// and re-encoding noise alone 0.
#pragma once

#include <optional>

#include "images.hpp"

namespace mcpd::tracking::frames {

class scene_scorer {
 public:
  // Edge of a tile, in thumbnail pixels (the thumbnail is 320 wide: 20 tiles across).
  static constexpr int tile_size = 16;
  // A pixel changed when its luma moved by more than this (8-bit levels); compression noise on an
  // unchanged screen stays well below it.
  static constexpr int pixel_noise = 24;
  // A tile changed when at least this many of its pixels did: single noisy pixels do not count.
  static constexpr int changed_pixels_per_tile = 3;

  // Score of `thumbnail` against the previous one given; 0 for the first, and when the size changed
  // (a resolution switch mid-stream) the comparison restarts.
  double score(gray_image thumbnail);

 private:
  std::optional<gray_image> previous_;
};

}  // namespace mcpd::tracking::frames
