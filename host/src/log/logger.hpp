#pragma once
// The operator log: one line per event on stderr, `ts=... level=... msg="..." key=value`.
// stdout belongs to the protocol (stdio transport), so nothing here ever writes there.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mcpd::log {

enum class Level { debug = 0, info, notice, warning, error, critical, alert, emergency };

std::optional<Level> parse_level(std::string_view name);
std::string_view level_name(Level level);

void set_threshold(Level level);
Level threshold();
bool enabled(Level level);

using Field = std::pair<std::string_view, std::string_view>;
// While one lives, every line the calling thread writes ends with
// trace_id=<id>: the W3C trace id of the request the thread serves (a worker
// running a call, including what its plugin logs through the host), so one
// request can be followed across services. An empty id adds nothing. Nests.
class TraceScope {
 public:
  explicit TraceScope(std::string_view trace_id);
  ~TraceScope();
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;

 private:
  std::string previous_;
};

void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::debug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::info, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::warning, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::error, m, f);
}

}  // namespace mcpd::log
