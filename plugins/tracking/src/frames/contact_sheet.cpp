#include "contact_sheet.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace mcpd::tracking::frames {
namespace {

constexpr int gap = 4;          // pixels between tiles
constexpr int glyph_scale = 2;  // the 3x5 font drawn at 6x10
constexpr std::uint8_t background = 32;

// 3x5 bitmaps of the characters a timestamp needs, one row per 3 bits (MSB = left).
const std::uint8_t* glyph(char c) {
  static constexpr std::uint8_t digits[10][5] = {
      {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
      {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};
  static constexpr std::uint8_t colon[5] = {0, 2, 0, 2, 0};
  static constexpr std::uint8_t dot[5] = {0, 0, 0, 0, 2};
  if (c >= '0' && c <= '9') return digits[c - '0'];
  if (c == ':') return colon;
  return dot;
}

void fill(rgb_image& image, int left, int top, int width, int height, std::uint8_t value) {
  const int right = std::min(image.width, left + width);
  const int bottom = std::min(image.height, top + height);
  for (int y = std::max(0, top); y < bottom; ++y) {
    for (int x = std::max(0, left); x < right; ++x) std::memset(image.pixel(x, y), value, 3);
  }
}

// White text on a black box, so the label reads on any frame.
void draw_label(rgb_image& image, int left, int top, const std::string& text) {
  const int advance = 4 * glyph_scale;
  fill(image, left, top, static_cast<int>(text.size()) * advance + glyph_scale * 2,
       5 * glyph_scale + glyph_scale * 2, 0);
  int x = left + glyph_scale;
  for (char c : text) {
    const std::uint8_t* rows = glyph(c);
    for (int row = 0; row < 5; ++row) {
      for (int col = 0; col < 3; ++col) {
        if ((rows[row] >> (2 - col) & 1) != 0) {
          fill(image, x + col * glyph_scale, top + glyph_scale + row * glyph_scale, glyph_scale, glyph_scale,
               255);
        }
      }
    }
    x += advance;
  }
}

}  // namespace

std::string format_timestamp(std::int64_t ms) {
  const std::int64_t tenths = std::max<std::int64_t>(0, ms) / 100;
  const std::int64_t seconds = tenths / 10;
  const std::int64_t minutes = seconds / 60;
  const std::int64_t hours = minutes / 60;
  auto two = [](std::int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  std::string text = hours > 0 ? std::to_string(hours) + ":" + two(minutes % 60) : std::to_string(minutes);
  return text + ":" + two(seconds % 60) + "." + std::to_string(tenths % 10);
}

int contact_sheet_columns(std::size_t count) {
  return std::max(
      1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(std::max<std::size_t>(count, 1))))));
}

int contact_sheet_tile_width(std::size_t count, int sheet_width) {
  const int columns = contact_sheet_columns(count);
  return std::max(64, (sheet_width - gap * (columns - 1)) / columns);
}

rgb_image tile_contact_sheet(std::span<const rgb_image> tiles, std::span<const std::int64_t> times_ms) {
  rgb_image sheet;
  if (tiles.empty()) return sheet;
  const int columns = std::min<int>(contact_sheet_columns(tiles.size()), static_cast<int>(tiles.size()));
  const int rows = static_cast<int>((tiles.size() + columns - 1) / columns);
  int tile_width = 0, tile_height = 0;
  for (const auto& tile : tiles) {
    tile_width = std::max(tile_width, tile.width);
    tile_height = std::max(tile_height, tile.height);
  }
  sheet.width = columns * tile_width + (columns - 1) * gap;
  sheet.height = rows * tile_height + (rows - 1) * gap;
  sheet.pixels.assign(static_cast<std::size_t>(sheet.width) * sheet.height * 3, background);
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const int left = static_cast<int>(i % columns) * (tile_width + gap);
    const int top = static_cast<int>(i / columns) * (tile_height + gap);
    const auto& tile = tiles[i];
    for (int y = 0; y < tile.height; ++y) {
      std::memcpy(sheet.pixel(left, top + y), tile.pixel(0, y), static_cast<std::size_t>(tile.width) * 3);
    }
    if (i < times_ms.size()) draw_label(sheet, left, top, format_timestamp(times_ms[i]));
  }
  return sheet;
}

}  // namespace mcpd::tracking::frames
