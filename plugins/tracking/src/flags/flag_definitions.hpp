// Flag definitions as GET /flags/definitions returns them (the flags, the group type names and the
// cohorts), indexed by flag key for evaluation.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include <boost/json.hpp>

#include "regex_patterns.hpp"

namespace mcpd::tracking {

struct flag_definitions {
  boost::json::array flags;                // each {"id","key","active","filters",...}
  boost::json::object group_type_mapping;  // "0" -> "company"
  boost::json::object cohorts;             // "12" -> {"type":"OR","values":[...]}
  std::unordered_map<std::string, std::size_t> index_by_key;
  regex_patterns patterns;  // every regex / not_regex pattern above, compiled once

  // Reads a /flags/definitions body. Throws std::invalid_argument saying what is missing when the shape
  // is not the documented one.
  static flag_definitions from_json(boost::json::value body);

  const boost::json::object* find(std::string_view key) const;
};

}  // namespace mcpd::tracking
