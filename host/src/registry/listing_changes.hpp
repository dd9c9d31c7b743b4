#pragma once
// Which lists a client sees changed between two registry snapshots: the
// basis of notifications/*/list_changed, sent once per effective change and
// never when a reload left a list as it was (same entries, whatever order).
#include "registry/registry_snapshot.hpp"

namespace mcpd::registry {

struct ListingChanges {
  bool tools = false;
  bool prompts = false;
  bool resources = false;  // resources or resource templates
};

// `before` null: everything present in `after` counts as changed.
ListingChanges compare_listings(const RegistrySnapshot* before, const RegistrySnapshot& after);

}  // namespace mcpd::registry
