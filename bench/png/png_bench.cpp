// Which PNG row filter and zlib settings suit recording frames: bytes and encoding time per frame for each
// candidate, next to mcpd's encoder (frames::encode_png) and ffmpeg's PNG encoder on the very same RGB
// frames, in one run. Frames come from the video through the same pipeline recording_frames uses.
//
//   tracking_png_bench VIDEO [--step-ms 1000] [--frames 20] [--max-width 1280]
//
// Prints a Markdown table. Needs the ffmpeg CLI on PATH for the ffmpeg rows.
#include <lodepng.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "frames/frame_extraction.hpp"
#include "frames/png_encoder.hpp"

using namespace mcpd::tracking;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace {

struct zlib_choice {
  int level;
  int strategy;
};

// lodepng's custom_zlib hook with the level and strategy of the candidate in custom_context.
unsigned deflate_with(unsigned char** out, size_t* out_size, const unsigned char* in, size_t in_size,
                      const LodePNGCompressSettings* settings) {
  const auto* choice = static_cast<const zlib_choice*>(settings->custom_context);
  z_stream stream{};
  if (deflateInit2(&stream, choice->level, Z_DEFLATED, 15, 8, choice->strategy) != Z_OK) return 111;
  const uLong bound = deflateBound(&stream, static_cast<uLong>(in_size));
  auto* buffer = static_cast<unsigned char*>(std::malloc(bound));
  stream.next_in = const_cast<unsigned char*>(in);
  stream.avail_in = static_cast<uInt>(in_size);
  stream.next_out = buffer;
  stream.avail_out = static_cast<uInt>(bound);
  const int rc = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) {
    std::free(buffer);
    return 111;
  }
  *out = buffer;
  *out_size = stream.total_out;
  return 0;
}

// Per row, the filter among `choices` (PNG filter types 0 none, 1 sub, 2 up) whose output has the smallest
// sum of absolute values (signed bytes): the PNG specification's heuristic over a few filters.
std::vector<unsigned char> row_filters(const frames::rgb_image& image, const std::vector<int>& choices) {
  std::vector<unsigned char> filters(static_cast<std::size_t>(image.height));
  const std::size_t stride = static_cast<std::size_t>(image.width) * 3;
  for (int y = 0; y < image.height; ++y) {
    const unsigned char* row = image.pixels.data() + y * stride;
    const unsigned char* above = y > 0 ? row - stride : nullptr;
    long best = -1;
    for (int filter : choices) {
      long sum = 0;
      for (std::size_t i = 0; i < stride; ++i) {
        int value = row[i];
        if (filter == 1 && i >= 3) value -= row[i - 3];
        if (filter == 2 && above != nullptr) value -= above[i];
        const auto byte = static_cast<signed char>(static_cast<unsigned char>(value));
        sum += byte < 0 ? -byte : byte;
      }
      if (best < 0 || sum < best) {
        best = sum;
        filters[static_cast<std::size_t>(y)] = static_cast<unsigned char>(filter);
      }
    }
  }
  return filters;
}

std::size_t encode_with(const frames::rgb_image& image, LodePNGFilterStrategy filter, zlib_choice zlib,
                        const std::vector<int>& row_choices = {}) {
  LodePNGState state;
  lodepng_state_init(&state);
  state.info_raw.colortype = LCT_RGB;
  state.info_raw.bitdepth = 8;
  state.info_png.color.colortype = LCT_RGB;
  state.info_png.color.bitdepth = 8;
  state.encoder.auto_convert = 0;
  state.encoder.filter_strategy = filter;
  std::vector<unsigned char> predefined;
  if (filter == LFS_PREDEFINED) {
    predefined = row_filters(image, row_choices);
    state.encoder.predefined_filters = predefined.data();
  }
  state.encoder.zlibsettings.custom_zlib = &deflate_with;
  state.encoder.zlibsettings.custom_context = &zlib;
  unsigned char* png = nullptr;
  size_t size = 0;
  const unsigned error = lodepng_encode(&png, &size, image.pixels.data(), static_cast<unsigned>(image.width),
                                        static_cast<unsigned>(image.height), &state);
  lodepng_state_cleanup(&state);
  std::free(png);
  if (error != 0) throw std::runtime_error(lodepng_error_text(error));
  return size;
}

struct row {
  std::string name;
  std::size_t bytes = 0;
  double ms = 0;
};

void print(const std::vector<row>& rows, std::size_t frames, std::size_t reference_bytes) {
  std::printf("| encoder | KiB per frame | vs ffmpeg default | ms per frame |\n|---|---|---|---|\n");
  for (const auto& r : rows) {
    std::printf("| %s | %.1f | %.2fx | %.2f |\n", r.name.c_str(), r.bytes / 1024.0 / frames,
                static_cast<double>(r.bytes) / reference_bytes, r.ms / frames);
  }
}

// ffmpeg's PNG encoder on the same frames (written raw): total bytes and wall time.
row ffmpeg_png(const std::vector<frames::rgb_image>& images, const std::string& options,
               const fs::path& dir) {
  const auto raw = dir / "frames.rgb";
  {
    std::ofstream out(raw, std::ios::binary);
    for (const auto& image : images)
      out.write(reinterpret_cast<const char*>(image.pixels.data()),
                static_cast<std::streamsize>(image.pixels.size()));
  }
  const auto out_dir = dir / "ffmpeg";
  fs::remove_all(out_dir);
  fs::create_directories(out_dir);
  const std::string command = "ffmpeg -nostdin -loglevel error -y -f rawvideo -pix_fmt rgb24 -s " +
                              std::to_string(images[0].width) + "x" + std::to_string(images[0].height) +
                              " -i '" + raw.string() + "' " + options + " -f image2 '" +
                              (out_dir / "%04d.png").string() + "'";
  const auto started = clock_type::now();
  if (std::system(command.c_str()) != 0) throw std::runtime_error("ffmpeg failed: " + command);
  row result{"ffmpeg PNG " + (options.empty() ? std::string("(default: no filter, zlib default)") : options)};
  result.ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
  for (const auto& file : fs::directory_iterator(out_dir)) result.bytes += fs::file_size(file.path());
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: tracking_png_bench VIDEO [--step-ms N] [--frames N] [--max-width N]\n";
    return 2;
  }
  frames::frame_request request;
  request.step_ms = 1000;
  request.max_frames = 20;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long value = std::stol(argv[i + 1]);
    if (flag == "--step-ms") request.step_ms = value;
    if (flag == "--frames") request.max_frames = static_cast<std::size_t>(value);
    if (flag == "--max-width") request.max_width = static_cast<int>(value);
  }
  std::vector<frames::rgb_image> images;
  frames::render_interval(argv[1], request, {},
                          [&](frames::extracted_frame&& frame) { images.push_back(std::move(frame.tile)); });
  if (images.empty()) {
    std::cerr << "no frames\n";
    return 1;
  }
  std::printf("%zu frames of %dx%d from %s\n\n", images.size(), images[0].width, images[0].height, argv[1]);

  const auto dir = fs::temp_directory_path() / "mcpd-png-bench";
  fs::create_directories(dir);
  std::vector<row> rows;
  rows.push_back(ffmpeg_png(images, "", dir));
  rows.push_back(ffmpeg_png(images, "-pred mixed", dir));
  const std::size_t reference = rows[0].bytes;

  {
    row current{"mcpd encode_png"};
    const auto started = clock_type::now();
    for (const auto& image : images) current.bytes += frames::encode_png(image).size();
    current.ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
    rows.push_back(current);
  }
  const std::pair<LodePNGFilterStrategy, const char*> filters[] = {
      {LFS_ZERO, "none"}, {LFS_ONE, "sub"}, {LFS_TWO, "up"}, {LFS_FOUR, "paeth"}, {LFS_MINSUM, "minsum"}};
  const std::pair<int, const char*> strategies[] = {
      {Z_DEFAULT_STRATEGY, "default"}, {Z_RLE, "rle"}, {Z_FILTERED, "filtered"}};
  const std::pair<std::vector<int>, const char*> row_sets[] = {{{0, 2}, "none|up per row"},
                                                               {{0, 1, 2}, "none|sub|up per row"}};
  for (const auto& [choices, set_name] : row_sets) {
    for (int level : {1, 2, 3}) {
      row candidate{std::string("lodepng filter ") + set_name + ", zlib " + std::to_string(level) +
                    " default"};
      const auto started = clock_type::now();
      for (const auto& image : images)
        candidate.bytes += encode_with(image, LFS_PREDEFINED, {level, Z_DEFAULT_STRATEGY}, choices);
      candidate.ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
      rows.push_back(candidate);
    }
  }
  for (const auto& [filter, filter_name] : filters) {
    for (int level : {1, 2, 3, 6}) {
      for (const auto& [strategy, strategy_name] : strategies) {
        row candidate{std::string("lodepng filter ") + filter_name + ", zlib " + std::to_string(level) + " " +
                      strategy_name};
        const auto started = clock_type::now();
        for (const auto& image : images) candidate.bytes += encode_with(image, filter, {level, strategy});
        candidate.ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
        rows.push_back(candidate);
      }
    }
  }
  print(rows, images.size(), reference);
  fs::remove_all(dir);
  return 0;
}
