#include "flag_definitions.hpp"

#include <stdexcept>

namespace mcpd::tracking {

flag_definitions flag_definitions::from_json(boost::json::value body) {
  if (!body.is_object()) throw std::invalid_argument("the flag definitions are not a JSON object");
  auto& object = body.get_object();
  flag_definitions definitions;
  auto* flags = object.if_contains("flags");
  if (flags == nullptr || !flags->is_array())
    throw std::invalid_argument("the flag definitions have no \"flags\" array");
  definitions.flags = std::move(flags->get_array());
  if (auto* mapping = object.if_contains("group_type_mapping"); mapping != nullptr && mapping->is_object()) {
    definitions.group_type_mapping = std::move(mapping->get_object());
  }
  if (auto* cohorts = object.if_contains("cohorts"); cohorts != nullptr && cohorts->is_object()) {
    definitions.cohorts = std::move(cohorts->get_object());
  }
  for (std::size_t i = 0; i < definitions.flags.size(); ++i) {
    const auto& flag = definitions.flags[i];
    if (!flag.is_object()) throw std::invalid_argument("a flag definition is not a JSON object");
    const auto* key = flag.get_object().if_contains("key");
    if (key == nullptr || !key->is_string()) throw std::invalid_argument("a flag definition has no \"key\"");
    if (const auto* deleted = flag.get_object().if_contains("deleted");
        deleted != nullptr && deleted->is_bool() && deleted->get_bool()) {
      continue;
    }
    definitions.index_by_key.emplace(std::string(key->get_string()), i);
  }
  definitions.patterns.compile_all_in(definitions.flags);
  for (const auto& [id, cohort] : definitions.cohorts) definitions.patterns.compile_all_in(cohort);
  return definitions;
}

const boost::json::object* flag_definitions::find(std::string_view key) const {
  const auto found = index_by_key.find(std::string(key));
  return found == index_by_key.end() ? nullptr : &flags[found->second].get_object();
}

}  // namespace mcpd::tracking
