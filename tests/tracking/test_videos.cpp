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

}  // namespace video_fixtures
