#include "trust/file_policy.hpp"

#include <cerrno>
#include <cstring>

namespace mcpd::trust {
namespace fs = std::filesystem;

namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

std::optional<std::string> ownership_problem(const struct stat& st, uid_t service_uid, std::string_view what,
                                             bool sticky_ok) {
  if (st.st_uid != service_uid && st.st_uid != 0)
    return std::string(what) + " is owned by uid " + std::to_string(st.st_uid) +
           ", not by the service user (uid " + std::to_string(service_uid) + ") or root; chown it";
  const bool writable_by_others = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  if (!writable_by_others) return std::nullopt;
  if (sticky_ok && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) != 0 && st.st_uid == 0) return std::nullopt;
  return std::string(what) + " is writable by " + ((st.st_mode & S_IWOTH) != 0 ? "everyone" : "its group") +
         " (mode " + octal_mode(st.st_mode) + "); remove the group/other write bits (chmod go-w)";
}

std::optional<std::string> directory_chain_problem(const fs::path& directory, uid_t service_uid) {
  std::error_code ec;
  fs::path dir = fs::canonical(directory, ec);
  if (ec) return "plugins directory \"" + directory.string() + "\" cannot be resolved: " + ec.message();
  bool first = true;
  for (fs::path p = dir;; p = p.parent_path()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return "cannot stat \"" + p.string() + "\": " + std::strerror(errno);
    std::string what = first ? "plugins directory \"" + p.string() + "\""
                             : "\"" + p.string() + "\" (a parent of the plugins directory)";
    if (auto problem = ownership_problem(st, service_uid, what, !first)) return problem;
    first = false;
    if (p == p.root_path() || p.parent_path() == p) break;
  }
  return std::nullopt;
}

}  // namespace mcpd::trust
