#include "registry/listing_changes.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace mcpd::registry {
namespace json = boost::json;
namespace {

// Every listed object as text, sorted: two snapshots list the same things
// exactly when these are equal.
template <class Entries>
std::vector<std::string> listed_texts(const Entries& entries) {
  std::vector<std::string> out;
  out.reserve(entries.size());
  for (const auto& e : entries) out.push_back(json::serialize(e.listed));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> resource_texts(const RegistrySnapshot& s) {
  auto out = listed_texts(s.resources());
  for (auto& t : listed_texts(s.templates())) out.push_back("template " + t);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

ListingChanges compare_listings(const RegistrySnapshot* before, const RegistrySnapshot& after) {
  ListingChanges changes;
  if (before == nullptr) {
    changes.tools = !after.tools().empty();
    changes.prompts = !after.prompts().empty();
    changes.resources = !after.resources().empty() || !after.templates().empty();
    return changes;
  }
  changes.tools = listed_texts(before->tools()) != listed_texts(after.tools());
  changes.prompts = listed_texts(before->prompts()) != listed_texts(after.prompts());
  changes.resources = resource_texts(*before) != resource_texts(after);
  return changes;
}

}  // namespace mcpd::registry
