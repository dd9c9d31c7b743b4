#pragma once
// Pieces of the Prometheus text exposition format, shared by /metrics (transport/http/metrics) and the
// plugin state the hot-swap manager adds to it.
#include <string>
#include <string_view>

namespace mcpd {

// A label value with \, " and newlines escaped as the format requires.
inline std::string prometheus_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

// The # HELP and # TYPE lines that introduce a metric.
inline void prometheus_header(std::string& out, std::string_view name, std::string_view type,
                              std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace mcpd
