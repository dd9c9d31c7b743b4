#include "transport/stdio_writer.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "log/logger.hpp"

namespace mcpd::transport {

void StdioWriter::write_message(std::string message) {
  std::unique_lock lock(mutex_);
  if (output_broken_) return;
  queued_.push_back(std::move(message));
  if (writing_ || held_) return;  // the writing thread, or release(), takes this one too, in order
  write_queued(lock);
}

void StdioWriter::hold() {
  std::lock_guard lock(mutex_);
  held_ = true;
}

void StdioWriter::release() {
  std::unique_lock lock(mutex_);
  held_ = false;
  if (writing_ || queued_.empty()) return;
  write_queued(lock);
}

void StdioWriter::write_queued(std::unique_lock<std::mutex>& lock) {
  writing_ = true;
  std::vector<std::string> batch;
  while (!queued_.empty() && !held_) {
    batch.swap(queued_);
    lock.unlock();
    const bool written = write_batch(batch);
    batch.clear();  // large answers are freed outside the lock
    lock.lock();
    if (!written) {
      output_broken_ = true;
      queued_.clear();
    }
  }
  writing_ = false;
}

bool StdioWriter::write_batch(const std::vector<std::string>& batch) {
  // Each message, then its newline, straight from where it was serialized: no copy to append a byte.
  static constexpr char kNewline = '\n';
  constexpr std::size_t kMaxPieces = 512;  // within IOV_MAX (1024)
  iovec pieces[kMaxPieces];
  std::size_t next_message = 0;
  while (next_message < batch.size()) {
    std::size_t count = 0;
    for (; next_message < batch.size() && count + 2 <= kMaxPieces; ++next_message) {
      const std::string& message = batch[next_message];
      pieces[count++] = {const_cast<char*>(message.data()), message.size()};
      pieces[count++] = {const_cast<char*>(&kNewline), 1};
    }
    iovec* piece = pieces;
    while (count > 0) {
      const ssize_t n = ::writev(out_fd_, piece, static_cast<int>(count));
      if (n < 0) {
        if (errno == EINTR) continue;
        // The client closed its end; nothing more can reach it.
        log::warn("stdout closed; dropping outgoing messages", {{"error", std::strerror(errno)}});
        return false;
      }
      // A short write (a full pipe) goes on from the byte where it stopped.
      auto written = static_cast<std::size_t>(n);
      while (count > 0 && written >= piece->iov_len) {
        written -= piece->iov_len;
        ++piece;
        --count;
      }
      if (count > 0) {
        piece->iov_base = static_cast<char*>(piece->iov_base) + written;
        piece->iov_len -= written;
      }
    }
  }
  return true;
}

}  // namespace mcpd::transport
