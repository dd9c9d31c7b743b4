#include "frame_extraction.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <future>

#include "../video/frame_sampler.hpp"
#include "../video/video_error.hpp"
#include "../video/video_reader.hpp"
#include "contact_sheet.hpp"
#include "frame_scaler.hpp"
#include "keyframe_selection.hpp"
#include "png_encoder.hpp"
#include "scene_scorer.hpp"

extern "C" {
#include <libavutil/frame.h>
}

namespace mcpd::tracking::frames {
namespace {

// Keyframes mode scores at most this many candidates (a 5.5 h video at the 1 s default step): the scores
// are kept in memory and the selection is quadratic in the worst case.
constexpr std::size_t max_keyframe_candidates = 20'000;

std::optional<std::int64_t> effective_end(const frame_request& request,
                                          const video::video_source_info& source) {
  std::optional<std::int64_t> end = request.end_ms;
  if (source.duration_ms) end = end ? std::min(*end, *source.duration_ms) : *source.duration_ms;
  return end;
}

// Sample times start, start+step, ... before `end`: how many there are, when the end is known.
std::optional<std::size_t> sample_count(const frame_request& request, std::optional<std::int64_t> end) {
  if (!end) return std::nullopt;
  if (*end <= request.start_ms) return 0;
  return static_cast<std::size_t>((*end - request.start_ms + request.step_ms - 1) / request.step_ms);
}

void check_cancelled(const extraction_observer& observer) {
  if (observer.cancelled && observer.cancelled()) throw video::video_cancelled();
}

void report(const extraction_observer& observer, double done, std::optional<double> total,
            std::string_view message) {
  if (observer.progress) observer.progress(done, total, message);
}

// Walks the sample times of `request` and calls visit(frame, ts_ms, sample_ms) once per distinct decoded
// frame, until `keep_going` says stop, the range ends or the video does.
template <typename Visit, typename KeepGoing>
void for_each_sample(video::frame_sampler& sampler, const frame_request& request,
                     std::optional<std::int64_t> end, std::size_t limit, const extraction_observer& observer,
                     KeepGoing keep_going, Visit visit) {
  std::int64_t last_ts = -1;
  for (std::size_t i = 0; i < limit && keep_going(); ++i) {
    const std::int64_t t = request.start_ms + static_cast<std::int64_t>(i) * request.step_ms;
    if (request.end_ms && t >= *request.end_ms) break;
    if (end && t >= *end && i > 0) break;
    check_cancelled(observer);
    std::int64_t ts = 0;
    const AVFrame* frame = sampler.frame_at(t, ts);
    if (frame == nullptr) break;
    if (ts == last_ts) continue;  // steps shorter than a frame: the same picture once
    last_ts = ts;
    visit(*frame, ts, t);
  }
}

// How frames of this video are shown and redacted.
struct frame_view {
  frame_geometry geometry;
  double redaction_pad = 0;  // source pixels added around each redaction box
};

// Two source pixels cover what 4:2:0 chroma (half resolution, smoothed by the scaler) lets bleed out.
frame_view view_of(const video::video_source_info& source) {
  return {{source.rotation, source.sample_aspect_ratio}, source.chroma_subsampled ? 2.0 : 0.0};
}

// Scales, turns and redacts one frame; the image waits in `tile` for the PNG encoder or the contact sheet.
extracted_frame render(const AVFrame& frame, std::int64_t ts_ms, std::int64_t sample_ms, double score,
                       frame_scaler& scaler, const frame_view& view, const frame_request& request) {
  rgb_image image = scaler.to_rgb(frame);
  const image_size shown = frame_scaler::displayed(frame.width, frame.height, view.geometry);
  extracted_frame out;
  out.ts_ms = ts_ms;
  out.sample_ms = sample_ms;
  out.width = image.width;
  out.height = image.height;
  out.scene_score = score;
  out.redacted = paint_redactions(image, request.redactions, shown.width, shown.height, view.redaction_pad);
  out.tile = std::move(image);
  return out;
}

// Notes where the frames ended when decoding ran out of them well before the duration the file claims, or
// reading failed: a truncated or damaged file.
void note_early_end(const video::frame_sampler& sampler, const video::video_source_info& source,
                    const video::read_damage& damage, std::optional<std::int64_t>& frames_end_ms) {
  if (!sampler.reached_end() || sampler.last_frame_ms() < 0) return;
  const auto claimed = source.claimed_length_ms();
  const double interval = source.fps && *source.fps > 0 ? 1000.0 / *source.fps : 0.0;
  const auto slack = static_cast<std::int64_t>(std::max(500.0, 3 * interval));
  if (damage.read_error || (claimed && sampler.last_frame_ms() + slack < *claimed))
    frames_end_ms = sampler.last_frame_ms();
}

// The frame width to render at: max_width, or the tile width when `count` frames share a contact sheet.
int render_width(const frame_request& request, std::size_t count) {
  return request.contact_sheet
             ? std::min(request.max_width, contact_sheet_tile_width(count, request.max_width))
             : request.max_width;
}

// Tiles the frames' images into one PNG (the frames keep their metadata). The sheet is one image: when it
// alone is over the byte cap, that is an error the caller can fix with a smaller max_width.
void build_contact_sheet(const frame_request& request, frame_extraction& result) {
  if (!request.contact_sheet || result.frames.empty()) return;
  std::vector<rgb_image> tiles;
  std::vector<std::int64_t> times;
  for (auto& frame : result.frames) {
    tiles.push_back(std::move(frame.tile));
    times.push_back(frame.ts_ms);
    frame.tile = {};
  }
  const rgb_image sheet = tile_contact_sheet(tiles, times);
  result.contact_sheet_png = encode_png(sheet);
  result.contact_sheet_width = sheet.width;
  if (result.contact_sheet_png.size() > request.max_total_bytes) {
    throw video::video_error(
        "the contact sheet (" + std::to_string(result.contact_sheet_png.size()) +
        " bytes) is over max_response_bytes; ask for a smaller max_width or fewer frames");
  }
}

// Adds `frame` unless it would push the response over the byte cap; once one frame did not fit, every
// later one is dropped too, so the frames returned are a prefix in time and the note is simple.
class size_budget {
 public:
  explicit size_budget(std::size_t cap) : cap_(cap) {}
  bool exhausted() const { return exhausted_; }
  void offer(extracted_frame frame, frame_extraction& result) {
    if (!exhausted_ && used_ + frame.png.size() <= cap_) {
      used_ += frame.png.size();
      result.frames.push_back(std::move(frame));
      return;
    }
    exhausted_ = true;
    ++result.dropped_for_size;
  }

 private:
  std::size_t cap_;
  std::size_t used_ = 0;
  bool exhausted_ = false;
};

// Takes rendered frames in time order, encodes their PNGs on helper threads while the caller decodes the
// next frames, and hands them to the byte budget in the same order. PNG encoding is about half the work on
// 720p screen content and the decoder's threads would idle meanwhile; two frames in flight keep both cores
// busy with at most three images in memory.
class frame_collector {
 public:
  frame_collector(const frame_request& request, frame_extraction& result)
      : budget_(request.max_total_bytes), result_(result), contact_sheet_(request.contact_sheet) {}
  frame_collector(const frame_collector&) = delete;
  frame_collector& operator=(const frame_collector&) = delete;

  // True once a frame did not fit: later frames need not be rendered (drop() them instead).
  bool exhausted() const { return budget_.exhausted(); }
  void drop() { ++result_.dropped_for_size; }

  void add(extracted_frame frame) {
    if (contact_sheet_) {
      result_.frames.push_back(std::move(frame));
      return;
    }
    pending_.push_back(std::async(std::launch::async, [frame = std::move(frame)]() mutable {
      frame.png = encode_png(frame.tile);
      frame.tile = {};
      return frame;
    }));
    while (pending_.size() > max_in_flight) settle_oldest();
  }

  // Waits for the encoders; the frames are then in the result.
  void finish() {
    while (!pending_.empty()) settle_oldest();
  }

 private:
  static constexpr std::size_t max_in_flight = 2;

  void settle_oldest() {
    auto encoded = pending_.front().get();  // rethrows an encoder failure
    pending_.pop_front();
    budget_.offer(std::move(encoded), result_);
  }

  size_budget budget_;
  frame_extraction& result_;
  bool contact_sheet_;
  std::deque<std::future<extracted_frame>> pending_;
};

void no_frames_error(const frame_request& request, const video::video_source_info& source,
                     std::int64_t decoded) {
  if (decoded == 0) {
    throw video::video_error("no frame of the video could be decoded (the file is damaged or truncated)");
  }
  std::string message = "no frame at or after start_ms " + std::to_string(request.start_ms);
  if (source.duration_ms) message += ": the video lasts " + std::to_string(*source.duration_ms) + " ms";
  throw video::video_error(message);
}

// What one interval run over a video found.
struct interval_run {
  video::video_source_info source;
  std::int64_t frames_decoded = 0;
  std::size_t sampled = 0;
  video::read_damage damage;
  std::optional<std::int64_t> frames_end_ms;
};

// Decodes one frame every step_ms from start_ms, at most max_frames, and hands each distinct one to
// visit(frame, ts, sample_ms, scaler, view) with a scaler width_for(expected frame count) wide. Throws
// video_error when nothing was sampled.
template <typename Width, typename Visit>
interval_run run_interval(const std::string& path, const frame_request& request,
                          const extraction_observer& observer, Width width_for, Visit visit) {
  video::video_reader reader(path, request.max_frame_pixels);
  interval_run run;
  run.source = reader.info();
  const frame_view view = view_of(run.source);
  const auto end = effective_end(request, run.source);
  const auto expected = sample_count(request, end);
  const double total =
      static_cast<double>(expected ? std::min(*expected, request.max_frames) : request.max_frames);
  video::frame_sampler sampler(reader, observer.cancelled);
  frame_scaler scaler(width_for(static_cast<std::size_t>(total)), request.max_height, view.geometry);
  report(observer, 0, total, "decoding");
  for_each_sample(
      sampler, request, end, static_cast<std::size_t>(-1), observer,
      [&] { return run.sampled < request.max_frames; },
      [&](const AVFrame& frame, std::int64_t ts, std::int64_t sample_ms) {
        ++run.sampled;
        visit(frame, ts, sample_ms, scaler, view);
        report(observer, static_cast<double>(run.sampled), std::max(total, static_cast<double>(run.sampled)),
               "decoded frame " + std::to_string(run.sampled));
      });
  run.frames_decoded = sampler.frames_decoded();
  if (run.sampled == 0) no_frames_error(request, run.source, sampler.frames_decoded());
  run.damage = reader.damage();
  note_early_end(sampler, run.source, run.damage, run.frames_end_ms);
  return run;
}

frame_extraction extract_interval(const std::string& path, const frame_request& request,
                                  const extraction_observer& observer) {
  frame_extraction result;
  scene_scorer scorer;
  frame_collector collector(request, result);
  const interval_run run = run_interval(
      path, request, observer, [&](std::size_t count) { return render_width(request, count); },
      [&](const AVFrame& frame, std::int64_t ts, std::int64_t sample_ms, frame_scaler& scaler,
          const frame_view& view) {
        const double score = scorer.score(scaler.to_luma_thumbnail(frame));
        if (collector.exhausted()) {
          collector.drop();
        } else {
          collector.add(render(frame, ts, sample_ms, score, scaler, view, request));
        }
      });
  collector.finish();
  result.source = run.source;
  result.frames_decoded = run.frames_decoded;
  result.damage = run.damage;
  result.frames_end_ms = run.frames_end_ms;
  build_contact_sheet(request, result);
  return result;
}

frame_extraction extract_keyframes(const std::string& path, const frame_request& request,
                                   const extraction_observer& observer) {
  frame_extraction result;
  std::vector<scored_sample> samples;
  std::optional<std::size_t> expected;
  {
    // Pass 1: score every candidate on small luma thumbnails (cheap), keep only the scores.
    video::video_reader reader(path, request.max_frame_pixels);
    result.source = reader.info();
    const auto end = effective_end(request, result.source);
    expected = sample_count(request, end);
    video::frame_sampler sampler(reader, observer.cancelled);
    frame_scaler scaler(request.max_width, request.max_height);
    scene_scorer scorer;
    const double total = static_cast<double>(expected.value_or(0) + request.max_frames);
    report(observer, 0, expected ? std::optional<double>(total) : std::nullopt, "scoring scene changes");
    for_each_sample(
        sampler, request, end, max_keyframe_candidates, observer, [] { return true; },
        [&](const AVFrame& frame, std::int64_t ts, std::int64_t) {
          samples.push_back({ts, scorer.score(scaler.to_luma_thumbnail(frame))});
          report(observer, static_cast<double>(samples.size()),
                 expected ? std::optional<double>(std::max(total, static_cast<double>(samples.size())))
                          : std::nullopt,
                 "scored " + std::to_string(samples.size()) + " samples");
        });
    result.frames_decoded = sampler.frames_decoded();
    if (samples.empty()) no_frames_error(request, result.source, sampler.frames_decoded());
    result.damage = reader.damage();
    note_early_end(sampler, result.source, result.damage, result.frames_end_ms);
  }

  // Any two samples may both be picked: a wizard's pages a step apart are each a change worth showing.
  const std::vector<std::size_t> chosen = select_keyframes(samples, request.max_frames, request.step_ms);

  // Pass 2: decode just the chosen frames again (seeking where the index allows) and render them.
  video::video_reader reader(path, request.max_frame_pixels);
  video::frame_sampler sampler(reader, observer.cancelled);
  const frame_view view = view_of(reader.info());
  frame_scaler scaler(render_width(request, chosen.size()), request.max_height, view.geometry);
  frame_collector collector(request, result);
  const double done_before = static_cast<double>(samples.size());
  const double total = done_before + static_cast<double>(chosen.size());
  std::size_t rendered = 0;
  for (std::size_t index : chosen) {
    check_cancelled(observer);
    if (collector.exhausted()) {
      collector.drop();
      continue;
    }
    std::int64_t ts = 0;
    const AVFrame* frame = sampler.frame_at(samples[index].ts_ms, ts);
    if (frame == nullptr) break;
    collector.add(render(*frame, ts, samples[index].ts_ms, samples[index].score, scaler, view, request));
    ++rendered;
    report(observer, done_before + static_cast<double>(rendered), total,
           "rendered keyframe " + std::to_string(rendered) + " of " + std::to_string(chosen.size()));
  }
  collector.finish();
  result.frames_decoded += sampler.frames_decoded();
  build_contact_sheet(request, result);
  return result;
}

}  // namespace

frame_extraction extract_frames(const std::string& path, const frame_request& request,
                                const extraction_observer& observer) {
  frame_request checked = request;
  checked.step_ms = std::max<std::int64_t>(1, request.step_ms);
  checked.start_ms = std::max<std::int64_t>(0, request.start_ms);
  if (checked.max_frames == 0) checked.max_frames = 1;
  return checked.mode == sampling_mode::keyframes ? extract_keyframes(path, checked, observer)
                                                  : extract_interval(path, checked, observer);
}

video::video_source_info render_interval(const std::string& path, const frame_request& request,
                                         const extraction_observer& observer,
                                         const std::function<void(extracted_frame&&)>& on_frame) {
  frame_request checked = request;
  checked.step_ms = std::max<std::int64_t>(1, request.step_ms);
  checked.start_ms = std::max<std::int64_t>(0, request.start_ms);
  return run_interval(
             path, checked, observer, [&](std::size_t) { return checked.max_width; },
             [&](const AVFrame& frame, std::int64_t ts, std::int64_t sample_ms, frame_scaler& scaler,
                 const frame_view& view) {
               on_frame(render(frame, ts, sample_ms, 0, scaler, view, checked));
             })
      .source;
}

}  // namespace mcpd::tracking::frames
