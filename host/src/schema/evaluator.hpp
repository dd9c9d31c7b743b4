// Walks a compiled Graph over one instance and collects failures.
#pragma once

#include "schema/graph.hpp"
#include "schema/instance_path.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace mcpd::schema::detail {

/// What a failure says about the value, so that anyOf/oneOf can merge the failures of their alternatives into
/// one sentence ("expected string or null, got 5", "must be one of "a", "b", got "c"").
enum class FailureKind { kOther, kType, kValue };

struct Failure {
  Failure() = default;
  Failure(std::string path_, std::string message_) : path(std::move(path_)), message(std::move(message_)) {}
  Failure(std::string path_, std::string message_, FailureKind kind_, std::vector<std::string> expected_,
          std::string got_)
      : path(std::move(path_)),
        message(std::move(message_)),
        kind(kind_),
        expected(std::move(expected_)),
        got(std::move(got_)) {}

  std::string path;
  std::string message;
  FailureKind kind = FailureKind::kOther;
  std::vector<std::string> expected;  // type names (kType) or quoted allowed values (kValue)
  std::string got;                    // the value as the message shows it (kType, kValue)
};

/// Where failures go. A sink with limit 0 only answers "valid or not" and never builds a message, which is
/// how anyOf/oneOf/not/if/contains probe their subschemas cheaply.
class Sink {
 public:
  explicit Sink(std::size_t limit) : limit_(limit) {}

  bool collecting() const { return limit_ > 0; }
  /// Nothing more is wanted: evaluation may stop at the next failure.
  bool full() const { return failures_.size() >= limit_; }
  std::size_t room() const { return full() ? 0 : limit_ - failures_.size(); }
  void add(Failure failure) {
    if (!full()) failures_.push_back(std::move(failure));
  }
  std::vector<Failure>& failures() { return failures_; }

 private:
  std::size_t limit_;
  std::vector<Failure> failures_;
};

/// Validates `instance` against `graph` into `sink`. Returns false when the instance is invalid. Instances
/// nested deeper than kMaxInstanceDepth, and schema/instance pairs that need unreasonably many steps, fail
/// with a single failure at the root instead of being evaluated.
bool evaluate(const Graph& graph, const boost::json::value& instance, Sink& sink);

}  // namespace mcpd::schema::detail
