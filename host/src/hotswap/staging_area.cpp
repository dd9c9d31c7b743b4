#include "hotswap/staging_area.hpp"

#include "hotswap/mapped_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace mcpd::hotswap {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kProcessDirPrefix = "pid-";

std::string errno_text() {
  return std::strerror(errno);
}

// Removes pid-<N>-XXXXXX directories whose process no longer exists.
void remove_leftovers(const fs::path& root) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kProcessDirPrefix)) continue;
    const std::string digits = name.substr(
        kProcessDirPrefix.size(), name.find('-', kProcessDirPrefix.size()) - kProcessDirPrefix.size());
    char* end = nullptr;
    const long pid = std::strtol(digits.c_str(), &end, 10);
    if (digits.empty() || *end != '\0' || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    fs::remove_all(entry.path(), ec);
  }
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

fs::path StagingArea::default_root(uid_t service_uid) {
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime != nullptr && *runtime != '\0') {
    std::error_code ec;
    if (fs::is_directory(runtime, ec)) return fs::path(runtime) / "mcpd";
  }
  std::error_code ec;
  fs::path temp = fs::temp_directory_path(ec);
  if (ec) temp = "/tmp";
  return temp / ("mcpd-" + std::to_string(service_uid));
}

std::unique_ptr<StagingArea> StagingArea::create(const fs::path& root, uid_t service_uid) {
  const std::string fix = " (set plugins.staging_dir to a private directory)";
  if (::mkdir(root.c_str(), 0700) != 0 && errno != EEXIST)
    throw StagingError("cannot create the plugin staging directory \"" + root.string() +
                       "\": " + errno_text() + fix);
  struct stat st {};
  if (::lstat(root.c_str(), &st) != 0)
    throw StagingError("cannot stat the plugin staging directory \"" + root.string() + "\": " + errno_text());
  if (!S_ISDIR(st.st_mode))
    throw StagingError("the plugin staging directory \"" + root.string() + "\" is not a directory" + fix);
  if (st.st_uid != service_uid)
    throw StagingError("the plugin staging directory \"" + root.string() + "\" belongs to uid " +
                       std::to_string(st.st_uid) + ", not to the service user (uid " +
                       std::to_string(service_uid) + ")" + fix);
  if ((st.st_mode & 077) != 0)
    throw StagingError("the plugin staging directory \"" + root.string() +
                       "\" is open to other users; it must be private (chmod 700)");
  struct statvfs fsinfo {};
  if (::statvfs(root.c_str(), &fsinfo) == 0 && (fsinfo.f_flag & ST_NOEXEC) != 0)
    throw StagingError("the plugin staging directory \"" + root.string() +
                       "\" is on a filesystem mounted noexec, where plugins cannot be loaded" + fix);
  remove_leftovers(root);
  std::string pattern =
      (root / (std::string(kProcessDirPrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw StagingError("cannot create a directory in \"" + root.string() + "\": " + errno_text() + fix);
  return std::unique_ptr<StagingArea>(new StagingArea(fs::path(pattern)));
}

StagingArea::~StagingArea() {
  std::error_code ec;
  fs::remove_all(directory_, ec);
}

StagingArea::Received StagingArea::receive(int source_fd) {
  const fs::path path = directory_ / (".incoming-" + std::to_string(sequence_.fetch_add(1) + 1));
  // The directory is ours alone, so O_EXCL on the name is enough: no one
  // else can have put anything there.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    throw StagingError("cannot create a staged copy in \"" + directory_.string() + "\": " + errno_text());
  Received received{path, 0};
  bool ok = true;
  off_t in_offset = 0;
  bool in_kernel = true;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = -1;
    if (in_kernel) {
      n = ::copy_file_range(source_fd, &in_offset, fd, nullptr, std::size_t{1} << 30, 0);
      if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
        in_kernel = false;  // across filesystems on an older kernel: copy through user space
        continue;
      }
    } else {
      n = ::pread(source_fd, buffer, sizeof buffer, in_offset);
      if (n > 0 && !write_all(fd, std::string_view(buffer, static_cast<std::size_t>(n)))) n = -1;
      if (n > 0) in_offset += n;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    received.size += static_cast<std::uint64_t>(n);
  }
  const std::string why = ok ? std::string() : errno_text();
  ok = ok && ::fchmod(fd, 0500) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw StagingError("cannot copy into \"" + directory_.string() + "\": " + why);
  }
  return received;
}

fs::path StagingArea::settle(const fs::path& received, std::string_view stem, const trust::Sha256& digest) {
  const fs::path path = directory_ / (std::string(stem) + "-" + trust::to_hex(digest).substr(0, 16) + "-" +
                                      std::to_string(sequence_.fetch_add(1) + 1) + ".so");
  if (::rename(received.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(received.c_str());
    throw StagingError("cannot name the staged copy \"" + path.string() + "\": " + why);
  }
  return path;
}

fs::path StagingArea::stage(std::string_view stem, std::string_view bytes, const trust::Sha256& digest) {
  const fs::path incoming = directory_ / (".incoming-" + std::to_string(sequence_.fetch_add(1) + 1));
  const int fd = ::open(incoming.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    throw StagingError("cannot create a staged copy in \"" + directory_.string() + "\": " + errno_text());
  const bool written = write_all(fd, bytes) && ::fchmod(fd, 0500) == 0;
  const std::string why = written ? std::string() : errno_text();
  ::close(fd);
  if (!written) {
    ::unlink(incoming.c_str());
    throw StagingError("cannot write a staged copy in \"" + directory_.string() + "\": " + why);
  }
  return settle(incoming, stem, digest);
}

trust::Sha256 StagingArea::digest_of(const fs::path& staged) const {
  MappedFile mapped(staged);
  if (!mapped.error().empty())
    throw StagingError("cannot read back the staged copy \"" + staged.string() + "\": " + mapped.error());
  return trust::sha256(mapped.bytes());
}

bool StagingArea::contains(const fs::path& path) const {
  return path.parent_path() == directory_;
}

void StagingArea::remove(const fs::path& staged) const {
  if (contains(staged)) ::unlink(staged.c_str());
}

}  // namespace mcpd::hotswap
