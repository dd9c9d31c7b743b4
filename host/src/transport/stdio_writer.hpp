#pragma once
// The writing half of MCP over stdio: one JSON-RPC message per line on stdout, which carries nothing else
// (logs go to stderr).
#include <mutex>
#include <string>
#include <vector>

namespace mcpd::transport {

class StdioWriter {
 public:
  explicit StdioWriter(int out_fd) : out_fd_(out_fd) {}

  // Writes one message and its newline, whole and in the order the calls came in. When another thread is
  // writing at that moment, the message is left to it and this returns at once: that thread writes every
  // message queued behind its own before it returns, many in one system call (under pipelined load one
  // writev carries dozens of answers, and the client wakes once for them). Once the client has closed its
  // end, messages are dropped (logged once).
  void write_message(std::string message);

  // While held, messages wait in the queue; release() writes them, many in one system call. The reader
  // holds output while it works through input it has already read (a burst of pipelined requests, many
  // answered in place) and releases it before it waits for more, so a burst's answers leave together
  // and the client wakes once for them.
  void hold();
  void release();

 private:
  // With the lock held and no thread writing: writes everything queued, unlocking while it writes.
  void write_queued(std::unique_lock<std::mutex>& lock);
  // Writes each message and a newline after it; false when the output is gone.
  bool write_batch(const std::vector<std::string>& batch);

  const int out_fd_;
  std::mutex mutex_;
  std::vector<std::string> queued_;  // waiting for the thread that writes now
  bool writing_ = false;
  bool held_ = false;
  bool output_broken_ = false;
};

}  // namespace mcpd::transport
