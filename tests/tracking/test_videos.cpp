#include "test_videos.hpp"

#include <lodepng.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

namespace video_fixtures {
namespace fs = std::filesystem;

scratch_dir::scratch_dir() {
  std::random_device random;
  path_ = fs::temp_directory_path() / ("mcpd-frames-" + std::to_string(random()) + std::to_string(random()));
  fs::create_directories(path_);
}

scratch_dir::~scratch_dir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string h264(int gop) {
  const std::string g = std::to_string(gop);
  return "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -g " + g + " -keyint_min " + g + " -sc_threshold 0";
}

std::string vp9(int gop) {
  return "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -row-mt 1 -b:v 300k -pix_fmt yuv420p -g " +
         std::to_string(gop);
}

std::string vp8(int gop) {
  return "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 300k -pix_fmt yuv420p -g " + std::to_string(gop);
}

namespace {

void run(const std::string& command) {
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
}

}  // namespace

fs::path colour_video(const fs::path& dir, const std::string& name, const std::vector<colour_span>& spans,
                      int width, int height, int fps, const std::string& codec_args, bool through_pipe) {
  std::ostringstream graph;
  std::string labels;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    graph << "color=c=" << spans[i].colour << ":s=" << width << "x" << height << ":r=" << fps
          << ":d=" << spans[i].seconds << "[s" << i << "];";
    labels += "[s" + std::to_string(i) + "]";
  }
  graph << labels << "concat=n=" << spans.size() << ":v=1:a=0[out0]";
  const fs::path out = dir / name;
  std::string command = "ffmpeg -nostdin -loglevel error -y -f lavfi -i '" + graph.str() + "' " + codec_args;
  if (through_pipe) {
    command += " -f webm pipe:1 > '" + out.string() + "'";
  } else {
    command += " '" + out.string() + "'";
  }
  run(command);
  return out;
}

void ffmpeg(const std::string& arguments) {
  run("ffmpeg -nostdin -loglevel error -y " + arguments);
}

// The filter graphs go in double quotes for the shell, so ffmpeg's own single quotes can protect the commas
// inside expressions.
fs::path counter_video(const fs::path& dir, const std::string& name, int frames,
                       const std::string& pts_seconds, int width, int height, const std::string& codec_args) {
  const fs::path out = dir / name;
  // nullsrc numbers the frames; geq draws bit k of N in the k-th eighth of the width.
  ffmpeg("-f lavfi -i \"nullsrc=s=" + std::to_string(width) + "x" + std::to_string(height) +
         ":r=25:d=" + std::to_string(frames / 25.0 + 1) +
         ",geq=lum='if(mod(floor(N/pow(2,floor(X*8/W))),2),235,16)':cb=128:cr=128"
         ",settb=1/1000,setpts='(" +
         pts_seconds + ")/TB'\" -frames:v " + std::to_string(frames) + " -fps_mode passthrough " +
         codec_args + " '" + out.string() + "'");
  return out;
}

fs::path solid_video(const fs::path& dir, const std::string& name, const std::string& hex, int width,
                     int height, const std::string& to_yuv, const std::string& codec_args) {
  const fs::path out = dir / name;
  ffmpeg("-f lavfi -i \"color=c=" + hex + ":s=" + std::to_string(width) + "x" + std::to_string(height) +
         ":r=10:d=1,format=rgb24," + to_yuv + "\" " + codec_args + " '" + out.string() + "'");
  return out;
}

fs::path quadrant_video(const fs::path& dir, const std::string& name, int width, int height,
                        const std::string& codec_args) {
  const fs::path out = dir / name;
  // In RGB: red (top left), lime (top right), blue (bottom left), white (bottom right).
  ffmpeg("-f lavfi -i \"nullsrc=s=" + std::to_string(width) + "x" + std::to_string(height) +
         ":r=10:d=1,format=gbrp,geq=r='if(lt(Y,H/2),if(lt(X,W/2),255,0),if(lt(X,W/2),0,255))'"
         ":g='if(lt(Y,H/2),if(lt(X,W/2),0,255),if(lt(X,W/2),0,255))':b='if(lt(Y,H/2),0,255)'\" " +
         codec_args + " '" + out.string() + "'");
  return out;
}

fs::path pattern_video(const fs::path& dir, const std::string& name, int width, int height, int fps,
                       int seconds, const std::string& codec_args) {
  const fs::path out = dir / name;
  run("ffmpeg -nostdin -loglevel error -y -f lavfi -i 'testsrc2=s=" + std::to_string(width) + "x" +
      std::to_string(height) + ":r=" + std::to_string(fps) + ":d=" + std::to_string(seconds) + "' " +
      codec_args + " '" + out.string() + "'");
  return out;
}

decoded_png decode_png(const std::vector<std::uint8_t>& png) {
  decoded_png image;
  unsigned char* pixels = nullptr;
  const unsigned error = lodepng_decode24(&pixels, &image.width, &image.height, png.data(), png.size());
  INFO("lodepng: " << lodepng_error_text(error));
  REQUIRE(error == 0);
  image.rgb.assign(pixels, pixels + std::size_t{image.width} * image.height * 3);
  std::free(pixels);
  return image;
}

std::string colour_name(const std::uint8_t* rgb) {
  struct named {
    const char* name;
    std::array<int, 3> value;
  };
  static constexpr named colours[] = {{"red", {255, 0, 0}},  {"lime", {0, 255, 0}},
                                      {"blue", {0, 0, 255}}, {"white", {255, 255, 255}},
                                      {"black", {0, 0, 0}},  {"yellow", {255, 255, 0}}};
  const char* best = "";
  int best_distance = 1 << 30;
  for (const auto& colour : colours) {
    int distance = 0;
    for (int c = 0; c < 3; ++c) distance += (rgb[c] - colour.value[c]) * (rgb[c] - colour.value[c]);
    if (distance < best_distance) {
      best_distance = distance;
      best = colour.name;
    }
  }
  return best;
}

int counter_of(const decoded_png& image) {
  int value = 0;
  const unsigned y = image.height / 2;
  for (unsigned bit = 0; bit < 8; ++bit) {
    const unsigned x = (2 * bit + 1) * image.width / 16;
    const int luma = image.at(x, y)[1];
    if (luma > 200) {
      value |= 1 << bit;
    } else if (luma > 55) {
      return -1;
    }
  }
  return value;
}

}  // namespace video_fixtures
