#pragma once
// A private directory (0700, owned by mcpd) where every plugin is copied
// before it is loaded. Three things follow from loading the copy:
//  - the bytes whose signature was checked are the bytes dlopen() maps: a file
//    replaced at its original path after the check changes nothing;
//  - every version gets a path of its own (content address plus a sequence
//    number), so glibc never hands back an already loaded object for a "new"
//    version (it reuses objects by name and by inode);
//  - a deployer overwriting the original in place cannot corrupt a mapping.
#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "trust/sha256.hpp"

namespace mcpd::hotswap {

struct StagingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class StagingArea {
 public:
  // Creates `root` (0700) when missing, checks it is private to `service_uid`
  // and not on a noexec mount, removes what dead mcpd processes left in it,
  // and makes a directory of this process's own inside. Throws StagingError
  // with the fix in the message.
  static std::unique_ptr<StagingArea> create(const std::filesystem::path& root, uid_t service_uid);
  // The default root: $XDG_RUNTIME_DIR/mcpd when that exists, else <temp>/mcpd-<uid>.
  static std::filesystem::path default_root(uid_t service_uid);

  ~StagingArea();  // removes this process's directory and every copy in it
  StagingArea(const StagingArea&) = delete;
  StagingArea& operator=(const StagingArea&) = delete;

  const std::filesystem::path& directory() const { return directory_; }

  // Copies what `source_fd` holds from its start into a new file of this area
  // (in the kernel where it can), mode 0500, and returns its path and size.
  // The copy is named for its content by settle(). Throws StagingError.
  struct Received {
    std::filesystem::path path;
    std::uint64_t size = 0;
  };
  Received receive(int source_fd);
  // Renames a received copy to <stem>-<digest prefix>-<n>.so: a name no
  // earlier version ever had. Throws StagingError.
  std::filesystem::path settle(const std::filesystem::path& received, std::string_view stem,
                               const trust::Sha256& digest);
  // Writes `bytes` (whose SHA-256 is `digest`) as a settled copy. Throws StagingError.
  std::filesystem::path stage(std::string_view stem, std::string_view bytes, const trust::Sha256& digest);
  // The SHA-256 of a staged copy as it is on disk now: what dlopen() will map,
  // and what a signature must cover. Throws StagingError.
  trust::Sha256 digest_of(const std::filesystem::path& staged) const;
  // Deletes a staged copy; paths outside this area are left alone.
  void remove(const std::filesystem::path& staged) const;
  bool contains(const std::filesystem::path& path) const;

 private:
  explicit StagingArea(std::filesystem::path directory) : directory_(std::move(directory)) {}
  std::filesystem::path directory_;
  std::atomic<std::uint64_t> sequence_{0};
};

}  // namespace mcpd::hotswap
