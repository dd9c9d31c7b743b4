// Keyframes mode on screen content: the changes people make on a screen are local (a toast, a typed
// character, a modal) or come one after the other (a wizard's pages), and sit among encoder noise (a
// keyframe every 2 s re-encodes the whole unchanged page). Each video is 1280x720, 10 fps, 10 s, drawn with
// ffmpeg's geq from the time T; the test asserts exactly which samples are picked.
#include <catch2/catch.hpp>

#include "frames/frame_extraction.hpp"
#include "test_videos.hpp"

using namespace mcpd::tracking;
using namespace video_fixtures;
namespace fs = std::filesystem;

namespace {

// A page of "text": short dark dashes on light rows, like lines of a form. `offset` shifts them (another
// page).
std::string text_page(const std::string& offset) {
  return "if(lt(mod(Y+" + offset + "*7,28),10)*lt(mod(X+" + offset + "*37,90),60)*gt(mod(X,9),2),40,230)";
}

// Draws `luma` (an expression in X, Y and T) for 10 s at 10 fps into dir/name: H.264 with a keyframe every
// 2 s, at a quality where the re-encoded page differs from the one before by a few levels.
fs::path screen_video(const fs::path& dir, const std::string& name, const std::string& luma) {
  const fs::path out = dir / name;
  ffmpeg("-f lavfi -i \"nullsrc=s=1280x720:r=10:d=10,geq=lum='" + luma +
         "':cb=128:cr=128\" -c:v libx264 -preset veryfast -crf 30 -g 20 -keyint_min 20 -sc_threshold 0 "
         "-pix_fmt yuv420p '" +
         out.string() + "'");
  return out;
}

// 1 inside the rectangle [x0, x1) x [y0, y1) from time `from` seconds on, else 0.
std::string shown(int x0, int y0, int x1, int y1, double from) {
  return "(gte(T," + std::to_string(from) + ")*gte(X," + std::to_string(x0) + ")*lt(X," + std::to_string(x1) +
         ")*gte(Y," + std::to_string(y0) + ")*lt(Y," + std::to_string(y1) + "))";
}

std::vector<std::int64_t> picked(const fs::path& video, std::size_t max_frames) {
  frames::frame_request request;
  request.mode = frames::sampling_mode::keyframes;
  request.step_ms = 1000;
  request.max_frames = max_frames;
  const auto result = frames::extract_frames(video.string(), request);
  std::vector<std::int64_t> times;
  for (const auto& frame : result.frames) times.push_back(frame.ts_ms);
  return times;
}

}  // namespace

TEST_CASE("keyframes: every page of a wizard that moves on each second", "[frames][keyframes]") {
  scratch_dir dir;
  // Page 0 until 2 s, then pages 1, 2, 3 and 4 a second apart, the last one until the end.
  const auto video = screen_video(dir.path(), "wizard.mp4", text_page("clip(floor(T)-1,0,4)"));
  CHECK(picked(video, 6) == std::vector<std::int64_t>{0, 2000, 3000, 4000, 5000, 9000});
}

TEST_CASE("keyframes: a toast, one typed character and a modal, not the encoder's noise",
          "[frames][keyframes]") {
  scratch_dir dir;
  // A toast in the bottom right corner at 2 s, one character typed into a field at 5 s (8 x 14 pixels),
  // a modal in the middle at 7 s. Keyframes at 0, 2, 4, 6 and 8 s re-encode the page in between.
  const std::string luma = "if(" + shown(340, 160, 940, 560, 7) + ",250,if(" +
                           shown(1000, 620, 1240, 680, 2) + ",70,if(" + shown(200, 100, 208, 114, 5) +
                           ",20," + text_page("0") + ")))";
  const auto video = screen_video(dir.path(), "local-changes.mp4", luma);
  CHECK(picked(video, 5) == std::vector<std::int64_t>{0, 2000, 5000, 7000, 9000});
  // With room for one more, the biggest gap is split (5 s to 7 s has none left to split but 2 s to 5 s).
  const auto six = picked(video, 6);
  REQUIRE(six.size() == 6);
  for (std::int64_t change : {0, 2000, 5000, 7000, 9000})
    CHECK(std::count(six.begin(), six.end(), change) == 1);
}
