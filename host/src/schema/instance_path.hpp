// Where validation is inside the instance. Built on the stack as validation descends and rendered to text
// only when an error is reported, so valid input never pays for string building.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpd::schema::detail {

class InstancePath {
 public:
  /// The instance itself.
  InstancePath() = default;

  InstancePath member(std::string_view key) const { return InstancePath(this, key, 0, false); }
  InstancePath element(std::size_t index) const { return InstancePath(this, {}, index, true); }

  /// "events[0].timestamp"; keys that are not plain words are quoted: `headers["Content-Type.x"]`.
  std::string render() const;

 private:
  InstancePath(const InstancePath* parent, std::string_view key, std::size_t index, bool is_index)
      : parent_(parent), key_(key), index_(index), is_index_(is_index) {}

  void append_to(std::string& out) const;

  const InstancePath* parent_ = nullptr;  // nullptr: the root
  std::string_view key_;
  std::size_t index_ = 0;
  bool is_index_ = false;
};

}  // namespace mcpd::schema::detail
