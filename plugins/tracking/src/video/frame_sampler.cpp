#include "frame_sampler.hpp"

#include <algorithm>
#include <utility>

#include "video_error.hpp"

namespace mcpd::tracking::video {
namespace {

// How often (in decoded frames) a long forward run looks at the cancellation flag.
constexpr std::int64_t cancellation_check_every = 16;

}  // namespace

frame_sampler::frame_sampler(video_reader& reader, std::function<bool()> cancelled)
    : reader_(reader), cancelled_(std::move(cancelled)) {}

const AVFrame* frame_sampler::frame_at(std::int64_t time_ms, std::int64_t& frame_time_ms) {
  if (ended_) return nullptr;
  const auto half_frame = static_cast<std::int64_t>(reader_.frame_interval_ms() / 2);
  const std::int64_t earliest = time_ms - half_frame;
  if (current_ != nullptr && current_ms_ >= earliest) {
    frame_time_ms = current_ms_;
    return current_;
  }

  // Seek only when a keyframe lies between what is decoded and the target: decoding forward from there
  // would pass through frames nobody asked for.
  const auto keyframe = reader_.indexed_keyframe_before(time_ms);
  if (keyframe && *keyframe > std::max<std::int64_t>(last_decoded_ms_, 0) && reader_.seek(time_ms)) {
    current_ = nullptr;
  }
  reader_.skip_non_reference_before(earliest);

  for (;;) {
    if (cancelled_ && frames_decoded_ % cancellation_check_every == 0 && cancelled_())
      throw video_cancelled();
    AVFrame* frame = reader_.next_frame();
    if (frame == nullptr) {
      ended_ = true;
      current_ = nullptr;
      return nullptr;
    }
    ++frames_decoded_;
    const std::int64_t ms = reader_.frame_time_ms(*frame);
    last_decoded_ms_ = std::max(last_decoded_ms_, ms);
    if (ms >= earliest) {
      current_ = frame;
      current_ms_ = ms;
      frame_time_ms = ms;
      return frame;
    }
  }
}

}  // namespace mcpd::tracking::video
