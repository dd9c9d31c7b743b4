#include "frame_sampler.hpp"

#include <algorithm>
#include <utility>

#include "video_error.hpp"

extern "C" {
#include <libavutil/frame.h>
}

namespace mcpd::tracking::video {
namespace {

// How often (in decoded frames) a long forward run looks at the cancellation flag.
constexpr std::int64_t cancellation_check_every = 16;

}  // namespace

frame_sampler::frame_sampler(video_reader& reader, std::function<bool()> cancelled)
    : reader_(reader), cancelled_(std::move(cancelled)) {
  on_screen_.frame = av_frame_alloc();
  next_.frame = av_frame_alloc();
  if (on_screen_.frame == nullptr || next_.frame == nullptr) {
    av_frame_free(&on_screen_.frame);
    av_frame_free(&next_.frame);
    throw video_error("out of memory allocating frames");
  }
}

frame_sampler::~frame_sampler() {
  av_frame_free(&on_screen_.frame);
  av_frame_free(&next_.frame);
}

// Takes the decoded frame's buffers (the reader's frame is refilled on its next call anyway).
void frame_sampler::keep(kept_frame& into, AVFrame& decoded, std::int64_t ms) {
  av_frame_unref(into.frame);
  av_frame_move_ref(into.frame, &decoded);
  into.ms = ms;
  into.present = true;
}

void frame_sampler::forget(kept_frame& kept) {
  av_frame_unref(kept.frame);
  kept.present = false;
}

bool frame_sampler::past_the_end(std::int64_t time_ms) const {
  std::int64_t end =
      last_decoded_ms_ + std::max<std::int64_t>(1, static_cast<std::int64_t>(reader_.frame_interval_ms()));
  if (const auto duration = reader_.info().duration_ms) end = std::max(end, *duration);
  return time_ms >= end;
}

const AVFrame* frame_sampler::frame_at(std::int64_t time_ms, std::int64_t& frame_time_ms) {
  if (next_.present && next_.ms <= time_ms) {
    std::swap(on_screen_, next_);
    forget(next_);
  }
  if (!next_.present && !ended_) {
    // Seek only when a keyframe lies between what is decoded and the target: decoding forward from there
    // would pass through frames nobody asked for. The frame on screen is at or after that keyframe.
    const auto keyframe = reader_.indexed_keyframe_before(time_ms);
    if (keyframe && *keyframe > std::max<std::int64_t>(last_decoded_ms_, 0) && reader_.seek(time_ms)) {
      forget(on_screen_);
    }
    reader_.skip_non_reference_before(time_ms);
    for (;;) {
      if (cancelled_ && frames_decoded_ % cancellation_check_every == 0 && cancelled_())
        throw video_cancelled();
      AVFrame* frame = reader_.next_frame();
      if (frame == nullptr) {
        ended_ = true;
        break;
      }
      ++frames_decoded_;
      const std::int64_t ms = reader_.frame_time_ms(*frame);
      last_decoded_ms_ = std::max(last_decoded_ms_, ms);
      if (ms == time_ms) {
        // Exactly on time: no later frame can be on screen then, so none needs decoding to find out.
        keep(on_screen_, *frame, ms);
        break;
      }
      if (ms < time_ms) {
        keep(on_screen_, *frame, ms);
      } else {
        keep(next_, *frame, ms);
        break;
      }
    }
  }
  if (!on_screen_.present) {
    // Before the first frame, the first frame is the one to show (it stays next in line).
    if (!next_.present) return nullptr;
    frame_time_ms = next_.ms;
    return next_.frame;
  }
  if (!next_.present && ended_ && past_the_end(time_ms)) return nullptr;
  frame_time_ms = on_screen_.ms;
  return on_screen_.frame;
}

}  // namespace mcpd::tracking::video
