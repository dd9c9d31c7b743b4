#include "hotswap/plugin_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "hotswap/elf_completeness.hpp"
#include "hotswap/mapped_file.hpp"
#include "trust/file_policy.hpp"
#include "trust/plugin_signature.hpp"

namespace mcpd::hotswap {
namespace fs = std::filesystem;

namespace {

FileIdentity identity_from(const struct stat& st) {
  FileIdentity id;
  id.device = st.st_dev;
  id.inode = st.st_ino;
  id.size = st.st_size;
  id.mtime_ns = std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
  id.ctime_ns = std::int64_t{st.st_ctim.tv_sec} * 1'000'000'000 + st.st_ctim.tv_nsec;
  return id;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads to EOF; false (errno set) on a read error.
bool read_all(int fd, std::string& out, std::size_t limit) {
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    if (out.size() + static_cast<std::size_t>(n) > limit) {
      errno = EFBIG;
      return false;
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

std::optional<std::string> read_signature(const fs::path& plugin) {
  const fs::path sig = trust::signature_path_for(plugin);
  Fd fd(::open(sig.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  std::string text;
  if (!read_all(fd.get(), text, kMaxSignatureBytes)) return std::string();  // present but unreadable: invalid
  return text;
}

}  // namespace

std::optional<FileIdentity> identity_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return identity_from(st);
}

PluginFile read_plugin_file(const fs::path& path, uid_t service_uid, StagingArea* staging) {
  PluginFile file;
  // Either way nothing staged stays behind.
  auto fail = [&](PluginFile::Status status, std::string why) {
    if (!file.staged.empty()) ::unlink(file.staged.c_str());
    file.staged.clear();
    file.status = status;
    file.problem = std::move(why);
    return std::move(file);
  };
  auto refuse = [&](std::string why) { return fail(PluginFile::refused, std::move(why)); };
  auto incomplete = [&](std::string why) { return fail(PluginFile::incomplete, std::move(why)); };
  std::error_code ec;
  fs::path real = fs::canonical(path, ec);
  if (ec) return refuse("cannot resolve the file: " + ec.message());
  fs::path dir = fs::weakly_canonical(fs::absolute(path, ec).parent_path(), ec);
  if (real.parent_path() != dir) {
    // A link leads elsewhere: the place it leads to must be as trustworthy.
    if (auto problem = trust::directory_chain_problem(real.parent_path(), service_uid))
      return refuse("it is a symbolic link to \"" + real.string() + "\", and " + *problem);
  }
  Fd fd(::open(real.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) return refuse(std::string("cannot open the file: ") + std::strerror(errno));
  struct stat before {};
  if (::fstat(fd.get(), &before) != 0)
    return refuse(std::string("cannot stat the file: ") + std::strerror(errno));
  if (!S_ISREG(before.st_mode)) return refuse("not a regular file");
  if (auto problem = trust::ownership_problem(before, service_uid, "the plugin file"))
    return refuse(*problem);
  if (static_cast<std::uint64_t>(before.st_size) > kMaxPluginBytes)
    return refuse("the file is larger than 512 MiB");
  file.signature_text = read_signature(path);

  // One pass over the file: into the staging area (or into memory).
  std::string in_memory;
  std::uint64_t copied = 0;
  if (staging != nullptr) {
    try {
      auto received = staging->receive(fd.get());
      file.staged = received.path;
      copied = received.size;
    } catch (const StagingError& e) {
      return refuse(e.what());
    }
  } else {
    in_memory.reserve(static_cast<std::size_t>(before.st_size));
    if (!read_all(fd.get(), in_memory, kMaxPluginBytes))
      return refuse(errno == EFBIG ? "the file is larger than 512 MiB"
                                   : std::string("cannot read the file: ") + std::strerror(errno));
    copied = in_memory.size();
  }
  struct stat after {};
  if (::fstat(fd.get(), &after) != 0)
    return refuse(std::string("cannot stat the file: ") + std::strerror(errno));
  file.identity = identity_from(after);
  if (!(identity_from(before) == file.identity) || copied != static_cast<std::uint64_t>(after.st_size))
    return incomplete("the file changed while it was being read (still being written?)");

  // From here on only our own copy is looked at: nobody else can change it.
  std::optional<MappedFile> mapped;
  std::string_view bytes = in_memory;
  if (staging != nullptr) {
    mapped.emplace(file.staged);
    if (!mapped->error().empty()) return refuse("cannot map the staged copy: " + mapped->error());
    bytes = mapped->bytes();
  }
  auto elf = check_elf_complete(bytes);
  if (elf.kind == ElfVerdict::truncated) return incomplete(elf.reason);
  if (elf.kind == ElfVerdict::not_elf) return refuse(elf.reason);
  file.sha256 = trust::sha256(bytes);
  mapped.reset();
  if (staging != nullptr) {
    try {
      file.staged = staging->settle(file.staged, path.stem().string(), file.sha256);
    } catch (const StagingError& e) {
      file.staged.clear();  // settle() removed it
      return refuse(e.what());
    }
  }
  return file;
}

}  // namespace mcpd::hotswap
