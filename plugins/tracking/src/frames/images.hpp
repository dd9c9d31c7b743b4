// Plain pixel buffers the frame pipeline passes around, tightly packed (no row padding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace mcpd::tracking::frames {

// An allocator that leaves new bytes uninitialised: pixel buffers are written in full right after they
// are sized, and zero-filling megabytes per frame first showed up in profiles (with the page faults of
// touching them twice).
template <typename T>
struct uninitialised_allocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = uninitialised_allocator<U>;
  };
  uninitialised_allocator() = default;
  template <typename U>
  uninitialised_allocator(const uninitialised_allocator<U>&) noexcept {}
  template <typename U>
  void construct(U* at) noexcept {
    ::new (static_cast<void*>(at)) U;
  }
  template <typename U, typename... Args>
  void construct(U* at, Args&&... args) {
    ::new (static_cast<void*>(at)) U(std::forward<Args>(args)...);
  }
};

using pixel_buffer = std::vector<std::uint8_t, uninitialised_allocator<std::uint8_t>>;

// 8-bit RGB, 3 bytes per pixel, rows top to bottom.
struct rgb_image {
  int width = 0;
  int height = 0;
  pixel_buffer pixels;

  std::uint8_t* pixel(int x, int y) { return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
  const std::uint8_t* pixel(int x, int y) const {
    return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3;
  }
};

// 8-bit luma, 1 byte per pixel: the small thumbnails scene scoring compares.
struct gray_image {
  int width = 0;
  int height = 0;
  pixel_buffer pixels;
};

}  // namespace mcpd::tracking::frames
