#include "hotswap/plugin_version.hpp"

#include <string.h>

#include <string>

namespace mcpd::hotswap {

namespace {

int sign(int v) {
  return (v > 0) - (v < 0);
}

}  // namespace

int compare_plugin_versions(std::string_view a, std::string_view b) {
  a = a.substr(0, a.find('+'));
  b = b.substr(0, b.find('+'));
  const auto a_dash = a.find('-'), b_dash = b.find('-');
  const std::string a_core(a.substr(0, a_dash)), b_core(b.substr(0, b_dash));
  // strverscmp compares digit runs by value: "1.10.0" after "1.9.0".
  if (const int core = ::strverscmp(a_core.c_str(), b_core.c_str()); core != 0) return sign(core);
  const bool a_pre = a_dash != std::string_view::npos, b_pre = b_dash != std::string_view::npos;
  if (a_pre != b_pre) return a_pre ? -1 : 1;
  if (!a_pre) return 0;
  return sign(
      ::strverscmp(std::string(a.substr(a_dash + 1)).c_str(), std::string(b.substr(b_dash + 1)).c_str()));
}

}  // namespace mcpd::hotswap
