#include "local_video_file.hpp"

#include <algorithm>
#include <system_error>

#include "posthog/instance_registry.hpp"

namespace mcpd::tracking {
namespace {

bool is_inside(const std::filesystem::path& file, const std::filesystem::path& dir) {
  auto f = file.begin();
  for (auto d = dir.begin(); d != dir.end(); ++d, ++f) {
    if (d->empty()) continue;  // trailing separator
    if (f == file.end() || *f != *d) return false;
  }
  return f != file.end();
}

}  // namespace

std::filesystem::path resolve_local_video(std::string_view tool, std::string_view requested,
                                          std::span<const std::string> allowed_dirs) {
  namespace fs = std::filesystem;
  const std::string prefix = std::string(tool) + ": source.file \"" + std::string(requested) + "\" ";
  const fs::path path(requested);
  if (!path.is_absolute()) throw tool_input_error(prefix + "must be an absolute path");
  if (std::any_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; })) {
    throw tool_input_error(prefix + "must not contain \"..\"");
  }
  std::error_code error;
  const fs::path real = fs::canonical(path, error);
  if (error) throw tool_input_error(prefix + "does not exist or cannot be read");
  if (!fs::is_regular_file(real, error)) throw tool_input_error(prefix + "is not a regular file");
  for (const auto& dir : allowed_dirs) {
    std::error_code dir_error;
    const fs::path real_dir = fs::canonical(fs::path(dir), dir_error);
    if (!dir_error && is_inside(real, real_dir)) return real;
  }
  throw tool_input_error(prefix +
                         "is outside the directories allowed in plugin_config.tracking.local_video_dirs "
                         "(symlinks are followed before checking)");
}

}  // namespace mcpd::tracking
