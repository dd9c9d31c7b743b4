#include "scene_scorer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace mcpd::tracking::frames {

double scene_scorer::score(gray_image thumbnail) {
  double result = 0;
  if (previous_ && previous_->width == thumbnail.width && previous_->height == thumbnail.height &&
      !thumbnail.pixels.empty()) {
    std::uint64_t sad = 0;
    const auto& before = previous_->pixels;
    for (std::size_t i = 0; i < thumbnail.pixels.size(); ++i) {
      sad += static_cast<std::uint64_t>(std::abs(int{thumbnail.pixels[i]} - int{before[i]}));
    }
    const double mafd = static_cast<double>(sad) / static_cast<double>(thumbnail.pixels.size());
    const double diff = std::fabs(mafd - previous_mafd_);
    result = std::clamp(std::min(mafd, diff) / 100.0, 0.0, 1.0);
    previous_mafd_ = mafd;
  } else {
    previous_mafd_ = 0;
  }
  previous_ = std::move(thumbnail);
  return result;
}

}  // namespace mcpd::tracking::frames
