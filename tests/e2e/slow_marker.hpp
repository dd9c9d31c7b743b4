#pragma once
// The marker file testkit.slow writes ("started", then "cancelled" or "completed"), read by the tests that
// need to know where a slow call is.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>

namespace mcpd_test {

inline std::string read_marker(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string state;
  std::getline(in, state);
  return state;
}

// Polls the marker file until it says `state`.
inline bool wait_for_marker(const std::filesystem::path& file, std::string_view state,
                            std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (read_marker(file) == state) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return read_marker(file) == state;
}

}  // namespace mcpd_test
