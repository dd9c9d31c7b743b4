// The frame pipeline on videos made the way real recorders make them: variable frame rate with long gaps
// and B-frames, colour tags (none, BT.601, BT.709, full range, 10-bit), rotation and non-square pixels, a
// first frame that is not at 0, the last frame, truncated files and frames over the pixel limit. Each
// video's frames carry their own number (counter_video) or known colours, so every check names the exact
// frame or colour expected.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "frames/frame_extraction.hpp"
#include "test_videos.hpp"
#include "video/video_error.hpp"

using namespace mcpd::tracking;
using namespace video_fixtures;
namespace fs = std::filesystem;

namespace {

frames::frame_request every(std::int64_t step_ms, std::int64_t start_ms = 0) {
  frames::frame_request request;
  request.step_ms = step_ms;
  request.start_ms = start_ms;
  return request;
}

struct seen_frame {
  std::int64_t ts_ms;
  int counter;
  bool operator==(const seen_frame&) const = default;
};

std::ostream& operator<<(std::ostream& out, const seen_frame& frame) {
  return out << "{" << frame.ts_ms << " ms, frame " << frame.counter << "}";
}

std::vector<seen_frame> seen(const frames::frame_extraction& result) {
  std::vector<seen_frame> frames;
  for (const auto& frame : result.frames) frames.push_back({frame.ts_ms, counter_of(decode_png(frame.png))});
  return frames;
}

// An ffmpeg expression for frame N's time in seconds from a list of times in milliseconds.
std::string times_expression(const std::vector<int>& times_ms) {
  std::string expression = std::to_string(times_ms.back() / 1000.0);
  for (std::size_t k = times_ms.size() - 1; k-- > 0;)
    expression =
        "if(eq(N," + std::to_string(k) + ")," + std::to_string(times_ms[k] / 1000.0) + "," + expression + ")";
  return expression;
}

// The frame on screen at t: the last one at or before it.
int on_screen(const std::vector<int>& times_ms, std::int64_t t) {
  int shown = 0;
  for (std::size_t k = 0; k < times_ms.size(); ++k)
    if (times_ms[k] <= t) shown = static_cast<int>(k);
  return shown;
}

const std::string x264_fast = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p";
// B-frames (non-reference frames the decoder may skip), as libx264's defaults write them.
const std::string x264_bframes = "-c:v libx264 -preset veryfast -bf 3 -pix_fmt yuv420p";

}  // namespace

TEST_CASE("variable frame rate: each sample is the frame on screen then, never one from the future",
          "[frames][vfr]") {
  scratch_dir dir;
  // Bursts and long pauses, like a screen recorder that writes a frame only when something changes.
  const std::vector<int> times = {0, 40, 80, 1500, 1540, 3200, 3300, 6000, 9000};
  const auto expression = times_expression(times);
  for (const auto& [name, codec] : {std::pair{"vfr.mp4", x264_fast}, std::pair{"vfr-b.mp4", x264_bframes},
                                    std::pair{"vfr.webm", vp8(1000)}}) {
    INFO(name);
    const auto video =
        counter_video(dir.path(), name, static_cast<int>(times.size()), expression, 320, 240, codec);
    const auto result = frames::extract_frames(video.string(), every(500));
    std::vector<seen_frame> expected;
    for (std::int64_t t = 0; t <= 9000; t += 500) {
      const int frame = on_screen(times, t);
      if (expected.empty() || expected.back().counter != frame) expected.push_back({times[frame], frame});
    }
    CHECK(seen(result) == expected);
  }
}

TEST_CASE("skipping non-reference frames never skips the one on screen", "[frames][vfr]") {
  scratch_dir dir;
  // 50 frames at 25 fps, a pause of 3 s, then 25 more: the last frame before the pause (a B-frame) is on
  // screen for 3 s.
  const auto video = counter_video(dir.path(), "pause.mp4", 75, "if(lt(N,50),N*0.04,5+(N-50)*0.04)", 320, 240,
                                   x264_bframes + " -g 1000");
  const auto result = frames::extract_frames(video.string(), every(1000));
  // Samples at 0 to 5000 ms (the video ends at 6000 ms): 2000, 3000 and 4000 ms all show frame 49.
  CHECK(seen(result) == std::vector<seen_frame>{{0, 0}, {1000, 25}, {1960, 49}, {5000, 50}});
}

TEST_CASE("the first frame at 5 s: times and duration count from it, and the last frame is reachable",
          "[frames][edges]") {
  scratch_dir dir;
  for (const char* name : {"late.mp4", "late.mkv"}) {
    INFO(name);
    const auto video =
        counter_video(dir.path(), name, 30, "N*0.1", 320, 240, x264_fast + " -g 10 -output_ts_offset 5");
    const auto all = frames::extract_frames(video.string(), every(1000));
    REQUIRE(all.source.duration_ms);
    CHECK(*all.source.duration_ms == 3000);
    CHECK(seen(all) == std::vector<seen_frame>{{0, 0}, {1000, 10}, {2000, 20}});
    CHECK_FALSE(all.frames_end_ms);  // nothing is missing

    // The last frame is on screen until the end: start_ms just before it still finds it.
    const auto last = frames::extract_frames(video.string(), every(1000, 2999));
    CHECK(seen(last) == std::vector<seen_frame>{{2900, 29}});
    CHECK_THROWS_WITH(frames::extract_frames(video.string(), every(1000, 3000)),
                      Catch::Contains("the video lasts 3000 ms"));
  }
}

TEST_CASE("colours come back as they went in: untagged, BT.601, BT.709, full range, 10-bit",
          "[frames][colour]") {
  scratch_dir dir;
  struct variant {
    const char* name;
    int width, height;
    std::string to_yuv;
    std::string codec;
  };
  // Lossless encoding: only the YUV conversion is under test, not the encoder's quantisation.
  const std::string lossless = x264_fast + " -qp 0";
  const std::vector<variant> variants = {
      // What PostHog's exporter writes: untagged libx264 yuv420p, converted with ffmpeg's default (BT.601).
      {"untagged-720p.mp4", 1280, 720, "format=yuv420p", lossless},
      {"untagged-small.mp4", 320, 240, "format=yuv420p", lossless},
      {"bt601.mp4", 1280, 720, "scale=out_color_matrix=bt601,format=yuv420p",
       lossless + " -colorspace smpte170m -color_primaries smpte170m -color_trc smpte170m"},
      {"bt709.mp4", 1280, 720, "scale=out_color_matrix=bt709,format=yuv420p",
       lossless + " -colorspace bt709 -color_primaries bt709 -color_trc bt709"},
      {"bt709-small.mp4", 320, 240, "scale=out_color_matrix=bt709,format=yuv420p",
       lossless + " -colorspace bt709"},
      {"full-range.mp4", 1280, 720, "scale=out_range=full,format=yuvj420p",
       "-c:v libx264 -preset ultrafast -qp 0 -color_range pc"},
      {"10-bit.mp4", 1280, 720, "format=yuv420p10le",
       "-c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv420p10le"},
      {"vp9-bt709.webm", 1280, 720, "scale=out_color_matrix=bt709,format=yuv420p",
       "-c:v libvpx-vp9 -lossless 1 -deadline realtime -cpu-used 8 -pix_fmt yuv420p -colorspace bt709"},
  };
  const int red[3] = {224, 48, 48};
  const int blue[3] = {40, 80, 200};
  for (const auto& v : variants) {
    for (const auto* colour : {red, blue}) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%02X%02X%02X", colour[0], colour[1], colour[2]);
      INFO(v.name << " " << hex);
      const auto video =
          solid_video(dir.path(), std::string(hex) + v.name, hex, v.width, v.height, v.to_yuv, v.codec);
      const auto result = frames::extract_frames(video.string(), every(1000));
      REQUIRE(result.frames.size() == 1);
      const auto png = decode_png(result.frames[0].png);
      const auto* pixel = png.at(png.width / 2, png.height / 2);
      INFO("got (" << int{pixel[0]} << "," << int{pixel[1]} << "," << int{pixel[2]} << ")");
      // 8-bit YUV 4:2:0 cannot carry every RGB value back exactly; 3 levels is its rounding.
      for (int c = 0; c < 3; ++c) CHECK(std::abs(int{pixel[c]} - colour[c]) <= 3);
    }
  }
}

TEST_CASE("rotation and non-square pixels: frames come out the way ffmpeg shows them", "[frames][geometry]") {
  scratch_dir dir;
  const auto upright = quadrant_video(dir.path(), "upright.mp4", 320, 240, x264_fast);
  // The way ffmpeg shows a video (autorotate, then square pixels): the truth to compare with.
  const auto ffmpeg_shows = [&](const fs::path& video) {
    const auto png = dir.path() / (video.stem().string() + "-ffmpeg.png");
    ffmpeg("-i '" + video.string() + "' -frames:v 1 -vf 'scale=trunc(iw*sar/2)*2:ih,setsar=1' '" +
           png.string() + "'");
    const auto bytes = file_bytes(png);
    return decode_png(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
  };
  const auto quadrants = [](const decoded_png& png) {
    std::vector<std::string> names;
    for (unsigned y : {png.height / 4, 3 * png.height / 4})
      for (unsigned x : {png.width / 4, 3 * png.width / 4}) names.push_back(colour_name(png.at(x, y)));
    return names;
  };

  for (int rotate : {90, 180, 270}) {
    INFO("rotate=" << rotate);
    const auto turned = dir.path() / ("rotate" + std::to_string(rotate) + ".mp4");
    ffmpeg("-i '" + upright.string() + "' -c copy -metadata:s:v:0 rotate=" + std::to_string(rotate) + " '" +
           turned.string() + "'");
    const auto truth = ffmpeg_shows(turned);
    const auto result = frames::extract_frames(turned.string(), every(1000));
    REQUIRE(result.frames.size() == 1);
    CHECK(result.source.rotation == (rotate == 180 ? 180 : 360 - rotate));
    const auto png = decode_png(result.frames[0].png);
    CHECK(png.width == truth.width);
    CHECK(png.height == truth.height);
    CHECK(quadrants(png) == quadrants(truth));
  }

  // A 2:1 pixel aspect ratio: 320x240 coded, 640x240 shown.
  const auto wide = quadrant_video(dir.path(), "sar.mp4", 320, 240, x264_fast + " -vf setsar=2");
  const auto result = frames::extract_frames(wide.string(), every(1000));
  REQUIRE(result.frames.size() == 1);
  CHECK(result.source.sample_aspect_ratio == 2.0);
  CHECK(result.frames[0].width == 640);
  CHECK(result.frames[0].height == 240);
  CHECK(quadrants(decode_png(result.frames[0].png)) == quadrants(ffmpeg_shows(wide)));
}

TEST_CASE("a portrait video is bounded by max_height, a landscape one by max_width", "[frames][geometry]") {
  scratch_dir dir;
  const auto portrait = quadrant_video(dir.path(), "portrait.mp4", 360, 640, x264_fast);
  auto request = every(1000);
  request.max_width = 1280;
  request.max_height = 320;
  const auto tall = frames::extract_frames(portrait.string(), request);
  REQUIRE(tall.frames.size() == 1);
  CHECK(tall.frames[0].width == 180);
  CHECK(tall.frames[0].height == 320);

  const auto landscape = quadrant_video(dir.path(), "landscape.mp4", 640, 360, x264_fast);
  request.max_width = 320;
  request.max_height = 1280;
  const auto wide = frames::extract_frames(landscape.string(), request);
  REQUIRE(wide.frames.size() == 1);
  CHECK(wide.frames[0].width == 320);
  CHECK(wide.frames[0].height == 180);
}

TEST_CASE("redaction boxes are in the frame as shown, and padded on 4:2:0 video", "[frames][geometry]") {
  scratch_dir dir;
  const auto upright = quadrant_video(dir.path(), "upright.mp4", 320, 240, x264_fast);
  const auto turned = dir.path() / "turned.mp4";
  ffmpeg("-i '" + upright.string() + "' -c copy -metadata:s:v:0 rotate=90 '" + turned.string() + "'");
  auto request = every(1000);
  // The top left quadrant of the frame as shown (240 x 320): 120 x 160.
  request.redactions.push_back({frames::redaction_box::unit::source_pixels, 0, 0, 120, 160});
  const auto result = frames::extract_frames(turned.string(), request);
  REQUIRE(result.frames.size() == 1);
  CHECK(result.frames[0].redacted);
  const auto png = decode_png(result.frames[0].png);
  REQUIRE(png.width == 240);
  // Black up to two pixels past the box (chroma bleed), untouched colour beyond.
  for (unsigned y : {0u, 80u, 161u}) CHECK(colour_name(png.at(121, y)) == "black");
  CHECK(colour_name(png.at(124, 40)) != "black");
  CHECK(colour_name(png.at(40, 164)) != "black");
}

TEST_CASE("a truncated file gives the frames it has and says where they end", "[frames][edges]") {
  scratch_dir dir;
  for (const char* name : {"cut.mp4", "cut.mkv"}) {
    INFO(name);
    const auto video =
        counter_video(dir.path(), name, 100, "N*0.1", 320, 240, x264_fast + " -g 10 -movflags +faststart");
    const auto cut = dir.path() / (std::string("truncated-") + name);
    fs::copy_file(video, cut);
    fs::resize_file(cut, fs::file_size(video) * 6 / 10);
    const auto result = frames::extract_frames(cut.string(), every(1000));
    REQUIRE_FALSE(result.frames.empty());
    CHECK(result.frames.size() < 10);
    // Every frame returned is the right one for its time.
    for (const auto& frame : seen(result)) CHECK(frame.counter == frame.ts_ms / 100);
    REQUIRE(result.frames_end_ms);
    CHECK(*result.frames_end_ms < 9000);
    CHECK(*result.frames_end_ms >= result.frames.back().ts_ms);
  }
}

TEST_CASE("frames over the pixel limit are refused before decoding, saying what to do", "[frames][edges]") {
  scratch_dir dir;
  const auto video = quadrant_video(dir.path(), "big.mp4", 640, 480, x264_fast);
  auto request = every(1000);
  request.max_frame_pixels = 640 * 480 - 1;
  CHECK_THROWS_WITH(
      frames::extract_frames(video.string(), request),
      Catch::Contains("640 x 480 (307,200 pixels), over the limit of 307,199 pixels per frame") &&
          Catch::Contains("max_frame_pixels"));
  request.max_frame_pixels = 640 * 480;
  CHECK(frames::extract_frames(video.string(), request).frames.size() == 1);
}
