// stdio's two halves over real pipes: the writer keeps every message whole and in order while threads
// hand their messages to whichever thread is writing; the reader frames lines across reads, and when a
// call run on its reading thread takes long, the standby thread goes on reading.
#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "transport/stdio_reader.hpp"
#include "transport/stdio_writer.hpp"

using namespace std::chrono_literals;
using mcpd::transport::StdioReader;
using mcpd::transport::StdioWriter;

namespace {

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (read_end >= 0) ::close(read_end);
    read_end = -1;
  }
  void close_write() {
    if (write_end >= 0) ::close(write_end);
    write_end = -1;
  }
  void write(std::string_view text) const {
    while (!text.empty()) {
      const auto n = ::write(write_end, text.data(), text.size());
      REQUIRE(n > 0);
      text.remove_prefix(static_cast<std::size_t>(n));
    }
  }
};

std::string read_all(int fd) {
  std::string all;
  char buffer[65536];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    all.append(buffer, static_cast<std::size_t>(n));
  return all;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  CHECK(start == text.size());  // nothing after the last newline
  return lines;
}

// Records the lines a reader delivers, from whichever thread.
struct Lines {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::vector<std::size_t> oversize;
  void add(std::string_view line) {
    std::lock_guard lock(mutex);
    lines.emplace_back(line);
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return lines;
  }
};

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5000ms) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return done();
}

}  // namespace

TEST_CASE("the stdio writer keeps every message whole, each thread's in order, large ones too", "[stdio]") {
  Pipe pipe;
  std::string received;
  std::thread drain([&] { received = read_all(pipe.read_end); });
  {
    StdioWriter writer(pipe.write_end);
    constexpr int kThreads = 4;
    constexpr int kMessages = 300;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < kMessages; ++i) {
          // Every 50th message is larger than a pipe's buffer: written in several pieces.
          const std::size_t padding = i % 50 == 0 ? 200000 : static_cast<std::size_t>(i % 7);
          writer.write_message(std::to_string(t) + ":" + std::to_string(i) + ":" + std::string(padding, 'x'));
        }
      });
    for (auto& thread : threads) thread.join();
  }
  pipe.close_write();
  drain.join();
  const auto lines = split_lines(received);
  REQUIRE(lines.size() == 4 * 300);
  std::vector<int> next(4, 0);
  for (const auto& line : lines) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    const int thread = std::stoi(line.substr(0, first));
    const int index = std::stoi(line.substr(first + 1, second - first - 1));
    CHECK(index == next[static_cast<std::size_t>(thread)]++);
    const std::size_t padding = index % 50 == 0 ? 200000 : static_cast<std::size_t>(index % 7);
    CHECK(line.size() - second - 1 == padding);
    CHECK(line.find_first_not_of('x', second + 1) == std::string::npos);
  }
}

TEST_CASE("held output waits, from every thread, and leaves in order in one write on release", "[stdio]") {
  Pipe pipe;
  ::fcntl(pipe.read_end, F_SETFL, O_NONBLOCK);
  const auto available = [&pipe] {
    char buffer[4096];
    const auto n = ::read(pipe.read_end, buffer, sizeof buffer);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  };
  StdioWriter writer(pipe.write_end);
  writer.hold();
  writer.write_message("first");
  std::thread other([&writer] { writer.write_message("from another thread"); });
  other.join();
  writer.write_message("third");
  CHECK(available().empty());  // nothing reached the pipe while held
  writer.release();
  CHECK(available() == "first\nfrom another thread\nthird\n");
  writer.write_message("after release");  // not held any more: written at once
  CHECK(available() == "after release\n");
}

TEST_CASE("the stdio writer drops messages quietly once the client closed its end", "[stdio]") {
  std::signal(SIGPIPE, SIG_IGN);  // as mcpd serve does: a write to a closed pipe fails with EPIPE
  Pipe pipe;
  pipe.close_read();
  StdioWriter writer(pipe.write_end);
  writer.write_message("nobody reads this");
  writer.write_message("nor this");
  SUCCEED("no crash, no hang");
}

TEST_CASE("the stdio reader frames lines across reads: CRLF, oversize, a last line without newline",
          "[stdio]") {
  Pipe pipe;
  StdioReader reader(pipe.read_end, 16);
  Lines got;
  std::thread feeder([&] {
    pipe.write("one\ntwo\r\nthr");
    std::this_thread::sleep_for(20ms);  // a line split across two reads
    pipe.write("ee\n");
    pipe.write(std::string(40, 'z') + "\nfour\n");  // over the 16-byte limit: reported, skipped
    pipe.write(std::string(10, 'y'));
    std::this_thread::sleep_for(20ms);
    pipe.write(std::string(10, 'y') + "\nfive\nlast");  // oversize across reads too
    pipe.close_write();
  });
  reader.run([&](std::string_view line) { got.add(line); },
             [&](std::size_t limit) {
               std::lock_guard lock(got.mutex);
               got.oversize.push_back(limit);
             });
  feeder.join();
  CHECK(got.lines == std::vector<std::string>{"one", "two", "three", "four", "five", "last"});
  CHECK(got.oversize == std::vector<std::size_t>{16, 16});
}

TEST_CASE("a call run on the reading thread that takes long: the standby reads on, and back again",
          "[stdio]") {
  Pipe pipe;
  StdioReader reader(pipe.read_end, 1 << 20);
  Lines got;
  std::latch release_first(1);
  std::latch release_second(1);
  std::atomic<int> ran_in_place{0};
  std::atomic<int> tried{0};
  std::atomic<int> tried_in_place{0};
  std::atomic<bool> ready{false};
  std::atomic<int> slow_refused{0};
  std::thread run([&] {
    reader.run(
        [&](std::string_view line) {
          got.add(line);
          if (line == "slow 1" || line == "slow 2") {
            std::latch& release = line == "slow 1" ? release_first : release_second;
            // (Catch2's assertions are for the test's own thread: the reader's threads only count.)
            if (!reader.run_quick_call([&] {
                  ++ran_in_place;
                  release.wait();
                }))
              ++slow_refused;
          } else if (line == "ready?") {
            if (reader.run_quick_call([] {})) ready = true;
          } else if (line == "try") {
            ++tried;
            if (reader.run_quick_call([] {})) ++tried_in_place;
          }
        },
        [](std::size_t) {});
  });
  // Only the thread that reads may run a call in place.
  CHECK_FALSE(reader.run_quick_call([] { FAIL("ran on a thread that does not read"); }));
  // Until the second thread stands by, nothing runs in place.
  int asked = 0;
  REQUIRE(eventually([&] {
    if (!ready) {
      pipe.write("ready?\n");
      ++asked;
    }
    return ready.load();
  }));
  REQUIRE(eventually([&] { return got.snapshot().size() == static_cast<std::size_t>(asked); }));
  {
    std::lock_guard lock(got.mutex);
    got.lines.clear();
  }

  pipe.write("slow 1\nquick a\ntry\n");
  // The standby reads on while the first thread is inside its call...
  CHECK(eventually([&] { return got.snapshot().size() == 3; }));
  CHECK(ran_in_place == 1);
  // ... and runs nothing in place meanwhile: no thread would be left to take over from it.
  CHECK(tried == 1);
  CHECK(tried_in_place == 0);

  // The first thread stands by once its call returns; the second, reading, runs the next call in place
  // and the first takes over from it.
  release_first.count_down();
  std::this_thread::sleep_for(20ms);
  pipe.write("slow 2\nquick b\ntry\n");
  CHECK(eventually([&] { return got.snapshot().size() == 6; }));
  CHECK(ran_in_place == 2);
  CHECK(tried_in_place == 0);
  release_second.count_down();
  std::this_thread::sleep_for(20ms);
  // Both stand by or read again: a call runs in place as before.
  pipe.write("try\nquick c\n");
  CHECK(eventually([&] { return got.snapshot().size() == 8; }));
  CHECK(tried_in_place == 1);
  pipe.close_write();
  run.join();
  CHECK(got.snapshot() ==
        std::vector<std::string>{"slow 1", "quick a", "try", "slow 2", "quick b", "try", "try", "quick c"});
  CHECK(slow_refused == 0);
}
