// Videos for the frame tests, made at test time with the ffmpeg CLI (Debian's ffmpeg package): solid colour
// spans with known change times, so frame timestamps and scene changes can be asserted exactly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace video_fixtures {

// A fresh directory under the system temp dir, removed with its contents.
class scratch_dir {
 public:
  scratch_dir();
  ~scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The whole content of a file, as bytes ("" when it cannot be read).
std::string file_bytes(const std::filesystem::path& path);

struct colour_span {
  std::string colour;  // an ffmpeg colour name: red, lime, blue, white, yellow, ...
  int seconds = 1;
};

// Encoder arguments: H.264 with a keyframe every `gop` frames and none at scene changes.
std::string h264(int gop);
// VP9 / VP8 in real time mode (fast), one keyframe every `gop` frames.
std::string vp9(int gop);
std::string vp8(int gop);

// Concatenated colour spans, `fps` frames per second, encoded with `codec_args` into dir/name. `output`
// may be "pipe" to write through a pipe (a WebM without Cues and duration, like MediaRecorder's).
std::filesystem::path colour_video(const std::filesystem::path& dir, const std::string& name,
                                   const std::vector<colour_span>& spans, int width, int height, int fps,
                                   const std::string& codec_args, bool through_pipe = false);

// ffmpeg's testsrc2 (detailed, moving content) for `seconds`.
std::filesystem::path pattern_video(const std::filesystem::path& dir, const std::string& name, int width,
                                    int height, int fps, int seconds, const std::string& codec_args);

// A video of `frames` frames whose frame k shows k in binary as 8 blocks across (bit 0 leftmost; white for
// 1, black for 0), so a test reads which frame it got. Frame k is at `pts_seconds` (an ffmpeg expression in
// N, the frame number), in a millisecond time base: irregular times make a variable frame rate video.
std::filesystem::path counter_video(const std::filesystem::path& dir, const std::string& name, int frames,
                                    const std::string& pts_seconds, int width, int height,
                                    const std::string& codec_args);

// One frame of solid RGB `hex` (e.g. "0xE03030") per 100 ms for a second, converted to YUV by
// `to_yuv` (an ffmpeg filter chain from rgb24, e.g. "scale=out_color_matrix=bt709,format=yuv420p").
std::filesystem::path solid_video(const std::filesystem::path& dir, const std::string& name,
                                  const std::string& hex, int width, int height, const std::string& to_yuv,
                                  const std::string& codec_args);

// Quadrants of a still picture, 1 s at 10 fps: top left red, top right lime, bottom left blue, bottom right
// white. Shows which way a frame was turned.
std::filesystem::path quadrant_video(const std::filesystem::path& dir, const std::string& name, int width,
                                     int height, const std::string& codec_args);

// Runs an ffmpeg command line (arguments after "ffmpeg -nostdin -loglevel error -y"); the test fails when
// it does.
void ffmpeg(const std::string& arguments);

// A PNG decoded to 8-bit RGB.
struct decoded_png {
  unsigned width = 0;
  unsigned height = 0;
  std::vector<std::uint8_t> rgb;
  const std::uint8_t* at(unsigned x, unsigned y) const {
    return rgb.data() + (std::size_t{y} * width + x) * 3;
  }
};
decoded_png decode_png(const std::vector<std::uint8_t>& png);

// The colour name a pixel is closest to among red, lime, blue, white, black, yellow.
std::string colour_name(const std::uint8_t* rgb);

// The frame number counter_video drew into `image` (read along its middle row); -1 when a block is
// neither black nor white.
int counter_of(const decoded_png& image);

}  // namespace video_fixtures
