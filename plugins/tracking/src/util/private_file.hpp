// Writing a file that only the service user may read (mode 0600 from the moment it exists, not chmod-ed
// afterwards): rendered recordings show users' screens, so no other local user may open them, even briefly.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mcpd::tracking {

// Creates `path` (which must not exist yet) with mode 0600 and writes `bytes` to it. Throws
// std::runtime_error naming the system's reason; a partly written file is removed.
inline void write_private_file(const std::filesystem::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw std::runtime_error(std::string("cannot create the file: ") + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = n < 0 ? std::strerror(errno) : "nothing written";
      ::close(fd);
      ::unlink(path.c_str());
      throw std::runtime_error("cannot write the file: " + reason);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(path.c_str());
    throw std::runtime_error("cannot write the file: " + reason);
  }
}

}  // namespace mcpd::tracking
