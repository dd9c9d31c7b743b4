#include "log/logger.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace mcpd::log {
namespace {

constexpr std::array<std::string_view, 8> kNames = {"debug", "info",     "notice", "warning",
                                                    "error", "critical", "alert",  "emergency"};
std::atomic<int> g_threshold{static_cast<int>(Level::info)};
std::mutex g_write_mutex;

// Values are quoted when they contain spaces, quotes or control characters so a
// line stays one line and stays machine-parseable.
void append_value(std::string& out, std::string_view value) {
  bool needs_quotes = value.empty();
  for (char c : value)
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) needs_quotes = true;
  if (!needs_quotes) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out.append(buf);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

std::optional<Level> parse_level(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Level>(i);
  if (name == "warn") return Level::warning;
  return std::nullopt;
}

std::string_view level_name(Level level) {
  return kNames[static_cast<std::size_t>(level)];
}

void set_threshold(Level level) {
  g_threshold.store(static_cast<int>(level));
}
Level threshold() {
  return static_cast<Level>(g_threshold.load());
}
bool enabled(Level level) {
  return static_cast<int>(level) >= g_threshold.load(std::memory_order_relaxed);
}

namespace {
thread_local std::string t_trace_id;
}  // namespace

TraceScope::TraceScope(std::string_view trace_id) : previous_(std::move(t_trace_id)) {
  t_trace_id = std::string(trace_id);
}

TraceScope::~TraceScope() {
  t_trace_id = std::move(previous_);
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char ts[64];
  std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  std::string line;
  line.reserve(128 + message.size());
  line.append("ts=").append(ts).append(" level=").append(level_name(level)).append(" msg=");
  append_value(line, message);
  for (const auto& [key, value] : fields) {
    line.push_back(' ');
    line.append(key).push_back('=');
    append_value(line, value);
  }
  if (!t_trace_id.empty()) line.append(" trace_id=").append(t_trace_id);
  line.push_back('\n');
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace mcpd::log
