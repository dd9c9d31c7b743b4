#include "scene_scorer.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace mcpd::tracking::frames {
namespace {

// Whether the tile at (left, top) differs between the two images of the same size.
bool tile_changed(const gray_image& before, const gray_image& after, int left, int top) {
  const int right = std::min(left + scene_scorer::tile_size, after.width);
  const int bottom = std::min(top + scene_scorer::tile_size, after.height);
  const int area = (right - left) * (bottom - top);
  // A partial tile at the edge needs proportionally fewer changed pixels.
  const int needed = std::max(
      1, scene_scorer::changed_pixels_per_tile * area / (scene_scorer::tile_size * scene_scorer::tile_size));
  int changed = 0;
  for (int y = top; y < bottom; ++y) {
    const auto row = static_cast<std::size_t>(y) * static_cast<std::size_t>(after.width);
    for (int x = left; x < right; ++x) {
      const int difference = std::abs(int{after.pixels[row + x]} - int{before.pixels[row + x]});
      if (difference > scene_scorer::pixel_noise && ++changed >= needed) return true;
    }
  }
  return false;
}

}  // namespace

double scene_scorer::score(gray_image thumbnail) {
  double result = 0;
  if (previous_ && previous_->width == thumbnail.width && previous_->height == thumbnail.height &&
      !thumbnail.pixels.empty()) {
    int tiles = 0;
    int changed = 0;
    for (int top = 0; top < thumbnail.height; top += tile_size) {
      for (int left = 0; left < thumbnail.width; left += tile_size) {
        ++tiles;
        if (tile_changed(*previous_, thumbnail, left, top)) ++changed;
      }
    }
    result = static_cast<double>(changed) / tiles;
  }
  previous_ = std::move(thumbnail);
  return result;
}

}  // namespace mcpd::tracking::frames
