#pragma once
// A plugin file that is not complete yet (truncated, or still open for
// writing) is waited for, but not forever: one that stays incomplete without
// changing for plugins.incomplete_file_timeout_ms is a broken deploy (a copy
// that stopped half way), and is refused so the operator hears about it. A
// file that keeps changing is still being written and keeps waiting.
#include <chrono>
#include <optional>
#include <string>

#include "hotswap/plugin_file.hpp"

namespace mcpd::hotswap {

struct WaitingFile {
  using Clock = std::chrono::steady_clock;
  std::string reason;                    // why it is not complete yet
  std::optional<FileIdentity> identity;  // as it was when last seen
  Clock::time_point since;               // unchanged since then

  // The entry for a file found incomplete `now`: `previous` goes on when the
  // file has not changed since, otherwise the wait starts again.
  static WaitingFile seen(const WaitingFile* previous, std::string reason,
                          std::optional<FileIdentity> identity, Clock::time_point now) {
    if (previous != nullptr && previous->identity == identity)
      return {std::move(reason), std::move(identity), previous->since};
    return {std::move(reason), std::move(identity), now};
  }
  Clock::time_point deadline(std::chrono::milliseconds timeout) const { return since + timeout; }
  bool overdue(Clock::time_point now, std::chrono::milliseconds timeout) const {
    return now >= deadline(timeout);
  }
  // The refusal of an overdue file: what was wrong and how to deploy instead.
  std::string refusal(std::chrono::milliseconds timeout) const {
    return reason + "; it has not changed for " + std::to_string(timeout.count()) +
           " ms (plugins.incomplete_file_timeout_ms), so it is taken for a broken deploy. Copy the whole "
           "file again: write it under a temporary name in the same directory, then rename it in";
  }
};

}  // namespace mcpd::hotswap
