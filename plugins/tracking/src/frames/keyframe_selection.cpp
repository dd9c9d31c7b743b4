#include "keyframe_selection.hpp"

#include <algorithm>
#include <numeric>
#include <set>

namespace mcpd::tracking::frames {
namespace {

bool far_from_all(const std::set<std::size_t>& kept, std::span<const scored_sample> samples,
                  std::size_t candidate, std::int64_t min_gap_ms) {
  return std::all_of(kept.begin(), kept.end(), [&](std::size_t k) {
    return std::llabs(samples[k].ts_ms - samples[candidate].ts_ms) >= min_gap_ms;
  });
}

// The unkept sample nearest the middle of the largest gap between kept samples; npos when every gap is
// already closed.
std::size_t split_largest_gap(const std::set<std::size_t>& kept, std::span<const scored_sample> samples) {
  std::size_t best = static_cast<std::size_t>(-1);
  std::int64_t best_gap = -1;
  for (auto it = kept.begin(); std::next(it) != kept.end(); ++it) {
    const std::size_t left = *it;
    const std::size_t right = *std::next(it);
    if (right - left < 2) continue;
    const std::int64_t gap = samples[right].ts_ms - samples[left].ts_ms;
    if (gap <= best_gap) continue;
    const std::int64_t middle = samples[left].ts_ms + gap / 2;
    std::size_t nearest = left + 1;
    for (std::size_t i = left + 1; i < right; ++i) {
      if (std::llabs(samples[i].ts_ms - middle) < std::llabs(samples[nearest].ts_ms - middle)) nearest = i;
    }
    best = nearest;
    best_gap = gap;
  }
  return best;
}

}  // namespace

std::vector<std::size_t> select_keyframes(std::span<const scored_sample> samples, std::size_t budget,
                                          std::int64_t min_gap_ms) {
  std::vector<std::size_t> all(samples.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  if (samples.size() <= budget) return all;
  if (budget == 0) return {};

  std::set<std::size_t> kept{0};
  if (budget >= 2) kept.insert(samples.size() - 1);

  std::vector<std::size_t> by_score(all.begin() + 1, all.end() - 1);
  std::stable_sort(by_score.begin(), by_score.end(),
                   [&](std::size_t a, std::size_t b) { return samples[a].score > samples[b].score; });
  for (std::size_t candidate : by_score) {
    if (kept.size() >= budget || samples[candidate].score <= noise_scene_score) break;
    if (far_from_all(kept, samples, candidate, min_gap_ms)) kept.insert(candidate);
  }
  while (kept.size() < budget) {
    const std::size_t split = split_largest_gap(kept, samples);
    if (split == static_cast<std::size_t>(-1)) break;
    kept.insert(split);
  }
  return {kept.begin(), kept.end()};
}

}  // namespace mcpd::tracking::frames
