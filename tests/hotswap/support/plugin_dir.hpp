// Files for the hot-swap tests: where the test plugins are, private scratch
// directories, and deploying a plugin the way the docs recommend (write a
// temporary name in the same directory, then rename it over the real one).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace hotswap_test {

namespace fs = std::filesystem;

// ${CMAKE_BINARY_DIR}/test_plugins/swap/swap_<name>.so (v1, v2, init_fails, ...).
fs::path swap_plugin(std::string_view name);
// ${MCPD_TEST_PLUGINS_DIR}/broken/<name>.so
fs::path broken_plugin(std::string_view name);
fs::path mcpd_executable();

std::string read_bytes(const fs::path& file);

// A directory of its own under the temp dir (mode 0700), removed with its content.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(std::string_view name) const { return path_ / name; }

 private:
  fs::path path_;
};

// Writes `bytes` to <dir>/.<name>.tmp and renames it to <dir>/<name>: readers
// see the old file or the whole new one, never a part. Returns the final path.
fs::path deploy_bytes(const fs::path& dir, std::string_view name, std::string_view bytes);
fs::path deploy(const fs::path& dir, std::string_view name, const fs::path& source);

}  // namespace hotswap_test
