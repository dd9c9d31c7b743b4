// Writing a file that only the service user may read (mode 0600 from the moment it exists, not chmod-ed
// afterwards): rendered recordings show users' screens, so no other local user may open them, even briefly.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpd::tracking {

// A new private file written piece by piece, e.g. a video as it downloads. Until keep() the file is
// provisional: the destructor removes it, so a failed or abandoned write leaves nothing behind. Every
// failure throws std::runtime_error naming the system's reason.
class private_file_writer {
 public:
  // Creates `path`, which must not exist yet (O_EXCL; a symlink planted there is refused too).
  explicit private_file_writer(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) throw std::runtime_error(std::string("cannot create the file: ") + std::strerror(errno));
  }
  ~private_file_writer() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(path_.c_str());
  }
  private_file_writer(const private_file_writer&) = delete;
  private_file_writer& operator=(const private_file_writer&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::uint64_t size() const noexcept { return size_; }

  void append(std::string_view bytes) {
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail(n < 0 ? std::strerror(errno) : "nothing written");
      written += static_cast<std::size_t>(n);
    }
    size_ += bytes.size();
  }

  // Empties the file to start over (a download that is retried from the beginning).
  void restart() {
    if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) fail(std::strerror(errno));
    size_ = 0;
  }

  // Closes the file and keeps it.
  void keep() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(std::strerror(errno));
    kept_ = true;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) {
    throw std::runtime_error("cannot write the file: " + reason);
  }

  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  bool kept_ = false;
};

// Creates `path` (which must not exist yet) with mode 0600 and writes `bytes` to it. Throws
// std::runtime_error naming the system's reason; a partly written file is removed.
inline void write_private_file(const std::filesystem::path& path, std::string_view bytes) {
  private_file_writer file(path);
  file.append(bytes);
  file.keep();
}

}  // namespace mcpd::tracking
