#pragma once
// What one reload did: the answer of POST /admin/plugins/reload and
// `mcpd plugin reload`, and the content of the "plugins reloaded" log line.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "registry/listing_changes.hpp"

namespace mcpd::hotswap {

struct Refusal {
  std::filesystem::path file;
  std::string reason;
  std::string kept;  // "swap 1.0.0 keeps serving", or empty when nothing served from this file
  std::chrono::system_clock::time_point at;
};

struct ReloadReport {
  std::string trigger;  // startup, watch, signal, admin
  bool published = false;
  std::uint64_t generation = 0;       // of the snapshot serving afterwards
  std::vector<std::string> added;     // "ns 1.0.0 (file)"
  std::vector<std::string> replaced;  // "ns 1.0.0 -> 2.0.0 (file)"
  std::vector<std::string> removed;   // "ns 1.0.0 (file)"
  std::vector<Refusal> refused;
  std::vector<std::string> waiting;   // "file: why it is not complete yet"
  std::vector<std::string> warnings;  // namespaces claimed by several files, files skipped
  std::size_t unchanged = 0;
  registry::ListingChanges notified;
  std::chrono::microseconds latency{0};  // trigger -> snapshot published (0 when nothing was published)
  std::chrono::microseconds work{0};     // reload start -> snapshot published

  boost::json::object to_json() const;
  std::string summary() const;  // one line: what changed
};

// ISO 8601 UTC with milliseconds, e.g. 2025-11-27T02:31:07.123Z.
std::string iso_time(std::chrono::system_clock::time_point t);

}  // namespace mcpd::hotswap
