// Keyframe selection: which of many scored samples best show what happened, within a frame budget.
//
// (reference section 3, "suggested keyframe selection")
//  1. the first and the last sample are always kept (where the session starts and ends);
//  2. then the biggest changes, highest scene score first, each at least min_gap from every kept sample
//     (extraction passes one step: changes a step apart, like a wizard's pages, are each shown);
//  3. leftover budget splits the largest time gaps between kept samples, so quiet stretches still get
//     coverage.
// Used by tracking.recording_frames (mode "keyframes") and tracking.ask_question_about_recording.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace mcpd::tracking::frames {

struct scored_sample {
  std::int64_t ts_ms = 0;
  double score = 0;  // SceneScorer's score against the previous sample
};

// Scores at or below this are compression noise, not changes: such samples are only picked to fill gaps.
inline constexpr double noise_scene_score = 0.001;

// Indices into `samples` (sorted by ts_ms), ascending; at most `budget` of them.
std::vector<std::size_t> select_keyframes(std::span<const scored_sample> samples, std::size_t budget,
                                          std::int64_t min_gap_ms);

}  // namespace mcpd::tracking::frames
