#include "png_encoder.hpp"

#include <zlib.h>

#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>

namespace mcpd::tracking::frames {
namespace {

constexpr int compression_level = 2;

// A zlib stream and a buffer for its output, kept from one image to the next: a fresh deflate state is
// about 270 KB and a fresh output buffer a few MB, and allocating them per frame spent more time in page
// faults than in compressing.
struct png_writer {
  z_stream stream{};
  std::vector<std::uint8_t> compressed;

  png_writer() {
    if (deflateInit2(&stream, compression_level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("PNG encoding failed: zlib could not start (out of memory)");
  }
  ~png_writer() { deflateEnd(&stream); }
  png_writer(const png_writer&) = delete;
  png_writer& operator=(const png_writer&) = delete;

  // The zlib stream of the image's rows, each led by its filter byte (0, none), in `compressed`.
  std::size_t deflate_rows(const rgb_image& image) {
    deflateReset(&stream);
    const std::size_t row_bytes = static_cast<std::size_t>(image.width) * 3;
    const auto raw_size = static_cast<uLong>((row_bytes + 1) * static_cast<std::size_t>(image.height));
    compressed.resize(deflateBound(&stream, raw_size));
    stream.next_out = compressed.data();
    stream.avail_out = static_cast<uInt>(compressed.size());
    static const unsigned char no_filter = 0;
    for (int y = 0; y < image.height; ++y) {
      const bool last = y + 1 == image.height;
      stream.next_in = const_cast<unsigned char*>(&no_filter);
      stream.avail_in = 1;
      if (deflate(&stream, Z_NO_FLUSH) != Z_OK) throw std::runtime_error("PNG encoding failed in zlib");
      stream.next_in =
          const_cast<std::uint8_t*>(image.pixels.data() + static_cast<std::size_t>(y) * row_bytes);
      stream.avail_in = static_cast<uInt>(row_bytes);
      const int rc = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
      if (rc != (last ? Z_STREAM_END : Z_OK)) throw std::runtime_error("PNG encoding failed in zlib");
    }
    return stream.total_out;
  }
};

// Writers waiting for the next image; encoders run on several threads at once.
class writer_pool {
 public:
  std::unique_ptr<png_writer> take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto writer = std::move(idle_.back());
        idle_.pop_back();
        return writer;
      }
    }
    return std::make_unique<png_writer>();
  }
  void give_back(std::unique_ptr<png_writer> writer) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle) idle_.push_back(std::move(writer));
  }

 private:
  static constexpr std::size_t max_idle = 4;
  std::mutex mutex_;
  std::vector<std::unique_ptr<png_writer>> idle_;
};

writer_pool& writers() {
  static writer_pool pool;
  return pool;
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  const std::array<std::uint8_t, 4> bytes{
      static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
      static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// Appends a chunk: length, type, data, CRC-32 of type and data.
void put_chunk(std::vector<std::uint8_t>& out, std::string_view type, const std::uint8_t* data,
               std::size_t size) {
  put_u32(out, static_cast<std::uint32_t>(size));
  const std::size_t type_at = out.size();
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data, data + size);
  const auto crc = crc32(0, out.data() + type_at, static_cast<uInt>(4 + size));
  put_u32(out, static_cast<std::uint32_t>(crc));
}

}  // namespace

std::vector<std::uint8_t> encode_png(const rgb_image& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() !=
          static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 3)
    throw std::runtime_error("PNG encoding failed: the image's pixels do not match its size");
  auto writer = writers().take();
  const std::size_t compressed = writer->deflate_rows(image);

  std::vector<std::uint8_t> png;
  png.reserve(8 + 25 + 12 + compressed + 12);
  static constexpr std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  png.insert(png.end(), std::begin(signature), std::end(signature));
  std::vector<std::uint8_t> header;
  put_u32(header, static_cast<std::uint32_t>(image.width));
  put_u32(header, static_cast<std::uint32_t>(image.height));
  // 8 bits per sample, colour type 2 (RGB), deflate, adaptive filtering (method 0), no interlace.
  header.insert(header.end(), {8, 2, 0, 0, 0});
  put_chunk(png, "IHDR", header.data(), header.size());
  put_chunk(png, "IDAT", writer->compressed.data(), compressed);
  put_chunk(png, "IEND", nullptr, 0);
  writers().give_back(std::move(writer));
  return png;
}

}  // namespace mcpd::tracking::frames
