// Which local video file a call may read: only regular files inside the directories the operator listed
// in local_video_dirs, judged after resolving every symlink and "..", so neither a traversal nor a link
// pointing out of the allow-list gets through.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace mcpd::tracking {

// The canonical path of `requested`, or throws tool_input_error explaining the refusal (relative path,
// "..", missing, not a regular file, outside every allowed directory). Messages name the path the caller
// gave, never the allow-list (operators may not want it advertised).
std::filesystem::path resolve_local_video(std::string_view tool, std::string_view requested,
                                          std::span<const std::string> allowed_dirs);

}  // namespace mcpd::tracking
