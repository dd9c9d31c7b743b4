// A plain TCP connection to 127.0.0.1 for the tests that must send what no
// well-behaved HTTP client sends: bodies that never end, headers that
// dribble, bytes after a refusal. Plus the server's resident memory, read
// from /proc, for the tests that bound it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace mcpd_http_test {

class RawConnection {
 public:
  // Connects at once; throws when it cannot.
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False once the server closed or reset the connection (or it would block
  // for longer than `timeout`).
  bool send(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // What arrives within `timeout`, until the response's headers and its
  // Content-Length of body are complete or the peer closes. `received`: the
  // start of the response, read already.
  std::string read_head(std::chrono::milliseconds timeout, std::string received = {});
  // The status code of the response that starts with `head`; 0 when none.
  static int status_of(const std::string& head);
  // True when the server closed the connection within `timeout` (reads return 0 or fail).
  bool wait_closed(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
};

// VmRSS of a process in KiB (0 when it cannot be read).
long resident_kib(pid_t pid);
// VmRSS once it has stopped growing (by less than 1 MiB in 200 ms, or after 20 s): the baseline of a
// memory bound. A server that has just said it is ready may still be starting its HTTP threads, which costs
// little in an ordinary build but about 0.75 MiB each under ThreadSanitizer (its per-thread state): 190 MiB
// for the default 256 threads, arriving in the first seconds.
long resident_kib_at_rest(pid_t pid);
// Waits until a process uses less than 10% of a core over half a second (it has done the work it was
// given, and only waits); false after `timeout`.
bool wait_until_quiet(pid_t pid, std::chrono::milliseconds timeout);

// A bound on memory growth for `normal_kib` in an ordinary build. Under the sanitizers (scripts/sanitize.sh
// builds the server and the tests alike) the same work costs several times the memory without anything
// being kept: AddressSanitizer keeps freed blocks in a quarantine and gives every allocation redzones and
// shadow memory; ThreadSanitizer shadows every byte the program touches with 4 and keeps the synchronisation
// state of every lock and atomic it has seen. The bound is four times larger there, which still catches
// growth with the number of requests (1 GiB inflated, 200 MiB of URIs kept).
constexpr long rss_growth_bound_kib(long normal_kib) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return normal_kib * 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return normal_kib * 4;
#else
  return normal_kib;
#endif
#else
  return normal_kib;
#endif
}

}  // namespace mcpd_http_test
