#include "hotswap/probe_verdicts.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mcpd::hotswap {
namespace fs = std::filesystem;

namespace {

// Which build of mcpd gave a verdict: its size, modification time and inode. A verdict on disk is only
// trusted by the same build, since another one may probe differently (found when a verdict of an older
// build, which took a sanitizer's exit code for a refusal, vouched for a file that crashes).
std::string prober_identity() {
  struct stat st {};
  const auto executable = loader::probe_executable();
  if (executable.empty() || ::stat(executable.c_str(), &st) != 0) return {};
  return std::to_string(st.st_size) + "-" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + "-" + std::to_string(st.st_ino);
}

}  // namespace

ProbeVerdicts::ProbeVerdicts(fs::path directory)
    : directory_(std::move(directory)), prober_(prober_identity()) {
  if (prober_.empty()) directory_.clear();  // no way to tell builds apart: memory only
  if (directory_.empty()) return;
  std::error_code ec;
  fs::create_directory(directory_, ec);
  fs::permissions(directory_, fs::perms::owner_all, ec);
  struct stat st {};
  // Only a directory of mcpd's own user vouches for anything.
  if (::lstat(directory_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() ||
      (st.st_mode & 077) != 0)
    directory_.clear();
}

fs::path ProbeVerdicts::marker(const trust::Sha256& digest) const {
  if (directory_.empty()) return {};
  return directory_ / (prober_ + "-" + trust::to_hex(digest));
}

std::optional<loader::LoadProbeVerdict> ProbeVerdicts::find(const trust::Sha256& digest) const {
  const std::string key = trust::to_hex(digest);
  if (auto it = in_memory_.find(key); it != in_memory_.end()) return it->second;
  if (directory_.empty()) return std::nullopt;
  struct stat st {};
  if (::lstat(marker(digest).c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid())
    return loader::LoadProbeVerdict{true, {}, true};
  return std::nullopt;
}

void ProbeVerdicts::remember(const trust::Sha256& digest, const loader::LoadProbeVerdict& verdict) {
  if (!verdict.conclusive) return;
  if (in_memory_.size() >= kMaxEntries) in_memory_.clear();
  const std::string key = trust::to_hex(digest);
  in_memory_[key] = verdict;
  if (!verdict.safe || directory_.empty()) return;
  std::error_code ec;
  std::size_t stored = 0;
  for (auto it = fs::directory_iterator(directory_, ec); !ec && it != fs::directory_iterator();
       it.increment(ec))
    ++stored;
  if (stored >= kMaxEntries)
    for (auto it = fs::directory_iterator(directory_, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      fs::remove(it->path(), ec);
  const int fd =
      ::open((directory_ / (prober_ + "-" + key)).c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
}

}  // namespace mcpd::hotswap
