#pragma once
/// \file
/// Text files compiled into a plugin by the CMake function mcpd_embed_text_files.

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpd::sdk {

struct embedded_text_file {
  std::string_view name;  ///< the file's name, e.g. "capture.json"
  std::string_view text;  ///< its whole content
};

/// The text of the file called `name`; throws std::logic_error naming it when there is none (a build that
/// forgot a file must fail init loudly).
inline std::string_view embedded_text(std::span<const embedded_text_file> files, std::string_view name) {
  for (const auto& file : files) {
    if (file.name == name) return file.text;
  }
  throw std::logic_error("no embedded file named \"" + std::string(name) + "\"");
}

}  // namespace mcpd::sdk
