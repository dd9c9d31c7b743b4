#include "support/plugin_dir.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hotswap_test {

fs::path swap_plugin(std::string_view name) {
  return fs::path(MCPD_SWAP_PLUGINS_DIR) / ("swap_" + std::string(name) + ".so");
}

fs::path broken_plugin(std::string_view name) {
  return fs::path(MCPD_SWAP_BROKEN_PLUGINS_DIR) / (std::string(name) + ".so");
}

fs::path mcpd_executable() {
  return MCPD_SWAP_MCPD_EXE;
}

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ScratchDir::ScratchDir() {
  std::string pattern = (fs::temp_directory_path() / "mcpd-hotswap-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path deploy_bytes(const fs::path& dir, std::string_view name, std::string_view bytes) {
  const fs::path temp = dir / ("." + std::string(name) + ".tmp");
  const fs::path final_path = dir / name;
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + temp.string());
  }
  fs::permissions(temp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  fs::rename(temp, final_path);
  return final_path;
}

fs::path deploy(const fs::path& dir, std::string_view name, const fs::path& source) {
  return deploy_bytes(dir, name, read_bytes(source));
}

}  // namespace hotswap_test
