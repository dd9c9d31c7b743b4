// The tiny but real media files the fixtures return: clients and the suite may
// decode them, so they must be well-formed, not placeholder bytes.
#include <array>
#include <cmath>
#include <numbers>

#include "fixtures.hpp"

namespace conformance {

namespace {

// Generated once with Python's zlib (IHDR 2x2, 8-bit RGB; one IDAT; IEND) and
// checked with `file`: "PNG image data, 2 x 2, 8-bit/color RGB".
constexpr std::array<std::uint8_t, 75> png_bytes = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
    0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x12, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8,
    0xcf, 0xc0, 0xc0, 0x00, 0xc2, 0x0c, 0xff, 0x81, 0x00, 0x00, 0x1f, 0xee, 0x05, 0xfb, 0xf1,
    0xab, 0xba, 0x77, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

void put_le(std::vector<std::uint8_t>& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<std::uint8_t>((value >> (8 * i)) & 0xffu));
  }
}

void put_tag(std::vector<std::uint8_t>& out, std::string_view tag) {
  out.insert(out.end(), tag.begin(), tag.end());
}

// RIFF/WAVE with one "fmt " (PCM) and one "data" chunk: the canonical 44-byte
// header every decoder accepts.
std::vector<std::uint8_t> make_wav() {
  constexpr std::uint32_t sample_rate = 8000;
  constexpr std::uint32_t sample_count = sample_rate / 10;
  constexpr std::uint16_t bits_per_sample = 16;
  constexpr std::uint16_t channels = 1;
  constexpr std::uint32_t block_align = channels * bits_per_sample / 8;
  constexpr std::uint32_t data_size = sample_count * block_align;

  std::vector<std::uint8_t> wav;
  wav.reserve(44 + data_size);
  put_tag(wav, "RIFF");
  put_le(wav, 36 + data_size, 4);
  put_tag(wav, "WAVE");
  put_tag(wav, "fmt ");
  put_le(wav, 16, 4);  // PCM fmt chunk size
  put_le(wav, 1, 2);   // format: PCM
  put_le(wav, channels, 2);
  put_le(wav, sample_rate, 4);
  put_le(wav, sample_rate * block_align, 4);  // byte rate
  put_le(wav, block_align, 2);
  put_le(wav, bits_per_sample, 2);
  put_tag(wav, "data");
  put_le(wav, data_size, 4);
  for (std::uint32_t i = 0; i < sample_count; ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    const auto sample = static_cast<std::int16_t>(8000.0 * std::sin(2.0 * std::numbers::pi * 440.0 * t));
    put_le(wav, static_cast<std::uint16_t>(sample), 2);
  }
  return wav;
}

}  // namespace

std::span<const std::uint8_t> tiny_png() {
  return png_bytes;
}

const std::vector<std::uint8_t>& tiny_wav() {
  static const std::vector<std::uint8_t> wav = make_wav();
  return wav;
}

json::object no_arguments_schema() {
  return {{"type", "object"}, {"properties", json::object{}}, {"additionalProperties", false}};
}

}  // namespace conformance
