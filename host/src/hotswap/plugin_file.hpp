#pragma once
// Reading a plugin file the way a hot swap needs it: once, completely, from a
// place only trusted users can write, with enough identity to notice later
// whether it changed.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "hotswap/staging_area.hpp"
#include "trust/sha256.hpp"

namespace mcpd::hotswap {

// What stat() says about a file that changes whenever its content may have.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

// nullopt when the path does not name anything stat() can see.
std::optional<FileIdentity> identity_of(const std::filesystem::path& path);

struct PluginFile {
  enum Status {
    ok,
    incomplete,  // still being written (changed while read, or a truncated ELF): try again later
    refused,     // unusable as it is (permissions, not a regular file, not ELF, too large)
  } status = ok;
  std::string problem;  // for incomplete and refused
  FileIdentity identity;
  std::optional<std::string> signature_text;  // FILE.so.sig when present (read in the same pass)
  std::filesystem::path staged;               // the private copy, when there is a staging area
  trust::Sha256 sha256{};                     // of the staged copy as it is on disk (or of the file)
};

inline constexpr std::size_t kMaxPluginBytes = std::size_t{512} << 20;
inline constexpr std::size_t kMaxSignatureBytes = 64u << 10;

// Resolves symbolic links, checks the real file's ownership and mode (and its
// directory's, when a link led out of `path`'s directory), opens it with
// O_NOFOLLOW and copies it into `staging` (named for its content); the checks
// of completeness and the digest are made on that copy, mapped from disk.
// Without a staging area the file is read and hashed in memory instead.
// `service_uid` is the user mcpd runs as.
PluginFile read_plugin_file(const std::filesystem::path& path, uid_t service_uid, StagingArea* staging);

}  // namespace mcpd::hotswap
