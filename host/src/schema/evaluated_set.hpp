// What "unevaluatedProperties" and "unevaluatedItems" need to know: which members of an object (by position)
// or items of an array (by index) the other keywords of a schema, and the subschemas it applies in place,
// have evaluated. Only a schema that uses one of those keywords collects a set; others pass none down, so
// schemas without them pay nothing.
#pragma once

#include <cstddef>
#include <vector>

namespace mcpd::schema::detail {

class EvaluatedSet {
 public:
  void mark(std::size_t position) {
    if (position >= marks_.size()) marks_.resize(position + 1, false);
    marks_[position] = true;
  }
  bool contains(std::size_t position) const { return position < marks_.size() && marks_[position]; }
  /// Adds what a subschema that succeeded evaluated.
  void merge(const EvaluatedSet& other) {
    if (other.marks_.size() > marks_.size()) marks_.resize(other.marks_.size(), false);
    for (std::size_t i = 0; i < other.marks_.size(); ++i) {
      if (other.marks_[i]) marks_[i] = true;
    }
  }

 private:
  std::vector<bool> marks_;
};

}  // namespace mcpd::schema::detail
